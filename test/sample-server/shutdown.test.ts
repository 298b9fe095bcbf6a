import { request, startSampleServer } from './harness';

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
