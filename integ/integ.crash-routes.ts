// Deploys the sample server with a table, then goes through CRASH_SEQUENCE against its URL:
// the page, a write and a read, each crash route followed by a recovery check, and the item
// read back after all crashes.
import { IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { CrashRoutesStack } from './crash-routes-stack';
import { CRASH_SEQUENCE, RETRY_INTERVAL_SECONDS, expectedAnswer } from './crash-sequence';

const app = new App();
const stack = new CrashRoutesStack(app, 'AppRunnerWebServiceCrashRoutes');
const integ = new IntegTest(app, 'AppRunnerWebServiceCrashRoutesTest', { testCases: [stack] });

let previous: IApiCall | undefined;
for (const step of CRASH_SEQUENCE) {
  const call = integ.assertions.httpApiCall(`${stack.service.url}${step.path}`, {
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
