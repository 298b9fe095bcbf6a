// A service whose outbound traffic leaves through a VPC (connector in the private subnets, one
// NAT gateway), with the operations kit: recommended alarms to a topic, a dashboard, a rule for
// failed deployments and a retention on App Runner's log groups. The assertion fetches the page
// through the public endpoint, so the service is up while egressing through the VPC.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AppRunnerWebService, Source } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServiceVpcEgress');

const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false });
vpc.addFlowLog('FlowLog');
const topic = new sns.Topic(stack, 'Alarms', { enforceSSL: true });

const service = new AppRunnerWebService(stack, 'Hello', {
  source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
  vpc,
  autoScaling: { minSize: 1, maxSize: 2 },
  logRetention: logs.RetentionDays.ONE_WEEK,
});
const alarms = service.addRecommendedAlarms('RecommendedAlarms', { alarmTopic: topic });
service.addDashboard('Dashboard', { alarms: alarms.alarms });
service.onDeploymentFailed('DeploymentFailed', { target: new targets.SnsTopic(topic) });

// A security group that lets the service in, as a database's would.
const database = new ec2.SecurityGroup(stack, 'DatabaseSecurityGroup', { vpc, description: 'stands in for a database' });
database.connections.allowFrom(service, ec2.Port.tcp(5432), 'from the App Runner service');

const integ = new IntegTest(app, 'AppRunnerWebServiceVpcEgressTest', { testCases: [stack] });
integ.assertions
  .httpApiCall(service.url)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ interval: Duration.seconds(10), totalTimeout: Duration.minutes(5) });
