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

  describe('client mistakes answer 400 with a short reason; what is acknowledged is what is stored', () => {
    let db: Awaited<ReturnType<typeof startDynalite>>;
    let server: ServerProcess;
    beforeAll(async () => {
      db = await startDynalite('items');
      server = await startSampleServer({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    });
    afterAll(async () => {
      await server.stop();
      await db.stop();
    });
    const write = (body: string) => request(server.port, '/dynamodb/write', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

    test.each([
      ['an empty pk', '{"pk":""}', 'pk must not be empty'],
      ['a pk over 2,048 bytes', JSON.stringify({ pk: 'é'.repeat(1025) }), 'pk is longer than 2048 bytes (UTF-8)'],
      ['an sk over 1,024 bytes', JSON.stringify({ sk: 'x'.repeat(1025) }), 'sk is longer than 1024 bytes (UTF-8)'],
      ['a number as pk', '{"pk":5}', 'pk must be a string'],
      ['an object as sk', '{"sk":{"a":1}}', 'sk must be a string'],
      ['an integer beyond 2^53', '{"n":12345678901234567890}', 'body.n is beyond ±9007199254740991'],
      ['a number beyond DynamoDB\'s range', '{"n":1.5e200}', 'body.n is beyond ±9007199254740991'],
      ['a number below DynamoDB\'s smallest', '{"n":1e-200}', 'body.n is closer to 0 than DynamoDB\'s smallest number (1e-130)'],
      ['nesting deeper than 32 levels', nested(40), 'body is nested deeper than 32 levels'],
      ['nesting far deeper (no stack overflow)', nested(10_000), 'body is nested deeper than 32 levels'],
      ['a __proto__ attribute', '{"__proto__":{"x":1}}', 'attribute name \'__proto__\' is reserved'],
      ['toString', '{"toString":1}', 'attribute name \'toString\' is reserved'],
      ['constructor, nested', '{"m":{"constructor":1}}', 'attribute name \'constructor\' is reserved'],
      ['an empty attribute name', '{"":1}', 'attribute names must not be empty'],
      ['a lone surrogate in a value', '{"s":"a\\ud800b"}', 'body.s is not valid Unicode (a lone surrogate)'],
      ['a lone surrogate in a name', '{"\\udc00":1}', 'an attribute name is not valid Unicode (a lone surrogate)'],
    ])('write: %s', async (_name, body, message) => {
      const res = await write(body);
      expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({ status: 400, body: { error: message } });
    });

    test.each([
      ['limit=-5', 'limit must be an integer from 1 to 100'],
      ['limit=0', 'limit must be an integer from 1 to 100'],
      ['limit=101', 'limit must be an integer from 1 to 100'],
      ['limit=2.5', 'limit must be an integer from 1 to 100'],
      ['limit=abc', 'limit must be an integer from 1 to 100'],
      ['limit=', 'limit must be an integer from 1 to 100'],
      ['pk=', 'pk must not be empty'],
      [`pk=${'x'.repeat(2049)}`, 'pk is longer than 2048 bytes (UTF-8)'],
    ])('read: %#', async (query, message) => {
      const res = await request(server.port, `/dynamodb/read?${query}`);
      expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({ status: 400, body: { error: message } });
    });

    test('values at the limits are stored and read back exactly as acknowledged', async () => {
      const item = {
        pk: 'limits',
        sk: 'é'.repeat(512), // 1,024 bytes
        big: Number.MAX_SAFE_INTEGER,
        small: -Number.MAX_SAFE_INTEGER,
        tiny: 1.5e-130,
        fraction: 0.1,
        negative: -2.5e-7,
        text: 'emoji 😀 and 𝄞',
        empty: '',
        none: null,
        flags: [true, false],
        deep: JSON.parse(nested(31)),
        list: [1, 'two', { three: [3] }],
      };
      const res = await write(JSON.stringify(item));
      expect(res.status).toBe(200);
      const acknowledged = JSON.parse(res.body).item;
      expect(acknowledged).toEqual(item);
      const read = await request(server.port, '/dynamodb/read?pk=limits&limit=1');
      expect(JSON.parse(read.body).items).toEqual([acknowledged]);
    });

    test('a 500 never tells the client internal detail, and no client mistake makes one', () => {
      expect(server.events('request-error')).toEqual([]);
    });
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
        // The client learns nothing internal; the log line has the detail.
        expect(JSON.parse(res.body)).toEqual({ error: 'internal error' });
        const line = await server.waitForLog(l => l.event === 'request-error' && l.path === '/dynamodb/read', 2_000, 'request-error line');
        expect(line.error).toMatch(/non-existent table|not found/i);
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
