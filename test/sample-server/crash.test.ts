import * as fs from 'node:fs';
import { crashStorm, request, startLoad, startSampleServer, waitUntil } from './harness';
import { sampleServerCrashRoutes } from '../../src/private/sample-server';

jest.setTimeout(60_000);

const CRASH_ROUTES = sampleServerCrashRoutes();
const CONCURRENCY = 4;

/** What one crash under load cost, for the report printed at the end. */
const report: Record<string, unknown>[] = [];
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`crash isolation (supervisor on, 2 workers, ${CONCURRENCY} concurrent GET / loops):\n${report.map(r => JSON.stringify(r)).join('\n')}`);
});

describe('with the supervisor on, a crash costs only what the dying worker held', () => {
  test.each(CRASH_ROUTES)('%s under load', async (route) => {
    const server = await startSampleServer({ WEB_CONCURRENCY: '2', INSTANCE_MEMORY_MB: '1024' });
    try {
      const load = startLoad(server.port, { concurrency: CONCURRENCY, maxDurationMs: 20_000 });
      await new Promise(r => setTimeout(r, 500));

      const crashSent = Date.now();
      const crash = await request(server.port, route, { timeoutMs: 15_000 }).then(r => `status ${r.status}`, (e: any) => e.code ?? e.message);
      const died = await server.waitForLog(l => l.event === 'worker-died', 15_000, 'worker-died line');
      const diedAt = Date.parse(died.ts);
      const replacement = await server.waitForLog(
        l => l.event === 'worker-started' && Date.parse(l.ts) >= crashSent && l.workerPid !== died.workerPid, 15_000, 'replacement worker');
      // Keep the load running a while after the replacement serves.
      await new Promise(r => setTimeout(r, 1_000));
      const results = await load.stop();

      const failed = results.filter(r => r.error);
      const failedAfterDeath = failed.filter(r => r.start > diedAt);
      const beforeCrash = results.filter(r => r.end < crashSent);
      report.push({
        route,
        crashRequest: crash,
        diedWith: { code: died.code, signal: died.signal, route: died.route },
        loadRequests: results.length,
        failed: failed.length,
        failedAfterDeath: failedAfterDeath.length,
        replacementServingMs: Date.parse(replacement.ts) - diedAt,
      });

      expect(crash).not.toBe('status 200'); // the crashing request itself is lost
      expect(died.route).toBe(route); // the death is logged with its cause
      expect(route === '/use-all-memory' ? died.signal ?? died.code : died.code).toBe(route === '/use-all-memory' ? 'SIGABRT' : 1);
      expect(beforeCrash.length).toBeGreaterThan(10);
      expect(failedAfterDeath).toEqual([]); // every request that starts after the death succeeds
      if (route === '/panic') {
        expect(failed).toEqual([]); // the worker stops accepting, finishes what it holds, then exits
      } else {
        expect(failed.length).toBeLessThanOrEqual(CONCURRENCY); // at most one request per connection in flight
      }
      expect(Date.parse(replacement.ts) - diedAt).toBeLessThan(5_000);
      expect((await request(server.port, '/')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('with the supervisor off, a crash ends the process', () => {
  test.each([
    ['/panic', 1, null],
    ['/exit', 1, null],
    ['/fatal', 1, null],
    ['/use-all-memory', null, 'SIGABRT'],
  ])('%s exits with code %s, signal %s', async (route, code, signal) => {
    // The image's command as is; only the heap limit is set the way a small instance would have it.
    const server = await startSampleServer({ SUPERVISOR: 'off', NODE_OPTIONS: '--max-old-space-size=256' });
    const started = Date.now();
    await request(server.port, route, { timeoutMs: 15_000 }).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([server.exited, new Promise((r) => { timer = setTimeout(r, 15_000, 'still running'); })]);
    clearTimeout(timer);
    await server.stop();
    expect(exit).toEqual({ code, signal });
    expect(Date.now() - started).toBeLessThan(10_000);
    if (route === '/fatal') expect(server.events('fatal')).toHaveLength(1);
    if (route === '/exit') expect(server.events('exit')).toHaveLength(1);
    if (route === '/panic') expect(server.events('uncaught-exception')[0].route).toBe('/panic');
  });
});

describe('/use-all-memory', () => {
  test('ends by the heap limit within seconds, holding about that much and no more', async () => {
    const server = await startSampleServer({ WEB_CONCURRENCY: '1', INSTANCE_MEMORY_MB: '1024' });
    try {
      const supervisorStart = server.events('supervisor-started')[0];
      expect(supervisorStart.heapLimitMb).toBe(512);
      const started = Date.now();
      await request(server.port, '/use-all-memory', { timeoutMs: 15_000 }).catch(() => undefined);
      const died = await server.waitForLog(l => l.event === 'worker-died', 15_000);
      expect(Date.now() - started).toBeLessThan(10_000);
      const steps = server.events('memory-step');
      const peakRss = Math.max(...steps.map(s => s.rssMb));
      expect(died.signal).toBe('SIGABRT');
      expect(peakRss).toBeLessThan(512 * 2.5);
      await waitUntil(() => server.events('worker-started').length >= 2, 10_000, 'replacement');
      expect((await request(server.port, '/healthz')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('a crash loop', () => {
  test('is slowed down by back-off, but the last accepting worker is always replaced at once', async () => {
    const server = await startSampleServer({ WEB_CONCURRENCY: '2' });
    try {
      for (let i = 0; i < 8; i++) {
        await waitUntil(() => server.events('worker-started').length - server.events('worker-died').length >= 1, 15_000, 'a worker');
        await request(server.port, '/exit').catch(() => undefined);
        await waitUntil(() => server.events('worker-died').length > i, 5_000, `death ${i + 1}`);
        // Right after each death some worker answers (at once, or after a replacement's start).
        await waitUntil(() => server.events('worker-started').length - server.events('worker-died').length >= 1, 2_000, 'a worker after the death');
        expect((await request(server.port, '/')).status).toBe(200);
      }
      const delays = server.events('worker-restart-delayed').map(l => l.delayMs);
      expect(delays.length).toBeGreaterThan(0);
      // 250 ms, doubling with every restart in the window (immediate ones count too), at most 10 s.
      expect(delays[0]).toBe(250);
      for (const [i, delay] of delays.entries()) {
        expect([250, 500, 1000, 2000, 4000, 8000, 10_000]).toContain(delay);
        if (i > 0) expect(delay).toBeGreaterThan(delays[i - 1]);
      }
      expect(server.events('worker-restart-immediate').length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});

describe('a crash storm', () => {
  test('leaves no client connection hanging: 40 /panic at 10 per second under load, every request answered or closed', async () => {
    const server = await startSampleServer({ WEB_CONCURRENCY: '2' });
    const primaryFds = () => fs.readdirSync(`/proc/${server.child.pid}/fd`).length;
    try {
      const fdsBefore = primaryFds();
      // 30 s per request: far beyond any back-off, so a timeout means a connection nobody will ever answer.
      const load = startLoad(server.port, { concurrency: 4, maxDurationMs: 20_000, maxRequests: 20_000, timeoutMs: 30_000 });
      const crashes: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        crashes.push(request(server.port, '/panic', { timeoutMs: 30_000 }).catch((err: any) => err.code ?? err.message));
        await new Promise(r => setTimeout(r, 100));
      }
      const crashAnswers = await Promise.all(crashes);
      const results = await load.stop();
      const hung = [...results.map(r => r.error), ...crashAnswers].filter(e => typeof e === 'string' && /timeout/.test(e));
      expect({ hung: hung.length, requests: results.length }).toEqual({ hung: 0, requests: expect.any(Number) });
      // Every worker is back, and the primary holds no client socket.
      await waitUntil(() => server.events('worker-started').length - server.events('worker-died').length >= 2, 30_000, 'workers back');
      expect((await request(server.port, '/')).status).toBe(200);
      await waitUntil(() => primaryFds() <= fdsBefore, 5_000, `the primary's open files back to ${fdsBefore}`);
    } finally {
      await server.stop();
    }
  });
});

describe('availability under a crash storm', () => {
  test('50 /panic in 5 s under a steady GET / load: at least 98% of GET / succeed, never 0.5 s without an accepting worker', async () => {
    const server = await startSampleServer({ WEB_CONCURRENCY: '2' });
    try {
      const storm = await crashStorm(server);
      // eslint-disable-next-line no-console
      console.log(`crash storm: ${storm.succeeded} of ${storm.loadRequests} GET / succeeded; ${storm.workersDied} workers died; `
        + `longest interval without an accepting worker ${storm.longestNoWorkerMs} ms`);
      expect(storm.succeeded / storm.loadRequests).toBeGreaterThanOrEqual(0.98);
      expect(storm.longestNoWorkerMs).toBeLessThanOrEqual(500);
    } finally {
      await server.stop();
    }
  });
});

describe('the crash routes are off unless asked for', () => {
  test.each([['unset', undefined], ['off', 'off']])('CRASH_ROUTES %s: every crash route answers 404 and no worker dies', async (_name, value) => {
    const server = await startSampleServer({ CRASH_ROUTES: value });
    try {
      for (const route of CRASH_ROUTES) {
        expect((await request(server.port, route)).status).toBe(404);
      }
      expect((await request(server.port, '/')).status).toBe(200);
      expect(server.events('worker-died')).toHaveLength(0);
      expect(server.events('supervisor-started')[0]).toMatchObject({ crashRoutes: false });
    } finally {
      await server.stop();
    }
  });
});
