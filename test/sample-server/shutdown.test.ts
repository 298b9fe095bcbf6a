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
