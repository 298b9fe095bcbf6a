// Sample server benchmark, run on demand: `npx projen bench:sample-server`.
//
// 1. Throughput, latency and CPU time per request of GET / for the reference Go server
//    (../shared/reference/go-server, built here; set REF_SERVER_DIR to point elsewhere), the same
//    program in node:http (minimal-server.js: what node:http itself reaches), and the sample
//    server as shipped and with parts switched off, loaded by autocannon with the same settings,
//    interleaved in rounds. Reported as ratios within each round: requests/s to the node:http
//    minimal server (the target: the sample within 5% of it, pinned), p99 to the Go server. Two layouts:
//    shared (server and load generator on every CPU) and pinned (the server on CPU 1, the load
//    generator on CPU 0, as an App Runner instance has its vCPUs to itself; the sample then runs
//    one worker, as it does on a 1-vCPU instance, and Go one thread).
// 2. Crash under load: per crash route, the requests lost and the time until a replacement
//    worker serves, with the supervisor on; and a crash storm (50 /panic in 5 s under load): the
//    share of GET / that succeeded and the longest interval without an accepting worker.
// Results: bench/results/sample-server.json, the tables between the markers in bench/README.md
// and the crash isolation table in docs/sample-server.md.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, replaceBetweenMarkers } from './stats';
import { sampleServerCrashRoutes } from '../src/private/sample-server';
import { SAMPLE_SERVER_DIR, crashStorm, freePort, sampleServerCommand, request, startLoad, startSampleServer, waitForHttp } from '../test/sample-server/harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REF_DIR = process.env.REF_SERVER_DIR ?? path.join(__dirname, '..', '..', 'shared', 'reference', 'go-server');

interface Sample { rps: number; p50: number; p99: number; errors: number; non2xx: number; cpuUsPerRequest: number }

interface Layout { name: string; serverCpus?: string; loadCpus?: string }
const LAYOUTS: Layout[] = [
  { name: 'shared' },
  { name: 'pinned', serverCpus: '1', loadCpus: '0' },
];

interface Server { port: number; pid: number; stop: () => Promise<void> }
interface Target { name: string; layouts: string[]; start: (cpus?: string) => Promise<Server> }

const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system, in clock ticks) used so far by `pid` and its live descendants (Linux /proc). */
function cpuTicks(pid: number): number {
  let ticks = 0;
  try {
    // Fields after the command name: state is 3rd, utime the 14th and stime the 15th of the line.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) ticks += cpuTicks(Number(child));
    }
  } catch {
    // the process ended meanwhile
  }
  return ticks;
}

/** `command` restricted to `cpus` (taskset, which execs it: the pid stays the server's), or as is. */
function onCpus(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}

