// The HTTP sequence both the deployed integration test and the local run go through.
// Defined once: integ/integ.crash-routes.ts turns it into httpApiCall assertions,
// local/run-sequence.ts sends it to the sample server on 127.0.0.1.

/** What a step's answer must be. */
export interface StepExpectation {
  /** The status code. */
  readonly status: number;
  /** Text the body must contain (an HTML page). */
  readonly textIncludes?: string;
  /** An item the body's `items` must contain (a DynamoDB read). */
  readonly itemsInclude?: Record<string, string>;
}

export interface HttpStep {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: Record<string, string>;
  /** Absent for crash calls: whatever they answer (often nothing) is fine. */
  readonly expect?: StepExpectation;
  /** Repeat every `retryIntervalSeconds` until the expectation holds, for at most this long. */
  readonly withinSeconds?: number;
}

export const RETRY_INTERVAL_SECONDS = 5;

/** The item written before the crashes and read back after them. */
export const PROBE_ITEM = { pk: 'integ-probe', sk: 'before-crashes', message: 'written before the crash routes' };

export const CRASH_ROUTES = ['/panic', '/exit', '/fatal', '/use-all-memory'];

/** Seconds a crashed service gets to answer / with 200 again. */
export const RECOVERY_SECONDS = 120;

export const CRASH_SEQUENCE: HttpStep[] = [
  { name: 'page', method: 'GET', path: '/', expect: { status: 200, textIncludes: 'Hello from App Runner' } },
  { name: 'write', method: 'POST', path: '/dynamodb/write', body: PROBE_ITEM, expect: { status: 200 } },
  { name: 'read', method: 'GET', path: `/dynamodb/read?pk=${PROBE_ITEM.pk}`, expect: { status: 200, itemsInclude: PROBE_ITEM } },
  ...CRASH_ROUTES.flatMap((route): HttpStep[] => [
    { name: `crash ${route}`, method: 'GET', path: route },
    { name: `recovered after ${route}`, method: 'GET', path: '/', expect: { status: 200, textIncludes: 'Hello from App Runner' }, withinSeconds: RECOVERY_SECONDS },
  ]),
  { name: 'read after crashes', method: 'GET', path: `/dynamodb/read?pk=${PROBE_ITEM.pk}`, expect: { status: 200, itemsInclude: PROBE_ITEM }, withinSeconds: 30 },
];
