// Runs the sample server as a real process on 127.0.0.1 and talks to it over HTTP.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient, KeySchemaElement } from '@aws-sdk/client-dynamodb';

export const SAMPLE_SERVER_DIR = path.join(__dirname, '..', '..', 'assets', 'sample-server');

/** The image's start command, read from the Dockerfile's exec-form CMD, so tests run exactly that. */
export function imageCommand(): string[] {
  const dockerfile = fs.readFileSync(path.join(SAMPLE_SERVER_DIR, 'Dockerfile'), 'utf8');
  const cmd = dockerfile.split('\n').filter(l => /^CMD\s/.test(l)).pop();
  if (!cmd) throw new Error('the Dockerfile has no CMD');
  return JSON.parse(cmd.replace(/^CMD\s+/, ''));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface LogLine { ts: string; pid: number; event: string; [key: string]: any }

export class ServerProcess {
  public readonly logs: LogLine[] = [];
  public readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  public stderr = '';

  constructor(public readonly port: number, public readonly child: ChildProcess) {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const text of lines) {
        if (!text.trim()) continue;
        let line: LogLine;
        try {
          line = JSON.parse(text);
        } catch {
          line = { ts: new Date().toISOString(), pid: -1, event: 'unparsed', text };
        }
        this.logs.push(line);
        for (const waiter of [...this.waiters]) {
          if (waiter.match(line)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString('utf8'); });
    // 'close', not 'exit': by then stdout is read to the end, so every log line is in.
    this.exited = new Promise(resolve => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  /** The first log line (already seen or coming) that matches, within timeoutMs. */
  public waitForLog(match: (l: LogLine) => boolean, timeoutMs: number, what = 'log line'): Promise<LogLine> {
    const seen = this.logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (l) => { clearTimeout(timer); resolve(l); } });
    });
  }

  public events(event: string): LogLine[] {
    return this.logs.filter(l => l.event === event);
  }

  public async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts the image's command in the sample server folder with `env` on a free port, and
 * waits until it serves (all workers listening, or the single process listening).
 */
export async function startSampleServer(env: Record<string, string> = {}, startTimeoutMs = 15_000): Promise<ServerProcess> {
  const port = Number(env.PORT ?? await freePort());
  const [command, ...args] = imageCommand();
  const child = spawn(command, args, {
    cwd: SAMPLE_SERVER_DIR,
    env: {
      PATH: process.env.PATH!,
      WEB_CONCURRENCY: '2',
      INSTANCE_MEMORY_MB: '1024',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
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

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

export interface Response { status: number; headers: http.IncomingHttpHeaders; body: string }

export interface RequestOptions {
  readonly method?: string;
  readonly body?: string | Buffer;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly timeoutMs?: number;
}

/** One request on a new connection; rejects on a network error or after timeoutMs. */
export function request(port: number, urlPath: string, options: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: urlPath,
      method: options.method ?? 'GET',
      agent: false,
      headers: { connection: 'close', ...options.headers },
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface LoadResult { start: number; end: number; status?: number; error?: string }

/**
 * `concurrency` loops of GET `urlPath`, each on a new connection, until `stop()` is called,
 * `maxDurationMs` passes or `maxRequests` were sent: a bounded stream of traffic.
 */
export function startLoad(port: number, options: { urlPath?: string; concurrency?: number; maxDurationMs?: number; maxRequests?: number } = {}) {
  const results: LoadResult[] = [];
  const deadline = Date.now() + (options.maxDurationMs ?? 20_000);
  const maxRequests = options.maxRequests ?? 20_000;
  let stopped = false;
  const loop = async () => {
    while (!stopped && Date.now() < deadline && results.length < maxRequests) {
      const result: LoadResult = { start: Date.now(), end: 0 };
      results.push(result);
      try {
        const res = await request(port, options.urlPath ?? '/', { timeoutMs: 5_000 });
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

/** A dynalite server on a free loopback port, with a table keyed pk/sk when `tableName` is given. */
export async function startDynalite(tableName?: string, keySchema = [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await freePort();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  let closed = false;
  const stop = () => new Promise<void>((resolve) => {
    if (closed) return resolve();
    closed = true;
    server.close(() => resolve());
  });
  if (tableName) {
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await client.send(new CreateTableCommand({
        TableName: tableName,
        KeySchema: keySchema as KeySchemaElement[],
        AttributeDefinitions: keySchema.map(k => ({ AttributeName: k.AttributeName, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
      }));
    } catch (err) {
      await stop();
      throw err;
    } finally {
      client.destroy();
    }
  }
  return { endpoint, stop };
}
