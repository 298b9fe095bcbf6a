// Runs the sample server as a real process on 127.0.0.1 and talks to it over HTTP.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { imageCommand, readDockerfile } from '../../local/dockerfile';
import { LogLine, ServerProcess, freePort, request, waitUntil } from '../../local/process';

export type { LogLine, Response, RequestOptions } from '../../local/process';
export { ServerProcess, freePort, request, startDynalite, waitForHttp, waitUntil } from '../../local/process';

export const SAMPLE_SERVER_DIR = path.join(__dirname, '..', '..', 'assets', 'sample-server');

/** The image's start command, read from its Dockerfile, so tests run exactly that. */
export function sampleServerCommand(): string[] {
  return imageCommand(readDockerfile(SAMPLE_SERVER_DIR));
}

export interface StartOptions {
  readonly startTimeoutMs?: number;
  /**
   * stdout and stderr on one pipe, as many log shippers run a container (the server's output
   * then all arrives on `child.stdout`).
   */
  readonly sharedOutput?: boolean;
}

/**
 * Starts the image's command in the sample server folder with `env` on a free port, and
 * waits until it serves (all workers listening, or the single process listening).
 */
export async function startSampleServer(env: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<ServerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const port = Number(env.PORT ?? await freePort());
  const [command, ...args] = options.sharedOutput
    ? ['/bin/sh', '-c', 'exec "$0" "$@" 2>&1', ...sampleServerCommand()]
    : sampleServerCommand();
  const child = spawn(command, args, {
    cwd: SAMPLE_SERVER_DIR,
    // A variable given as undefined is left unset (crash routes are on unless a test says otherwise).
    env: withoutUndefined({
      PATH: process.env.PATH!,
      WEB_CONCURRENCY: '2',
      CRASH_ROUTES: 'on',
      INSTANCE_MEMORY_MB: '1024',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
      PORT: String(port),
    }),
    stdio: ['ignore', 'pipe', options.sharedOutput ? 'ignore' : 'pipe'],
    detached: true, // a process group of its own, as in a container
  });
  const server = new ServerProcess(port, child);
  const single = ['off', 'false', '0'].includes((env.SUPERVISOR ?? 'on').toLowerCase());
  const workers = single ? 0 : Number(env.WEB_CONCURRENCY ?? 2);
  try {
    if (single) {
      await server.waitForLog(l => l.event === 'listening', startTimeoutMs, 'listening line');
    } else {
      await waitUntil(() => server.events('worker-started').length >= workers, startTimeoutMs, `${workers} workers started`);
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

export interface LoadResult { start: number; end: number; status?: number; error?: string }

/**
 * `concurrency` loops of GET `urlPath`, each on a new connection, until `stop()` is called,
 * `maxDurationMs` passes or `maxRequests` were sent: a bounded stream of traffic.
 */
export interface LoadOptions {
  readonly urlPath?: string;
  readonly concurrency?: number;
  readonly maxDurationMs?: number;
  readonly maxRequests?: number;
  /** Per request (default 5 s). */
  readonly timeoutMs?: number;
}

export function startLoad(port: number, options: LoadOptions = {}) {
  const results: LoadResult[] = [];
  const deadline = Date.now() + (options.maxDurationMs ?? 20_000);
  const maxRequests = options.maxRequests ?? 20_000;
  let stopped = false;
  const loop = async () => {
    while (!stopped && Date.now() < deadline && results.length < maxRequests) {
      const result: LoadResult = { start: Date.now(), end: 0 };
      results.push(result);
      try {
        const res = await request(port, options.urlPath ?? '/', { timeoutMs: options.timeoutMs ?? 5_000 });
        result.status = res.status;
        if (res.status !== 200) result.error = `status ${res.status}`;
      } catch (err: any) {
        result.error = err.code ?? err.message;
      }
      result.end = Date.now();
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency ?? 4 }, loop));
  return {
    results,
    stop: async () => { stopped = true; await done; return results; },
  };
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The intervals (ms) in which no worker accepted connections: a worker accepts from the
 * primary's `worker-started` line to its own `worker-closing` line (or its death). Shared by the
 * crash-storm test and the benchmark.
 */
export function noWorkerIntervals(logs: LogLine[], from: number, to: number): number[] {
  const accepting = new Set<number>();
  const gaps: number[] = [];
  let emptySince: number | undefined;
  // In time order: each process writes its own lines in order, but lines of different
  // processes may reach the pipe in another order than they were logged.
  const inTime = [...logs].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  for (const line of inTime) {
    const t = Date.parse(line.ts);
    if (line.event === 'worker-started') accepting.add(line.workerPid as number);
    else if (line.event === 'worker-closing') accepting.delete(line.pid as number);
    else if (line.event === 'worker-died') accepting.delete(line.workerPid as number);
    else continue;
    if (accepting.size === 0 && emptySince === undefined) emptySince = t;
    if (accepting.size > 0 && emptySince !== undefined) {
      if (t >= from && emptySince <= to) gaps.push(t - emptySince);
      emptySince = undefined;
    }
  }
  return gaps;
}

export interface CrashStormResult {
  readonly crashes: number;
  readonly loadRequests: number;
  readonly succeeded: number;
  readonly workersDied: number;
  /** The longest interval (ms) in which no worker accepted connections. */
  readonly longestNoWorkerMs: number;
}

/**
 * `crashes` GET /panic, one every `intervalMs`, under a steady GET / load of `concurrency`
 * loops (each request bounded by 10 s, the whole load by 15 s more than the storm).
 */
export async function crashStorm(server: ServerProcess, crashes = 50, intervalMs = 100, concurrency = 4): Promise<CrashStormResult> {
  const from = Date.now();
  const load = startLoad(server.port, { concurrency, maxDurationMs: crashes * intervalMs + 15_000, maxRequests: 50_000, timeoutMs: 10_000 });
  for (let i = 0; i < crashes; i++) {
    void request(server.port, '/panic', { timeoutMs: 10_000 }).catch(() => undefined);
    await new Promise(r => setTimeout(r, intervalMs));
  }
  const results = await load.stop();
  const gaps = noWorkerIntervals(server.logs, from, Date.now());
  return {
    crashes,
    loadRequests: results.length,
    succeeded: results.filter(r => r.status === 200).length,
    workersDied: server.events('worker-died').length,
    longestNoWorkerMs: Math.max(0, ...gaps),
  };
}