/** autocannon in a process of its own, so that it can be pinned like the server. */
function autocannonRun(port: number, durationS: number, cpus?: string): Promise<any> {
  const bin = path.join(__dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
  const [command, args] = onCpus(cpus, process.execPath, [bin, '-j', '-c', String(CONNECTIONS), '-d', String(durationS), `http://127.0.0.1:${port}/`]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', d => out += d);
    child.once('close', code => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

async function load(server: Server, cpus?: string): Promise<Sample> {
  const before = cpuTicks(server.pid);
  const result = await autocannonRun(server.port, DURATION_S, cpus);
  const cpuS = (cpuTicks(server.pid) - before) / CLOCK_TICKS_PER_S;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUsPerRequest: Math.round((cpuS * 1e6 / Math.max(1, result.requests.total)) * 100) / 100,
  };
}

/** Starts a server process with stdout to /dev/null (the same sink for every target), ready when / answers. */
async function startProcess(command: string, args: string[], env: Record<string, string>, cwd?: string, cpus?: string): Promise<Server> {
  const port = await freePort();
  [command, args] = onCpus(cpus, command, args);
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH!, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHttp(port, 10_000);
  await new Promise(r => setTimeout(r, 500)); // every worker up
  return { port, pid: child.pid!, stop: async () => { child.kill('SIGTERM'); await new Promise(r => child.once('exit', r)); } };
}

const GO = 'go-reference';
const AS_SHIPPED = 'sample as shipped (supervisor on)';
const MINIMAL = 'node:http minimal (the Go program in Node)';

async function throughput() {
  if (!fs.existsSync(path.join(REF_DIR, 'main.go'))) {
    throw new Error(`reference Go server not found in ${REF_DIR}; set REF_SERVER_DIR`);
  }
  const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refserver-')), 'refserver');
  execFileSync('go', ['build', '-o', binary, '.'], { cwd: REF_DIR, stdio: 'inherit', env: { ...process.env, GOFLAGS: '-mod=mod' } });

  const [node, ...args] = sampleServerCommand();
  const sample = (env: Record<string, string>) => (cpus?: string) => startProcess(node, args, { INSTANCE_MEMORY_MB: '2048', ...env }, SAMPLE_SERVER_DIR, cpus);
  const both = LAYOUTS.map(l => l.name);
  const targets: Target[] = [
    { name: GO, layouts: both, start: cpus => startProcess(binary, [], {}, undefined, cpus) },
    { name: MINIMAL, layouts: both, start: cpus => startProcess(node, [path.join(__dirname, 'minimal-server.js')], {}, undefined, cpus) },
    { name: AS_SHIPPED, layouts: both, start: sample({}) },
    // Pinned, the sample as shipped already runs one worker (one per available CPU).
    { name: 'sample, 1 worker', layouts: ['shared'], start: sample({ WEB_CONCURRENCY: '1' }) },
    { name: 'sample, access log off', layouts: both, start: sample({ ACCESS_LOG: 'off' }) },
    { name: 'sample, supervisor off', layouts: both, start: sample({ SUPERVISOR: 'off' }) },
  ];
  const result: Record<string, { samples: Record<string, Sample[]>; summary: Record<string, any> }> = {};
  for (const layout of LAYOUTS) {
    const inLayout = targets.filter(t => t.layouts.includes(layout.name));
    const samples: Record<string, Sample[]> = Object.fromEntries(inLayout.map(t => [t.name, []]));
    const toGo: Record<string, number[]> = Object.fromEntries(inLayout.map(t => [t.name, []]));
    const toMinimal: Record<string, number[]> = Object.fromEntries(inLayout.map(t => [t.name, []]));
    for (let run = 0; run < RUNS; run++) {
      // Each round starts with another target, so that a drift of the machine's speed within a
      // round does not always favour the same one; ratios are taken within the round.
      const round = [...inLayout.slice(run % inLayout.length), ...inLayout.slice(0, run % inLayout.length)];
      const measured: Record<string, Sample> = {};
      for (const target of round) {
        const server = await target.start(layout.serverCpus);
        await autocannonRun(server.port, 2, layout.loadCpus); // warm-up
        measured[target.name] = await load(server, layout.loadCpus);
        await server.stop();
        samples[target.name].push(measured[target.name]);
        console.error(`${layout.name} run ${run + 1}/${RUNS} ${target.name}: ${Math.round(measured[target.name].rps)} req/s, p99 ${measured[target.name].p99} ms, ${measured[target.name].cpuUsPerRequest} CPU µs/request`);
      }
      for (const target of inLayout) {
        toGo[target.name].push(measured[target.name].rps / measured[GO].rps);
        toMinimal[target.name].push(measured[target.name].rps / measured[MINIMAL].rps);
      }
    }
    const goP99 = median(samples[GO].map(s => s.p99));
    const summary = Object.fromEntries(inLayout.map(({ name }) => {
      const list = samples[name];
      const p99 = median(list.map(s => s.p99));
      return [name, {
        rps: Math.round(median(list.map(s => s.rps))),
        rpsSpread: [Math.round(Math.min(...list.map(s => s.rps))), Math.round(Math.max(...list.map(s => s.rps)))],
        rpsRatioToMinimal: round2(median(toMinimal[name])),
        rpsRatioToMinimalSpread: [round2(Math.min(...toMinimal[name])), round2(Math.max(...toMinimal[name]))],
        rpsRatioToGo: round2(median(toGo[name])),
        p50: median(list.map(s => s.p50)),
        p99,
        p99RatioToGo: goP99 > 0 ? round2(p99 / goP99) : null,
        cpuUsPerRequest: median(list.map(s => s.cpuUsPerRequest)),
        errors: list.reduce((n, s) => n + s.errors + s.non2xx, 0),
      }];
    }));
    result[layout.name] = { samples, summary };
  }
  return result;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

async function crashes() {
  const rows = [];
  for (const route of sampleServerCrashRoutes()) {
    const server = await startSampleServer({ WEB_CONCURRENCY: '2', INSTANCE_MEMORY_MB: '1024' });
    const traffic = startLoad(server.port, { concurrency: 8, maxDurationMs: 30_000 });
    await new Promise(r => setTimeout(r, 1_000));
    const crashSent = Date.now();
    await request(server.port, route, { timeoutMs: 15_000 }).catch(() => undefined);
    const died = await server.waitForLog(l => l.event === 'worker-died', 15_000);
    const replaced = await server.waitForLog(l => l.event === 'worker-started' && Date.parse(l.ts) >= crashSent, 15_000);
    await new Promise(r => setTimeout(r, 2_000));
    const results = await traffic.stop();
    await server.stop();
    const diedAt = Date.parse(died.ts);
    rows.push({
      route,
      loadRequests: results.length,
      failedRequests: results.filter(r => r.error).length,
      failedAfterDeath: results.filter(r => r.error && r.start > diedAt).length,
      replacementServingMsAfterDeath: Date.parse(replaced.ts) - diedAt,
      diedWith: died.signal ?? `exit ${died.code}`,
    });
  }
  return rows;
}

async function storm() {
  const server = await startSampleServer({ WEB_CONCURRENCY: '2', INSTANCE_MEMORY_MB: '1024' });
  try {
    return await crashStorm(server);
  } finally {
    await server.stop();
  }
}

async function main() {
  const started = new Date();
  const tp = await throughput();
  const crash = await crashes();
  const crashStormResult = await storm();
  const result = {
    date: started.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    settings: {
      runs: RUNS,
      durationS: DURATION_S,
      connections: CONNECTIONS,
      tool: 'autocannon 8 in its own process, same settings for every target',
      layouts: LAYOUTS,
    },
    throughput: Object.fromEntries(Object.entries(tp).map(([k, v]) => [k, v.summary])),
    throughputSamples: Object.fromEntries(Object.entries(tp).map(([k, v]) => [k, v.samples])),
    crashUnderLoad: crash,
    crashStorm: crashStormResult,
  };
  fs.writeFileSync(path.join(__dirname, 'results', 'sample-server.json'), `${JSON.stringify(result, null, 2)}\n`);

  const measuredOn = `Measured ${result.date.slice(0, 10)} on ${result.machine.cpus} × ${result.machine.cpuModel}, `
    + `${result.machine.memoryGb} GB, Node ${result.machine.node}; ${RUNS} runs × ${DURATION_S} s per target and layout, `
    + `${CONNECTIONS} connections ([results/sample-server.json](results/sample-server.json)).`;
  const throughputTable = [
    '| layout | server | req/s (median) | × node:http minimal (median of runs, min–max) | × Go | p50 ms | p99 ms | p99 × Go | CPU µs per request | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(tp).flatMap(([layout, { summary }]) => Object.entries(summary).map(([name, s]: [string, any]) =>
      `| ${layout} | ${name} | ${s.rps} | ${s.rpsRatioToMinimal.toFixed(2)} (${s.rpsRatioToMinimalSpread.map((r: number) => r.toFixed(2)).join('–')}) `
      + `| ${s.rpsRatioToGo.toFixed(2)} | ${s.p50} | ${s.p99} | ${s.p99RatioToGo?.toFixed(2) ?? 'n/a'} | ${s.cpuUsPerRequest} | ${s.errors} |`)),
  ];
  const crashTable = [
    '| crash route | load requests | failed | failed after the death | replacement serving after the death (ms) | died with |',
    '|---|---|---|---|---|---|',
    ...crash.map(r => `| \`${r.route}\` | ${r.loadRequests} | ${r.failedRequests} | ${r.failedAfterDeath} | ${r.replacementServingMsAfterDeath < 0 ? `${r.replacementServingMsAfterDeath} (started while the old worker drained)` : r.replacementServingMsAfterDeath} | ${r.diedWith} |`),
    '',
    '| crash storm | load requests | `GET /` succeeded | workers died | longest interval without an accepting worker (ms) |',
    '|---|---|---|---|---|',
    `| ${crashStormResult.crashes} × \`/panic\`, one per 100 ms | ${crashStormResult.loadRequests} `
    + `| ${(100 * crashStormResult.succeeded / crashStormResult.loadRequests).toFixed(2)}% | ${crashStormResult.workersDied} | ${crashStormResult.longestNoWorkerMs} |`,
  ];
  replaceBetweenMarkers(path.join(__dirname, 'README.md'), 'sample-server-results', [measuredOn, '', ...throughputTable, '', ...crashTable].join('\n'));
  const row = (layout: string, name: string) => tp[layout].summary[name];
  const pinned = row('pinned', AS_SHIPPED);
  replaceBetweenMarkers(path.join(__dirname, '..', 'docs', 'sample-server.md'), 'crash-isolation', [
    ...crashTable,
    '',
    `${measuredOn.replace('([results/sample-server.json](results/sample-server.json))', '([bench/README.md](../bench/README.md))')} `
    + `Throughput of \`GET /\` as shipped, with the server on its own CPU: ${pinned.rpsRatioToMinimal.toFixed(2)}× a minimal \`node:http\` `
    + `server's requests/s (the target: at least 0.95×); p99 latency ${pinned.p99RatioToGo?.toFixed(2)}× the reference Go server's `
    + `(${pinned.p99} ms against ${row('pinned', GO).p99} ms).`,
  ].join('\n'));
  console.log([...throughputTable, '', ...crashTable].join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
