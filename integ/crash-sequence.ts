// The HTTP sequence both the deployed integration test and the local run go through.
// Defined once: integ/integ.crash-routes.ts turns it into httpApiCall assertions,
// local/run-sequence.ts sends it to the sample server on 127.0.0.1.
import { ExpectedResult, IApiCall, IntegTest, Match as IntegMatch } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import { Match, Matcher } from 'aws-cdk-lib/assertions';
import { sampleServerCrashRoutes } from '../src/private/sample-server';

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

/** Seconds between two tries of a step that may need several. */
export const RETRY_INTERVAL_SECONDS = 1;

/** The item written before the crashes and read back after them. */
export const PROBE_ITEM = { pk: 'integ-probe', sk: 'before-crashes', message: 'written before the crash routes' };

/** The sample server's crash routes, from its own list. */
export const CRASH_ROUTES = sampleServerCrashRoutes();

/**
 * Seconds within which `/` answers 200 again after a crash call. The project's claim: with the
 * supervisor on, a crash costs only the requests of the worker that died, so the other workers
 * answer at once (locally the replacement serves within about 100-500 ms); a few seconds allow for
 * App Runner's proxy and one retry, far below the 120 s a replaced instance would take.
 */
export const RECOVERY_SECONDS = 5;

export const CRASH_SEQUENCE: HttpStep[] = [
  { name: 'page', method: 'GET', path: '/', expect: { status: 200, textIncludes: 'Hello from App Runner' } },
  { name: 'write', method: 'POST', path: '/dynamodb/write', body: PROBE_ITEM, expect: { status: 200 } },
  // The server reads with ConsistentRead; the retry window covers a read that meets a worker or
  // connection still starting.
  { name: 'read', method: 'GET', path: `/dynamodb/read?pk=${PROBE_ITEM.pk}`, expect: { status: 200, itemsInclude: PROBE_ITEM }, withinSeconds: 10 },
  ...CRASH_ROUTES.flatMap((route): HttpStep[] => [
    { name: `crash ${route}`, method: 'GET', path: route },
    { name: `recovered after ${route}`, method: 'GET', path: '/', expect: { status: 200, textIncludes: 'Hello from App Runner' }, withinSeconds: RECOVERY_SECONDS },
  ]),
  { name: 'read after crashes', method: 'GET', path: `/dynamodb/read?pk=${PROBE_ITEM.pk}`, expect: { status: 200, itemsInclude: PROBE_ITEM }, withinSeconds: 30 },
];

/** The sequence as chained HTTP assertions against `url`, each step after the one before. */
export function assertCrashSequence(integ: IntegTest, url: string): void {
  let previous: IApiCall | undefined;
  for (const step of CRASH_SEQUENCE) {
    const call = integ.assertions.httpApiCall(`${url}${step.path}`, {
      method: step.method,
      body: step.body ? JSON.stringify(step.body) : undefined,
      headers: step.body ? { 'content-type': 'application/json' } : undefined,
    });
    if (step.expect) {
      call.expect(expectedAnswer(step));
      if (step.withinSeconds) {
        call.waitForAssertions({ interval: Duration.seconds(RETRY_INTERVAL_SECONDS), totalTimeout: Duration.seconds(step.withinSeconds) });
      }
    }
    previous?.next(call);
    previous = call;
  }
}

/** What a step's answer must be, as the deployed assertion checks it. */
export function expectedAnswer(step: HttpStep): ExpectedResult {
  const expect = step.expect!;
  const body = expect.textIncludes !== undefined
    ? IntegMatch.stringLikeRegexp(escapeRegExp(expect.textIncludes))
    : expect.itemsInclude ? IntegMatch.objectLike({ items: IntegMatch.arrayWith([IntegMatch.objectLike(expect.itemsInclude)]) }) : undefined;
  return ExpectedResult.objectLike(body ? { status: expect.status, body } : { status: expect.status });
}

/**
 * Why an answer does not meet the step's expectation, or undefined when it does: the check of
 * the deployed assertion, run here. The expectation is decoded as integ-tests' assertion handler
 * decodes it and tested with the same aws-cdk-lib matchers, on the answer as its HTTP handler
 * gives it (the body parsed as JSON when it is JSON).
 */
export function checkAnswer(step: HttpStep, answer: { status: number; body: string }): string | undefined {
  let body: unknown = answer.body;
  try {
    body = JSON.parse(answer.body);
  } catch {
    // not JSON: compared as text, as the deployed handler does
  }
  const result = decodeExpectation(expectedAnswer(step).result).test({ status: answer.status, body });
  result.finished();
  return result.hasFailed() ? `got ${answer.status} ${answer.body.slice(0, 300)}; ${result.renderMismatch().replace(/\s+/g, ' ')}` : undefined;
}

function decodeExpectation(encoded: string): Matcher {
  const decoded = JSON.parse(encoded, (_key, value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const [kind] = Object.keys(value);
    switch (kind) {
      case '$ObjectLike': return Match.objectLike(value[kind]);
      case '$ArrayWith': return Match.arrayWith(value[kind]);
      case '$StringLike': return Match.stringLikeRegexp(value[kind]);
      case '$SerializedJson': return Match.serializedJson(value[kind]);
      default: return value;
    }
  });
  return Matcher.isMatcher(decoded) ? decoded : Match.exact(decoded);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
