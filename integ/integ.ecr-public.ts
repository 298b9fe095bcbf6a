// A service from an ECR Public image: deploys with no build and no access role.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AppRunnerWebService, Source } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServiceEcrPublic');

const service = new AppRunnerWebService(stack, 'Hello', {
  source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
});

const integ = new IntegTest(app, 'AppRunnerWebServiceEcrPublicTest', { testCases: [stack] });
integ.assertions
  .httpApiCall(service.url)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ interval: Duration.seconds(10), totalTimeout: Duration.minutes(5) });
