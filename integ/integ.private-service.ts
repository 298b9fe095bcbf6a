// A private service: no public endpoint, reachable from the VPC through the interface endpoint
// for App Runner requests and a VPC ingress connection. The assertion asks App Runner for the
// ingress connection and expects it AVAILABLE with the domain name the stack reports.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AppRunnerWebService, Source } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServicePrivate');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  restrictDefaultSecurityGroup: false,
});
vpc.addFlowLog('FlowLog');

const service = new AppRunnerWebService(stack, 'Internal', {
  source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
  privateEndpoint: { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } },
});
new CfnOutput(stack, 'PrivateDomainName', { value: service.privateDomainName! });

const integ = new IntegTest(app, 'AppRunnerWebServicePrivateServiceTest', { testCases: [stack] });
integ.assertions
  .awsApiCall('AppRunner', 'describeVpcIngressConnection', { VpcIngressConnectionArn: service.vpcIngressConnectionArn! })
  .expect(ExpectedResult.objectLike({ VpcIngressConnection: { Status: 'AVAILABLE', DomainName: service.privateDomainName! } }))
  .waitForAssertions({ interval: Duration.seconds(15), totalTimeout: Duration.minutes(10) });
