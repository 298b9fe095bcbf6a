import * as net from 'node:net';
import { ServerProcess, request, startDynalite, startSampleServer } from './harness';

jest.setTimeout(30_000);

describe('sample server DynamoDB routes against dynalite', () => {
  test('write then read returns the item', async () => {
    const db = await startDynalite('items');
    const server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    try {
      const write = await request(server.port, '/dynamodb/write', {
        method: 'POST', body: JSON.stringify({ pk: 'p1', sk: 's1', message: 'hello' }), headers: { 'content-type': 'application/json' },
      });
      expect(write.status).toBe(200);
      expect(JSON.parse(write.body)).toEqual({ item: { pk: 'p1', sk: 's1', message: 'hello' } });

      const defaulted = await request(server.port, '/dynamodb/write', { method: 'POST' });
      expect(JSON.parse(defaulted.body).item).toMatchObject({ pk: 'sample', sk: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

      const read = await request(server.port, '/dynamodb/read?pk=p1');
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toEqual({ items: [{ pk: 'p1', sk: 's1', message: 'hello' }] });
    } finally {
      await server.stop();
      await db.stop();
    }
  });

  test('invalid JSON is a 400, not a crash', async () => {
    const db = await startDynalite('items');
    const server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    try {
      const res = await request(server.port, '/dynamodb/write', { method: 'POST', body: '{not json' });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: 'body is not valid JSON' });
      expect(server.events('worker-died')).toHaveLength(0);
    } finally {
      await server.stop();
      await db.stop();
    }
  });

  describe('failures answer 500 JSON and log a line, and / keeps serving', () => {
    let server: ServerProcess | undefined;
    afterEach(async () => { await server?.stop(); });

    test('a missing table', async () => {
      const db = await startDynalite();
      try {
        server = await startSampleServer({ TABLE_NAME: 'missing', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
        const res = await request(server.port, '/dynamodb/read');
        expect(res.status).toBe(500);
        expect(JSON.parse(res.body).error).toMatch(/non-existent table|not found/i);
        await server.waitForLog(l => l.event === 'request-error' && l.path === '/dynamodb/read', 2_000, 'request-error line');
        expect((await request(server.port, '/')).status).toBe(200);
      } finally {
        await server?.stop();
        await db.stop();
      }
    });


    test('the DynamoDB server stopped', async () => {
      const db = await startDynalite('items');
      server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
      await db.stop();
      const started = Date.now();
      const res = await request(server.port, '/dynamodb/write', { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toEqual({ error: 'DynamoDB is unreachable (ECONNREFUSED)' });
      expect(Date.now() - started).toBeLessThan(8_000);
      expect((await request(server.port, '/')).status).toBe(200);
      expect(server.events('worker-died')).toHaveLength(0);
    });

    test('an endpoint that accepts connections and never answers: every call ends with 504 within the bound', async () => {
      // A blackhole: accepts, reads, never writes.
      const sockets: net.Socket[] = [];
      const blackhole = net.createServer(socket => { sockets.push(socket); socket.on('error', () => undefined); });
      await new Promise<void>(resolve => blackhole.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`;
      try {
        server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: endpoint, DYNAMODB_TIMEOUT_MS: '1000' });
        const started = Date.now();
        // 60 at once: more than the SDK's 50 sockets, so none may wait in a queue behind a hung socket.
        const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2
          ? request(server!.port, '/dynamodb/write', { method: 'POST', body: '{}', timeoutMs: 10_000 })
          : request(server!.port, '/dynamodb/read', { timeoutMs: 10_000 }))
          .then(r => ({ status: r.status, body: JSON.parse(r.body), ms: Date.now() - started }))));
        expect(new Set(answers.map(a => a.status))).toEqual(new Set([504]));
        expect(answers[0].body).toEqual({ error: 'DynamoDB did not answer within 1000 ms' });
        expect(Math.max(...answers.map(a => a.ms))).toBeLessThan(3_000);
        await server.waitForLog(l => l.event === 'request-error' && /did not answer/.test(l.error), 2_000, 'request-error line');
        expect((await request(server.port, '/')).status).toBe(200);
      } finally {
        sockets.forEach(s => s.destroy());
        blackhole.close();
      }
    });

    test('no TABLE_NAME', async () => {
      server = await startSampleServer();
      const res = await request(server.port, '/dynamodb/read');
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ error: 'TABLE_NAME is not set' });
    });
  });
});
