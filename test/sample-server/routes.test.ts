import { ServerProcess, request, startSampleServer } from './harness';

jest.setTimeout(30_000);

describe('sample server routes', () => {
  let server: ServerProcess;
  beforeAll(async () => { server = await startSampleServer(); });
  afterAll(async () => { await server.stop(); });

  test('GET / answers 200 with the HTML page and no version headers', async () => {
    const res = await request(server.port, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Hello from App Runner</h1>');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });

  test('GET /healthz answers 200 JSON with status, pid and uptime', async () => {
    const res = await request(server.port, '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body);
    expect(body).toEqual({ status: 'ok', pid: expect.any(Number), uptime: expect.any(Number) });
    expect(body.pid).not.toBe(server.child.pid); // a worker answers, not the supervisor
  });

  test('anything else is a JSON 404, and a wrong method on a known path a 405', async () => {
    const missing = await request(server.port, '/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'no route for GET /nope' });
    const wrongMethod = await request(server.port, '/healthz', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
  });

  test('a body above the limit is refused with 413', async () => {
    const res = await request(server.port, '/dynamodb/write', { method: 'POST', body: 'x'.repeat(70 * 1024), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toBe('body is larger than 65536 bytes');
  });

  test('GET /delay waits, and refuses delays out of range', async () => {
    const started = Date.now();
    const res = await request(server.port, '/delay?ms=200');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await request(server.port, '/delay?ms=20000')).status).toBe(400);
  });

  test('every request leaves one JSON access log line', async () => {
    const unique = `/not-here-${Date.now()}`;
    await request(server.port, `${unique}?q=1`);
    const line = await server.waitForLog(l => l.event === 'request' && l.path === unique, 2_000);
    expect(line).toMatchObject({ method: 'GET', status: 404, ms: expect.any(Number), pid: expect.any(Number), ts: expect.any(String) });
    expect(server.events('request').filter(l => l.path === unique)).toHaveLength(1);
  });

  test('the server keeps idle connections open longer than a 60 s proxy idle timeout', async () => {
    const res = await new Promise<any>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('node:http').get({ host: '127.0.0.1', port: server.port, path: '/healthz', agent: false, headers: { connection: 'keep-alive' } }, resolve).on('error', reject);
    });
    res.resume();
    expect(res.headers['keep-alive']).toBe('timeout=65');
    res.socket.destroy();
  });
});
