import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ObservabilityConfiguration } from '../src';
import { newStack, synthService } from './util';
import { XRAY_WRITE_ACTIONS } from '../src/private/actions';

describe('tracing', () => {
  test('tracing: true creates an X-Ray configuration, enables it, and lets the instance role write traces', () => {
    const { template } = synthService({ tracing: true });
    template.resourceCountIs('AWS::AppRunner::ObservabilityConfiguration', 1);
    template.hasResourceProperties('AWS::AppRunner::ObservabilityConfiguration', { TraceConfiguration: { Vendor: 'AWSXRAY' } });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      ObservabilityConfiguration: {
        ObservabilityEnabled: true,
        ObservabilityConfigurationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebObservability'), 'ObservabilityConfigurationArn'] },
      },
      InstanceConfiguration: { InstanceRoleArn: Match.anyValue() },
    });
    template.hasResource('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: { Statement: [{ Action: XRAY_WRITE_ACTIONS, Resource: '*', Effect: 'Allow' }] },
        Roles: [{ Ref: Match.stringLikeRegexp('WebInstanceRole') }],
      },
      Metadata: { cdk_nag: { rules_to_suppress: [Match.objectLike({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] })] } },
    });
    const tracingPolicy = Object.keys(template.findResources('AWS::IAM::Policy')).find(id => id.includes('TracingPolicy'))!;
    template.hasResource('AWS::AppRunner::Service', { DependsOn: Match.arrayWith([tracingPolicy]) });
  });

  test('no tracing means no configuration and no role', () => {
    const { template } = synthService({ tracing: false });
    template.resourceCountIs('AWS::AppRunner::ObservabilityConfiguration', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::AppRunner::Service', { ObservabilityConfiguration: Match.absent() });
  });

  test('an existing configuration is used as given', () => {
    const stack = newStack();
    const arn = 'arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/traces/1/0123456789abcdef0123456789abcdef';
    const observabilityConfiguration = ObservabilityConfiguration.fromArn(stack, 'Obs', arn);
    expect(observabilityConfiguration.observabilityConfigurationName).toBe('traces');
    const { template } = synthService({ observabilityConfiguration }, stack);
    template.resourceCountIs('AWS::AppRunner::ObservabilityConfiguration', 0);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      ObservabilityConfiguration: { ObservabilityEnabled: true, ObservabilityConfigurationArn: arn },
    });
  });

  test('fromArn of a token selects the name', () => {
    const stack = newStack();
    const imported = ObservabilityConfiguration.fromArn(stack, 'Obs', new CfnParameter(stack, 'Arn').valueAsString);
    expect(stack.resolve(imported.observabilityConfigurationName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Arn' }] }] });
  });

  test('a named configuration keeps its name', () => {
    const stack = newStack();
    const config = new ObservabilityConfiguration(stack, 'Obs', { observabilityConfigurationName: 'web-traces' });
    expect(config.observabilityConfigurationName).toBe('web-traces');
  });

  test('fails when both tracing and observabilityConfiguration are given', () => {
    const stack = newStack();
    const observabilityConfiguration = new ObservabilityConfiguration(stack, 'Obs');
    expect(() => synthService({ tracing: true, observabilityConfiguration }, stack))
      .toThrow('give either `tracing` or `observabilityConfiguration`, not both');
  });

  test.each([
    ['DefaultConfiguration', "`observabilityConfigurationName` 'DefaultConfiguration' is reserved by App Runner"],
    ['abc', "`observabilityConfigurationName` must be 4-32 characters of letters, digits, '-' and '_', starting with a letter or digit, got 'abc'"],
  ])('fails when the name is %s', (name, message) => {
    expect(() => new ObservabilityConfiguration(newStack(), 'Obs', { observabilityConfigurationName: name })).toThrow(message);
  });
});

describe('tracing with a given instance role', () => {
  test('a role imported as immutable gets no policy, and a warning says what to add', () => {
    const stack = newStack();
    const instanceRole = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/given', { mutable: false });
    const { template } = synthService({ instanceRole, tracing: true }, stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Web', Match.stringLikeRegexp('imported as immutable: add them to that role'));
  });

  test('a mutable imported role gets the X-Ray statement, and the service waits for it', () => {
    const stack = newStack();
    const instanceRole = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/given');
    const { template } = synthService({ instanceRole, tracing: true }, stack);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: ['given'] } });
    expect(Object.keys(policies)).toHaveLength(1);
    expect(JSON.stringify(Object.values(policies)[0])).toContain('xray:PutTraceSegments');
    template.hasResource('AWS::AppRunner::Service', { DependsOn: Object.keys(policies) });
  });
});
