// Runs the sample server as a real process on 127.0.0.1 and talks to it over HTTP.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { imageCommand, readDockerfile } from '../../local/dockerfile';
import { ServerProcess, freePort, request, waitUntil } from '../../local/process';

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
