// Sample server benchmark, run on demand: `npx projen bench:sample-server`.
//
// 1. Throughput and latency of GET / for the reference Go server (../shared/reference/go-server,
//    built here; set REF_SERVER_DIR to point elsewhere), the sample server as shipped (supervisor
//    on, access log on) and the sample server with the supervisor off, with the same autocannon
//    settings, interleaved in the same run. Reported as ratios to the Go server. Two layouts:
//    shared (server and load generator on every CPU) and pinned (the server on CPU 1, the load
//    generator on CPU 0, as an App Runner instance has its vCPUs to itself; the sample then runs
//    one worker, as it does on a 1-vCPU instance, and Go one thread).
// 2. Crash under load: per crash route, the requests lost and the time until a replacement
//    worker serves, with the supervisor on.
// Results: bench/results/sample-server.json and a markdown table on stdout.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './stats';
import { SAMPLE_SERVER_DIR, freePort, imageCommand, request, startLoad, startSampleServer } from '../test/sample-server/harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REF_DIR = process.env.REF_SERVER_DIR ?? path.join(__dirname, '..', '..', 'shared', 'reference', 'go-server');

interface Sample { rps: number; p50: number; p99: number; errors: number; non2xx: number }

interface Layout { name: string; serverCpus?: string; loadCpus?: string }
const LAYOUTS: Layout[] = [
  { name: 'shared' },
  { name: 'pinned', serverCpus: '1', loadCpus: '0' },
];

/** `command` restricted to `cpus` (taskset), or as is. */
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

async function load(port: number, cpus?: string): Promise<Sample> {
  const result = await autocannonRun(port, DURATION_S, cpus);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Starts a server process with stdout to /dev/null (the same sink for every target), ready when / answers. */
async function startProcess(command: string, args: string[], env: Record<string, string>, cwd?: string, cpus?: string) {
  const port = await freePort();
  [command, args] = onCpus(cpus, command, args);
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH!, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    try {
      await request(port, '/');
      break;
    } catch {
      await new Promise(r => setTimeout(r, 50));
    }
  }
  await new Promise(r => setTimeout(r, 500)); // every worker up
  return { port, stop: async () => { child.kill('SIGTERM'); await new Promise(r => child.once('exit', r)); } };
}

async function throughput() {
  if (!fs.existsSync(path.join(REF_DIR, 'main.go'))) {
    throw new Error(`reference Go server not found in ${REF_DIR}; set REF_SERVER_DIR`);
  }
  const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refserver-')), 'refserver');
  execFileSync('go', ['build', '-o', binary, '.'], { cwd: REF_DIR, stdio: 'inherit', env: { ...process.env, GOFLAGS: '-mod=mod' } });

  const [node, ...args] = imageCommand();
  const targets: Record<string, (cpus?: string) => Promise<{ port: number; stop: () => Promise<void> }>> = {
    'go-reference': (cpus) => startProcess(binary, [], {}, undefined, cpus),
    'sample as shipped (supervisor on)': (cpus) => startProcess(node, args, { INSTANCE_MEMORY_MB: '2048' }, SAMPLE_SERVER_DIR, cpus),
    'sample, 1 worker': (cpus) => startProcess(node, args, { INSTANCE_MEMORY_MB: '2048', WEB_CONCURRENCY: '1' }, SAMPLE_SERVER_DIR, cpus),
    'sample, supervisor off': (cpus) => startProcess(node, args, { SUPERVISOR: 'off' }, SAMPLE_SERVER_DIR, cpus),
  };
  const result: Record<string, { samples: Record<string, Sample[]>; summary: Record<string, any> }> = {};
  for (const layout of LAYOUTS) {
    const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(targets).map(k => [k, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const [name, start] of Object.entries(targets)) {
        const server = await start(layout.serverCpus);
        await autocannonRun(server.port, 2, layout.loadCpus); // warm-up
        const sample = await load(server.port, layout.loadCpus);
        await server.stop();
        samples[name].push(sample);
        console.error(`${layout.name} run ${run}/${RUNS} ${name}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99} ms`);
      }
    }
    const summary = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, {
      rps: median(list.map(s => s.rps)),
      rpsSpread: [Math.min(...list.map(s => s.rps)), Math.max(...list.map(s => s.rps))],
      p50: median(list.map(s => s.p50)),
      p99: median(list.map(s => s.p99)),
      errors: list.reduce((n, s) => n + s.errors + s.non2xx, 0),
    }]));
    const go = summary['go-reference'];
    for (const entry of Object.values(summary) as any[]) {
      entry.rpsRatioToGo = entry.rps / go.rps;
      entry.p99RatioToGo = go.p99 > 0 ? entry.p99 / go.p99 : null;
    }
    result[layout.name] = { samples, summary };
  }
  return result;
}

async function crashes() {
  const rows = [];
  for (const route of ['/panic', '/exit', '/fatal', '/use-all-memory']) {
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
      diedWith: died.signal ?? died.code,
    });
  }
  return rows;
}

async function main() {
  const started = new Date();
  const tp = await throughput();
  const crash = await crashes();
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
  };
  fs.writeFileSync(path.join(__dirname, 'results', 'sample-server.json'), `${JSON.stringify(result, null, 2)}\n`);

  const lines = [
    `| layout | server | req/s (median of ${RUNS}) | × Go | p50 ms | p99 ms | p99 × Go | errors |`,
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(tp).flatMap(([layout, { summary }]) => Object.entries(summary).map(([name, s]: [string, any]) =>
      `| ${layout} | ${name} | ${Math.round(s.rps)} | ${s.rpsRatioToGo.toFixed(2)} | ${s.p50} | ${s.p99} | ${s.p99RatioToGo?.toFixed(2) ?? 'n/a'} | ${s.errors} |`)),
    '',
    '| crash route | load requests | failed | failed after the death | replacement serving after (ms) | died with |',
    '|---|---|---|---|---|---|',
    ...crash.map(r => `| ${r.route} | ${r.loadRequests} | ${r.failedRequests} | ${r.failedAfterDeath} | ${r.replacementServingMsAfterDeath} | ${r.diedWith} |`),
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
