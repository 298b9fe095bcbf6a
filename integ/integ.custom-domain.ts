// A custom domain with its records in a Route 53 hosted zone. Snapshot only: deploying it needs a
// public hosted zone you own. With one, deploy it with
//   -c hostedZoneId=Z... -c zoneName=example.com -c domainName=shop.example.com
// The deployment waits until App Runner reports the domain active; the assertion then fetches it.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AppRunnerWebService, Source } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServiceCustomDomain');
const zoneName = app.node.tryGetContext('zoneName') ?? 'example.com';
const domainName = app.node.tryGetContext('domainName') ?? `shop.${zoneName}`;
const hostedZone = route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', {
  hostedZoneId: app.node.tryGetContext('hostedZoneId') ?? 'Z0123456789ABCDEFGHIJ',
  zoneName,
});

new AppRunnerWebService(stack, 'Shop', {
  source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
  customDomain: { domainName, hostedZone, enableWwwSubdomain: true },
});

const integ = new IntegTest(app, 'AppRunnerWebServiceCustomDomainTest', { testCases: [stack] });
integ.assertions
  .httpApiCall(`https://${domainName}`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ interval: Duration.seconds(30), totalTimeout: Duration.minutes(15) });
