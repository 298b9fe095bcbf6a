// Deploys the sample server with a table, then goes through CRASH_SEQUENCE against its URL:
// the page, a write and a read, each crash route followed by a recovery check, and the item
// read back after all crashes.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { CrashRoutesStack } from './crash-routes-stack';
import { assertCrashSequence } from './crash-sequence';

const app = new App();
const stack = new CrashRoutesStack(app, 'AppRunnerWebServiceCrashRoutes');
const integ = new IntegTest(app, 'AppRunnerWebServiceCrashRoutesTest', { testCases: [stack] });
assertCrashSequence(integ, stack.service.url);
