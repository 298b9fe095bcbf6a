import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { SAMPLE_SERVER_DIR, ServerProcess, request, startSampleServer } from './harness';

jest.setTimeout(30_000);

describe.each([
  ['supervisor on', {}],
  ['supervisor off', { SUPERVISOR: 'off' }],
])('SIGTERM with requests in flight (%s)', (_mode, env) => {
  test('every in-flight request completes and the process exits 0', async () => {
    const server = await startSampleServer(env);
    const inFlight = Array.from({ length: 6 }, () => request(server.port, '/delay?ms=1500', { timeoutMs: 10_000 }));
    await new Promise(r => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    const exit = await server.exited;
    expect(results.map(r => (r.status === 'fulfilled' ? r.value.status : r.reason.message))).toEqual(Array(6).fill(200));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.events('shutdown')).toHaveLength(1);
  });
});

describe.each([
  ['supervisor on', {}],
  ['supervisor off', { SUPERVISOR: 'off' }],
])('shutdown edge cases (%s)', (_mode, env) => {
  test('a half-sent request does not hold the shutdown: closed at once, exit 0', async () => {
    const server = await startSampleServer({ ...env, SHUTDOWN_TIMEOUT_MS: '10000' });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise(resolve => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n'); // the headers never end
    socket.on('error', () => undefined);
    const closed = new Promise(resolve => socket.once('close', resolve));
    await new Promise(r => setTimeout(r, 200));
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3_000);
    await closed;
  });

  test('a second signal during the shutdown does not cut the requests in flight', async () => {
    const server = await startSampleServer(env);
    const inFlight = Array.from({ length: 4 }, () => request(server.port, '/delay?ms=1500', { timeoutMs: 10_000 }));
    await new Promise(r => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise(r => setTimeout(r, 300));
    server.child.kill('SIGINT');
    const results = await Promise.allSettled(inFlight);
    expect(results.map(r => (r.status === 'fulfilled' ? r.value.status : r.reason.message))).toEqual(Array(4).fill(200));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.events('signal-ignored')).toHaveLength(1);
  });
});

test('the supervisor\'s exit code is its workers\': a worker cut by the shutdown bound makes it 1', async () => {
  const server = await startSampleServer({ SHUTDOWN_TIMEOUT_MS: '500' });
  const slow = request(server.port, '/delay?ms=5000', { timeoutMs: 10_000 }).catch(() => undefined);
  await new Promise(r => setTimeout(r, 300));
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(1);
  expect(server.events('supervisor-stopped')[0]).toMatchObject({ clean: false });
  await slow;
});

describe('SIGTERM to the whole process group (supervisor on)', () => {
  test('shuts down once, in order, without replacing any worker', async () => {
    const server = await startSampleServer();
    const inFlight = request(server.port, '/delay?ms=1000', { timeoutMs: 10_000 });
    await new Promise(r => setTimeout(r, 300));
    process.kill(-server.child.pid!, 'SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.events('worker-restart-delayed')).toEqual([]);
    expect(server.events('worker-started')).toHaveLength(2);
    expect(server.events('worker-exited').map(l => l.code)).toEqual([0, 0]);
  });
});

describe('startup', () => {
  /** The listening TCP sockets of the machine on `port`, as "address" strings, from /proc/net/tcp and tcp6. */
  function listeners(port: number): string[] {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap(file => fs.readFileSync(file, 'utf8').split('\n').slice(1)
      .map(line => line.trim().split(/\s+/))
      .filter(cols => cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`))
      .map(cols => cols[1].split(':')[0]));
  }

  test.each([['supervisor on', {}], ['supervisor off', { SUPERVISOR: 'off' }]])(
    'with %s, HOST=127.0.0.1 listens on loopback only; without HOST on every address', async (_mode, env) => {
      const local = await startSampleServer({ ...env, HOST: '127.0.0.1' });
      try {
        expect(listeners(local.port)).toEqual(['0100007F']);
      } finally {
        await local.stop();
      }
      const all = await startSampleServer(env);
      try {
        expect(listeners(all.port).every(address => /^0+$/.test(address))).toBe(true);
      } finally {
        await all.stop();
      }
    });

  test.each([['supervisor on', {}], ['supervisor off', { SUPERVISOR: 'off' }]])(
    'with %s, a port in use is fatal at once: exit 1 with the cause, no crash loop', async (_mode, env) => {
      const blocker = net.createServer();
      await new Promise<void>(resolve => blocker.listen(0, resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const started = Date.now();
        const server = new ServerProcess(port, spawn('node', ['server.js'], {
          cwd: SAMPLE_SERVER_DIR,
          env: { PATH: process.env.PATH!, WEB_CONCURRENCY: '2', INSTANCE_MEMORY_MB: '512', PORT: String(port), ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        }));
        const exit = await server.exited;
        expect(exit.code).toBe(1);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(server.events('startup-failed')[0].error).toMatch(/EADDRINUSE/);
        expect(server.events('worker-started')).toHaveLength(0);
      } finally {
        blocker.close();
      }
    });

  test('PORT that is no TCP port is fatal with a line that says so', async () => {
    const server = new ServerProcess(70000, spawn('node', ['server.js'], {
      cwd: SAMPLE_SERVER_DIR, env: { PATH: process.env.PATH!, PORT: '70000' }, stdio: ['ignore', 'pipe', 'pipe'],
    }));
    expect((await server.exited).code).toBe(1);
    expect(server.events('startup-failed')[0].error).toBe("PORT must be an integer from 1 to 65535, got '70000'");
  });
});
