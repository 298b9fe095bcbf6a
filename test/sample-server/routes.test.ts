import * as net from 'node:net';
import * as path from 'node:path';
import { SAMPLE_SERVER_DIR, ServerProcess, request, startSampleServer } from './harness';

/* eslint-disable @typescript-eslint/no-require-imports */
const { readConfig } = require(path.join(SAMPLE_SERVER_DIR, 'lib', 'config.js'));
const { checkingInterval } = require(path.join(SAMPLE_SERVER_DIR, 'lib', 'app.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

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
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expect((await request(server.port, '/dynamodb/write')).headers.allow).toBe('POST');
  });

  test.each(['/', '/healthz', '/delay?ms=1', '/dynamodb/read'])('HEAD %s answers as GET does, without a body', async (urlPath) => {
    const [get, head] = [await request(server.port, urlPath), await request(server.port, urlPath, { method: 'HEAD' })];
    expect(head.status).toBe(get.status);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.body).toBe('');
  });

  test('HEAD never runs a crash route (a link checker must not restart a worker)', async () => {
    const res = await request(server.port, '/exit', { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(server.events('worker-died')).toEqual([]);
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

describe('a request that arrives too slowly', () => {
  test('is cut within REQUEST_TIMEOUT_MS and Node\'s check interval (a tenth of it): 408, connection closed', async () => {
    const server = await startSampleServer({ REQUEST_TIMEOUT_MS: '1000', WEB_CONCURRENCY: '1' });
    try {
      const socket = net.connect(server.port, '127.0.0.1');
      await new Promise(resolve => socket.once('connect', resolve));
      const started = Date.now();
      // Headers complete, the body never does.
      socket.write('POST /dynamodb/write HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":');
      let received = '';
      socket.on('data', chunk => { received += chunk; });
      const closedAfterMs = await new Promise<number>((resolve) => {
        const timer = setTimeout(() => { socket.destroy(); resolve(Infinity); }, 10_000);
        socket.once('close', () => { clearTimeout(timer); resolve(Date.now() - started); });
      });
      expect(received).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).toBeGreaterThanOrEqual(900);
      expect(closedAfterMs).toBeLessThan(1000 + 100 + 500);
    } finally {
      await server.stop();
    }
  });

  test('the defaults cut a slow request before App Runner\'s 120 s in the worst case; longer settings are refused', () => {
    const config = readConfig({});
    expect(config.requestTimeoutMs + checkingInterval(config.requestTimeoutMs)).toBeLessThan(120_000);
    expect(() => readConfig({ REQUEST_TIMEOUT_MS: '120000' })).toThrow("REQUEST_TIMEOUT_MS must be an integer from 1000 to 110000, got '120000'");
    expect(110_000 + checkingInterval(110_000)).toBeLessThan(120_000);
  });
});
