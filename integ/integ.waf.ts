// A service behind a regional WAF web ACL that blocks one path. The assertions fetch the page
// (200) and the blocked path (403 from WAF, before the request reaches the container).
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AppRunnerWebService, Source, WebAcl } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServiceWaf');

const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
const acl = new wafv2.CfnWebACL(stack, 'WebAcl', {
  scope: 'REGIONAL',
  defaultAction: { allow: {} },
  visibilityConfig: visibility('apprunner-web-acl'),
  rules: [{
    name: 'block-admin',
    priority: 0,
    action: { block: {} },
    visibilityConfig: visibility('block-admin'),
    statement: {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: '/admin',
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    },
  }],
});

const service = new AppRunnerWebService(stack, 'Filtered', {
  source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
  webAcl: WebAcl.fromCfnWebAcl(acl),
});

const integ = new IntegTest(app, 'AppRunnerWebServiceWafTest', { testCases: [stack] });
const wait = { interval: Duration.seconds(10), totalTimeout: Duration.minutes(5) };
integ.assertions.httpApiCall(service.url).expect(ExpectedResult.objectLike({ status: 200 })).waitForAssertions(wait);
integ.assertions.httpApiCall(`${service.url}/admin`).expect(ExpectedResult.objectLike({ status: 403 })).waitForAssertions(wait);
