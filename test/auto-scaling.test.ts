import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AppRunnerWebService, AutoScalingConfiguration, Source } from '../src';
import { PUBLIC_IMAGE, newStack, synthService } from './util';

describe('inline auto scaling', () => {
  test('creates one AutoScalingConfiguration and points the service at its ARN', () => {
    const { template } = synthService({ autoScaling: { minSize: 2, maxSize: 10, maxConcurrency: 50 } });
    template.resourceCountIs('AWS::AppRunner::AutoScalingConfiguration', 1);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', {
      MinSize: 2, MaxSize: 10, MaxConcurrency: 50, AutoScalingConfigurationName: Match.absent(),
    });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      AutoScalingConfigurationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebAutoScaling'), 'AutoScalingConfigurationArn'] },
    });
  });

  test('the alpha defect: minSize = maxSize = 1 is valid', () => {
    const { template } = synthService({ autoScaling: { minSize: 1, maxSize: 1 } });
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 1 });
  });

  test('the alpha defect: a number token for minSize passes through', () => {
    const stack = newStack();
    const minSize = new CfnParameter(stack, 'MinSize', { type: 'Number' }).valueAsNumber;
    const { template } = synthService({ autoScaling: { minSize, maxSize: 3 } }, stack);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: { Ref: 'MinSize' }, MaxSize: 3 });
  });

  test.each([
    [{ minSize: 0 }, '`autoScaling.minSize` must be an integer between 1 and 25, got 0'],
    [{ minSize: 26, maxSize: 30 }, '`autoScaling.minSize` must be an integer between 1 and 25, got 26'],
    [{ minSize: 1.5 }, '`autoScaling.minSize` must be an integer between 1 and 25, got 1.5'],
    [{ maxSize: 0 }, '`autoScaling.maxSize` must be an integer of at least 1, got 0'],
    [{ maxConcurrency: 0 }, '`autoScaling.maxConcurrency` must be an integer between 1 and 200, got 0'],
    [{ maxConcurrency: 201 }, '`autoScaling.maxConcurrency` must be an integer between 1 and 200, got 201'],
    [{ minSize: 5, maxSize: 4 }, '`autoScaling.minSize` (5) must not exceed `autoScaling.maxSize` (4)'],
  ])('fails for %o', (autoScaling, message) => {
    expect(() => synthService({ autoScaling })).toThrow(message);
  });

  test('accepts the bounds 1 and 200 for maxConcurrency and 25 for minSize', () => {
    expect(() => synthService({ autoScaling: { minSize: 25, maxConcurrency: 200 } })).not.toThrow();
    expect(() => synthService({ autoScaling: { maxConcurrency: 1 } })).not.toThrow();
  });

  test('maxSize above 25 is a warning about the quota, not an error', () => {
    const { stack } = synthService({ autoScaling: { maxSize: 40 } });
    Annotations.fromStack(stack).hasWarning('/Stack/Web/AutoScaling', Match.stringLikeRegexp("autoScaling.maxSize is 40; App Runner's default quota is 25"));
  });

  test('fails when both autoScaling and autoScalingConfiguration are given', () => {
    const stack = newStack();
    const shared = new AutoScalingConfiguration(stack, 'Shared', { maxSize: 3 });
    expect(() => synthService({ autoScaling: { maxSize: 2 }, autoScalingConfiguration: shared }, stack))
      .toThrow('give either `autoScaling` or `autoScalingConfiguration`, not both');
  });
});

describe('AutoScalingConfiguration', () => {
  test('is shared by two services', () => {
    const stack = newStack();
    const shared = new AutoScalingConfiguration(stack, 'Shared', { autoScalingConfigurationName: 'web-scaling', minSize: 2, maxSize: 2 });
    synthService({ autoScalingConfiguration: shared }, stack);
    new AppRunnerWebService(stack, 'Second', { source: Source.fromEcrPublic(PUBLIC_IMAGE), autoScalingConfiguration: shared });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::AppRunner::Service', 2);
    template.resourceCountIs('AWS::AppRunner::AutoScalingConfiguration', 1);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { AutoScalingConfigurationName: 'web-scaling' });
    expect(shared.autoScalingConfigurationName).toBe('web-scaling');
    expect(stack.resolve(shared.autoScalingConfigurationRevision)).toEqual({ 'Fn::GetAtt': ['SharedDACC02AA', 'AutoScalingConfigurationRevision'] });
    expect(Object.values(template.findResources('AWS::AppRunner::Service')).map(r => r.Properties.AutoScalingConfigurationArn))
      .toEqual([0, 1].map(() => ({ 'Fn::GetAtt': ['SharedDACC02AA', 'AutoScalingConfigurationArn'] })));
  });

  test.each(['abc', 'x'.repeat(33), '_abc'])('fails when the name is %s', (name) => {
    expect(() => new AutoScalingConfiguration(newStack(), 'A', { autoScalingConfigurationName: name }))
      .toThrow(`\`autoScalingConfigurationName\` must be 4-32 characters of letters, digits, '-' and '_', starting with a letter or digit, got '${name}'`);
  });

  const base = 'arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration';
  test.each([
    [`${base}/high-availability/3/0123456789abcdef0123456789abcdef`, 'high-availability', 3],
    [`${base}/high-availability/3`, 'high-availability', 3],
    [`${base}/high-availability`, 'high-availability', undefined],
  ])('the alpha defect: fromArn(%s) gives name %s and revision %s', (arn, name, revision) => {
    const imported = AutoScalingConfiguration.fromArn(newStack(), 'Imported', arn);
    expect(imported.autoScalingConfigurationArn).toBe(arn);
    expect(imported.autoScalingConfigurationName).toBe(name);
    expect(imported.autoScalingConfigurationRevision).toBe(revision);
  });

  test('fromArn of a token ARN selects name and revision with Fn::Split', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    const imported = AutoScalingConfiguration.fromArn(stack, 'Imported', arn);
    expect(stack.resolve(imported.autoScalingConfigurationName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Arn' }] }] });
    expect(stack.resolve(imported.autoScalingConfigurationRevision)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'Arn' }] }] });
  });

  test('fails when the revision in the ARN is not a number', () => {
    expect(() => AutoScalingConfiguration.fromArn(newStack(), 'I', `${base}/ha/latest`))
      .toThrow(`the revision in \`autoScalingConfigurationArn\` must be a positive integer, got 'latest' in '${base}/ha/latest'`);
  });

  test('fails when the ARN names no configuration', () => {
    expect(() => AutoScalingConfiguration.fromArn(newStack(), 'I', `${base}/`))
      .toThrow(`\`autoScalingConfigurationArn\` must be arn:aws:apprunner:<region>:<account>:autoscalingconfiguration/<name>[/<revision>[/<id>]], got '${base}/'`);
  });

  test('fromAttributes builds the ARN with the revision', () => {
    const stack = newStack();
    const imported = AutoScalingConfiguration.fromAttributes(stack, 'I', { autoScalingConfigurationName: 'ha', autoScalingConfigurationRevision: 2 });
    expect(stack.resolve(imported.autoScalingConfigurationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apprunner:us-east-1:123456789012:autoscalingconfiguration/ha/2']],
    });
    const { template } = synthService({ autoScalingConfiguration: imported }, stack);
    template.hasResourceProperties('AWS::AppRunner::Service', { AutoScalingConfigurationArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});
