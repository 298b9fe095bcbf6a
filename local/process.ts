// Processes on 127.0.0.1: the sample server, a local DynamoDB (dynalite), free ports and
// plain HTTP requests. Used by the local run of a service and by the tests.
import { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { AttributeDefinition, CreateTableCommand, DynamoDBClient, KeySchemaElement } from '@aws-sdk/client-dynamodb';

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
    child.stderr?.on('data', (chunk: Buffer) => { this.stderr += chunk.toString('utf8'); });
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

  /**
   * SIGTERM, then SIGKILL after 15 s. A child spawned `detached` leads its own process group,
   * which gets the signal whole (a shell running the start command, and what it started).
   */
  public async stop(): Promise<void> {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-this.child.pid!, name);
      } catch {
        this.child.kill(name); // not a group leader
      }
    };
    if (this.child.exitCode === null && this.child.signalCode === null) signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Waits until something answers HTTP on `port` (any status), polling every 50 ms. */
export async function waitForHttp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await request(port, '/', { timeoutMs: 1_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms: ${err}`);
      await new Promise(r => setTimeout(r, 50));
    }
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

/** A table as CloudFormation describes it (the parts a local table needs). */
export interface TableDefinition {
  readonly TableName: string;
  readonly KeySchema: KeySchemaElement[];
  readonly AttributeDefinitions: AttributeDefinition[];
}

/** Creates a table on a local DynamoDB endpoint, on demand. */
export async function createTable(endpoint: string, table: TableDefinition): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand({ ...table, BillingMode: 'PAY_PER_REQUEST' }));
  } finally {
    client.destroy();
  }
}

/** A dynalite server on a free loopback port, with a table keyed pk/sk when `tableName` is given. */
export async function startDynalite(tableName?: string) {
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
    try {
      await createTable(endpoint, {
        TableName: tableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      });
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { endpoint, stop };
}
