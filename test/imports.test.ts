// Every import by ARN follows one pattern: the ARN is checked for its App Runner resource type,
// and the imported resource knows the account and Region of the ARN.
import { CfnParameter, Token } from 'aws-cdk-lib';
import { AppRunnerWebService, AutoScalingConfiguration, ObservabilityConfiguration, VpcConnector } from '../src';
import { newStack } from './util';

const OTHER = 'arn:aws:apprunner:eu-west-1:210987654321';
const ID = '0123456789abcdef0123456789abcdef';

const IMPORTS: [string, string, (arn: string) => { env: { account: string; region: string } }][] = [
  ['service', `${OTHER}:service/web/${ID}`, arn => AppRunnerWebService.fromServiceArn(newStack(), 'I', arn)],
  ['auto scaling configuration', `${OTHER}:autoscalingconfiguration/ha/2/${ID}`, arn => AutoScalingConfiguration.fromArn(newStack(), 'I', arn)],
  ['observability configuration', `${OTHER}:observabilityconfiguration/xray/1/${ID}`, arn => ObservabilityConfiguration.fromArn(newStack(), 'I', arn)],
  ['VPC connector', `${OTHER}:vpcconnector/egress/3/${ID}`, arn => VpcConnector.fromVpcConnectorAttributes(newStack(), 'I', { vpcConnectorArn: arn })],
];

describe.each(IMPORTS)('an imported %s', (_kind, arn, importArn) => {
  test('knows the account and Region of its ARN (a cross-account, cross-Region import)', () => {
    expect(importArn(arn).env).toEqual({ account: '210987654321', region: 'eu-west-1' });
  });

  test('from a token ARN takes the stack\'s account and Region', () => {
    const stack = newStack();
    const tokenArn = new CfnParameter(stack, 'Arn').valueAsString;
    const env = importArn(tokenArn).env;
    expect(Token.isUnresolved(env.account) || env.account === '123456789012').toBe(true);
  });

  test('rejects the ARN of another App Runner resource type', () => {
    const otherType = arn.replace(/:(service|autoscalingconfiguration|observabilityconfiguration|vpcconnector)\//, ':connection/');
    expect(() => importArn(otherType)).toThrow(/must be arn:aws:apprunner:<region>:<account>:/);
  });

  test('rejects an ARN of another service', () => {
    expect(() => importArn(arn.replace(':apprunner:', ':ecs:'))).toThrow(/must be arn:aws:apprunner:<region>:<account>:/);
  });
});
