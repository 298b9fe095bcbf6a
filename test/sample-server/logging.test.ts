// The log under hostile readers: a pipe shared with stderr and made non-blocking, a reader that
// falls behind, a reader that stops. No line may be cut, glued or silently lost, and the service
// must keep answering.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoadResult, ServerProcess, request, startLoad, startSampleServer, waitUntil } from './harness';

jest.setTimeout(60_000);

const TOUCH_STDERR = path.join(__dirname, 'fixtures', 'touch-stderr.js');
const O_NONBLOCK = 0o4000; // a bit of the flags /proc shows in octal

/** Whether each worker's stdout is in non-blocking mode (from /proc). */
function workerStdoutNonBlocking(server: ServerProcess): boolean[] {
  return server.events('worker-started').map((l) => {
    const flags = /flags:\s*(\d+)/.exec(fs.readFileSync(`/proc/${l.workerPid}/fdinfo/1`, 'utf8'))![1];
    return Math.floor(parseInt(flags, 8) / O_NONBLOCK) % 2 === 1;
  });
}

/** Access lines for `/` plus the lines the server says it dropped. */
function accounted(server: ServerProcess): number {
  const written = server.events('request').filter(l => l.path === '/').length;
  const dropped = server.events('log-dropped').reduce((sum, l) => sum + l.lines, 0);
  return written + dropped;
}

function answered(results: LoadResult[]): number {
  return results.filter(r => r.status === 200).length;
}

describe('stdout and stderr on one non-blocking pipe, read slowly', () => {
  test('every access line arrives whole: none cut, glued or lost', async () => {
    const server = await startSampleServer({ NODE_OPTIONS: `--require ${TOUCH_STDERR}` }, { sharedOutput: true });
    try {
      expect(workerStdoutNonBlocking(server)).toEqual([true, true]); // the hostile condition holds
      const load = startLoad(server.port, { concurrency: 8, maxDurationMs: 3_000, maxRequests: 15_000 });
      // The reader falls behind: it reads for 15 ms out of every 615 (the pipe, 64 KB, fills
      // within each pause).
      const reader = setInterval(() => {
        server.child.stdout!.pause();
        setTimeout(() => server.child.stdout!.resume(), 600);
      }, 615);
      await sleep(3_000);
      const results = await load.stop().finally(() => clearInterval(reader));
      server.child.stdout!.resume();
      expect(results.filter(r => r.error)).toEqual([]);
      await waitUntil(() => accounted(server) >= answered(results), 10_000, 'every access line').catch(() => undefined);
      expect(server.events('unparsed')).toEqual([]);
      expect(server.events('log-dropped')).toEqual([]); // the buffer outlasts a slow reader
      expect(accounted(server)).toBe(answered(results));
    } finally {
      await server.stop();
    }
  });
});

describe('a reader that stops reading', () => {
  test('the service keeps answering; lines beyond the buffer are dropped, counted, and reported', async () => {
    const server = await startSampleServer({ LOG_BUFFER_BYTES: String(64 * 1024) });
    try {
      expect(workerStdoutNonBlocking(server)).toEqual([false, false]); // a blocking pipe: a write would wait
      server.child.stdout!.pause();
      const load = startLoad(server.port, { concurrency: 8, maxDurationMs: 3_000, maxRequests: 15_000, timeoutMs: 2_000 });
      await sleep(3_000);
      const results = await load.stop();
      server.child.stdout!.resume();
      const latencies = results.map(r => r.end - r.start).sort((a, b) => a - b);
      expect(results.filter(r => r.error)).toEqual([]);
      // Far more lines than the pipe (64 KB) and both workers' buffers hold.
      expect(answered(results)).toBeGreaterThan(3_000);
      expect(latencies[latencies.length - 1]).toBeLessThan(1_000);
      // A request after the stall brings the report of what was dropped.
      await waitUntil(() => server.events('log-dropped').length > 0, 5_000, 'a log-dropped line');
      await waitUntil(() => accounted(server) >= answered(results), 5_000, 'every access line written or counted').catch(() => undefined);
      expect(server.events('unparsed')).toEqual([]);
      expect(server.events('log-dropped')[0]).toMatchObject({ lines: expect.any(Number), reason: 'stdout was not read fast enough' });
      expect(accounted(server)).toBe(answered(results));
    } finally {
      await server.stop();
    }
  });
});

describe('every line on stdout and stderr is one JSON object', () => {
  test('Node warnings, the AWS SDK and a worker dying of memory (V8 writes text to stderr)', async () => {
    const server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', WEB_CONCURRENCY: '1' }, { sharedOutput: true });
    try {
      await request(server.port, '/dynamodb/read'); // loads and runs the SDK (503: nothing listens there)
      await request(server.port, '/use-all-memory', { timeoutMs: 15_000 }).catch(() => undefined);
      await server.waitForLog(l => l.event === 'worker-died', 20_000, 'the worker\'s death');
      await waitUntil(() => server.events('worker-started').length >= 2, 10_000, 'its replacement');
    } finally {
      await server.stop();
    }
    expect(server.events('unparsed')).toEqual([]);
    // What the server wrote as text before: the SDK's Node version warning, V8's heap report.
    expect(server.events('node-warning').length + server.events('aws-sdk').length).toBeGreaterThan(0);
    expect(server.events('worker-stderr').some(l => /heap/i.test(l.line))).toBe(true);
  });
});
