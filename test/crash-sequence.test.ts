import { CRASH_ROUTES, CRASH_SEQUENCE, HttpStep, PROBE_ITEM, checkAnswer, expectedAnswer } from '../integ/crash-sequence';
import { sampleServerCrashRoutes } from '../src/private/sample-server';

const page = CRASH_SEQUENCE.find(s => s.name === 'page')!;
const read = CRASH_SEQUENCE.find(s => s.name === 'read')!;

describe('the crash sequence', () => {
  test('goes through every crash route of the sample server, each followed by a recovery check', () => {
    expect(CRASH_ROUTES).toEqual(sampleServerCrashRoutes());
    for (const route of CRASH_ROUTES) {
      const i = CRASH_SEQUENCE.findIndex(s => s.path === route);
      expect(i).toBeGreaterThan(0);
      expect(CRASH_SEQUENCE[i + 1]).toMatchObject({ path: '/', expect: { status: 200 } });
    }
  });
});

describe('one check of an answer, for the local run and the deployed assertion', () => {
  test('the page passes on the page and fails on another body or status', () => {
    expect(checkAnswer(page, { status: 200, body: '<h1>Hello from App Runner</h1>' })).toBeUndefined();
    expect(checkAnswer(page, { status: 200, body: 'Hello' })).toMatch(/Hello from App Runner/);
    expect(checkAnswer(page, { status: 503, body: 'Hello from App Runner' })).toMatch(/503/);
  });

  test('text is matched literally, as a substring (the deployed regex is escaped)', () => {
    const step: HttpStep = { name: 't', method: 'GET', path: '/', expect: { status: 200, textIncludes: 'a.c (x)' } };
    expect(checkAnswer(step, { status: 200, body: '-- a.c (x) --' })).toBeUndefined();
    expect(checkAnswer(step, { status: 200, body: 'abc x' })).toBeDefined();
    expect(JSON.parse(expectedAnswer(step).result)).toEqual({ $ObjectLike: { status: 200, body: { $StringLike: 'a\\.c \\(x\\)' } } });
  });

  test('items are matched as the deployed assertion matches them: an item like the probe, other keys allowed', () => {
    const ok = JSON.stringify({ items: [{ pk: 'other' }, { ...PROBE_ITEM, extra: 1 }] });
    expect(checkAnswer(read, { status: 200, body: ok })).toBeUndefined();
    const changed = JSON.stringify({ items: [{ ...PROBE_ITEM, message: 'different' }] });
    expect(checkAnswer(read, { status: 200, body: changed })).toBeDefined();
    expect(checkAnswer(read, { status: 200, body: 'not json' })).toBeDefined();
  });
});
