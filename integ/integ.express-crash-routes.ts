// The example on ECS Express Mode (the same props as on App Runner, at least two tasks), then
// the same CRASH_SEQUENCE against its URL as integ.crash-routes.ts, plus the recommended alarms
// and a dashboard. A new Express host name can take minutes to resolve: the first step waits.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { assertCrashSequence } from './crash-sequence';
import { ExpressWebServiceStack } from '../examples/app';

const app = new App();
const stack = new ExpressWebServiceStack(app, 'AppRunnerWebServiceExpressCrashRoutes', { service: { autoScaling: { minSize: 2, maxSize: 3 } } });
const alarms = stack.service.addRecommendedAlarms('Alarms');
stack.service.addDashboard('Dashboard', { alarms: alarms.alarms });
const integ = new IntegTest(app, 'AppRunnerWebServiceExpressCrashRoutesTest', { testCases: [stack] });
assertCrashSequence(integ, stack.service.url);
