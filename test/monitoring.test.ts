import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AppRunnerWebService, AutoScalingConfiguration, IAppRunnerWebService, Source } from '../src';
import { PUBLIC_IMAGE, newStack, synthService } from './util';

const ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/shop/0123456789abcdef0123456789abcdef';

/** Every metric method, with the metric name and default statistic it must give. */
const METRICS: Array<[string, (s: IAppRunnerWebService) => cloudwatch.Metric, string, string]> = [
  ['metricRequests', s => s.metricRequests(), 'Requests', 'Sum'],
  ['metricHttp2xxResponses', s => s.metricHttp2xxResponses(), '2xxStatusResponses', 'Sum'],
  ['metricHttp4xxResponses', s => s.metricHttp4xxResponses(), '4xxStatusResponses', 'Sum'],
  ['metricHttp5xxResponses', s => s.metricHttp5xxResponses(), '5xxStatusResponses', 'Sum'],
  ['metricRequestLatency', s => s.metricRequestLatency(), 'RequestLatency', 'Average'],
  ['metricActiveInstances', s => s.metricActiveInstances(), 'ActiveInstances', 'Maximum'],
  ['metricConcurrency', s => s.metricConcurrency(), 'Concurrency', 'Maximum'],
  ['metricCpuUtilization', s => s.metricCpuUtilization(), 'CPUUtilization', 'Average'],
  ['metricMemoryUtilization', s => s.metricMemoryUtilization(), 'MemoryUtilization', 'Average'],
];

describe('metrics', () => {
  test.each(METRICS)('%s of an owned service: AWS/AppRunner, %s, %s over 5 minutes, ServiceName + ServiceID of the resource', (_, get, name, statistic) => {
    const { stack, service } = synthService({ serviceName: 'shop' });
    const metric = get(service);
    expect(metric.namespace).toBe('AWS/AppRunner');
    expect(metric.metricName).toBe(name);
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(300);
    expect(stack.resolve(metric.dimensions)).toEqual({
      ServiceName: 'shop',
      ServiceID: { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceId'] },
    });
  });

  test.each(METRICS)('%s of an imported service gives the same metric, dimensions from the ARN', (_, get, name, statistic) => {
    const stack = newStack();
    const metric = get(AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN));
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual(['AWS/AppRunner', name, statistic]);
    expect(stack.resolve(metric.dimensions)).toEqual({ ServiceName: 'shop', ServiceID: '0123456789abcdef0123456789abcdef' });
  });

  test('without a service name the ServiceName dimension is read from the ARN', () => {
    const { stack, service } = synthService();
    expect(stack.resolve(service.metricRequests().dimensions!.ServiceName)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] }] }],
    });
  });

  test('the caller overrides statistic and period; metric() takes any name', () => {
    const { service } = synthService();
    const p99 = service.metricRequestLatency({ statistic: 'p99', period: Duration.minutes(1) });
    expect([p99.statistic, p99.period.toSeconds()]).toEqual(['p99', 60]);
    const custom = service.metric('SomethingNew');
    expect([custom.namespace, custom.metricName, custom.statistic]).toEqual(['AWS/AppRunner', 'SomethingNew', 'Average']);
  });

  test('the 5xx rate is 100 * filled 5xx / requests, without a value when there are no requests', () => {
    const { stack, service } = synthService();
    const rate = service.metricHttp5xxRate();
    expect(rate.expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests)');
    expect(rate.period.toSeconds()).toBe(300);
    const using = rate.usingMetrics as Record<string, cloudwatch.Metric>;
    expect(using.requests.metricName).toBe('Requests');
    expect(using.errors.metricName).toBe('5xxStatusResponses');
    expect(using.errors.statistic).toBe('Sum');
    expect(stack.resolve(using.errors.dimensions)).toEqual(stack.resolve(service.metricRequests().dimensions));
  });
});

describe('recommended alarms', () => {
  test('five alarms with documented defaults, all treating missing data as not breaching', () => {
    const { stack, service } = synthService({ serviceName: 'shop' });
    const alarms = service.addRecommendedAlarms('Alarms');
    expect(alarms.alarms).toHaveLength(5);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.EvaluationPeriods).toBe(2);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RequestLatency',
      Namespace: 'AWS/AppRunner',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 2000,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: Match.arrayWith([{ Name: 'ServiceName', Value: 'shop' }]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Statistic: 'Average', Threshold: 80 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MemoryUtilization', Statistic: 'Average', Threshold: 80 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ActiveInstances', Statistic: 'Maximum', Threshold: 25, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests)' })]),
    });
  });

  test('thresholds, period and evaluation periods are overridable; the topic gets ALARM and OK', () => {
    const { stack, service } = synthService();
    const topic = new sns.Topic(stack, 'Topic');
    service.addRecommendedAlarms('Alarms', {
      alarmTopic: topic,
      alarmNamePrefix: 'shop',
      http5xxRatePercent: 1,
      latencyP99: Duration.millis(500),
      cpuUtilizationPercent: 70,
      memoryUtilizationPercent: 90,
      scalingMaximum: 4,
      period: Duration.minutes(1),
      evaluationPeriods: 3,
    });
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-LatencyP99',
      Threshold: 500,
      Period: 60,
      EvaluationPeriods: 3,
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-CpuUtilization', Threshold: 70 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-MemoryUtilization', Threshold: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-ActiveInstancesAtMaximum', Threshold: 4 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-Http5xxRate', Threshold: 1 });
  });

  test('the scaling maximum comes from the service\'s own auto scaling, inline or shared', () => {
    const inline = synthService({ autoScaling: { minSize: 2, maxSize: 6 } });
    inline.service.addRecommendedAlarms('Alarms');
    Template.fromStack(inline.stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ActiveInstances', Threshold: 6 });

    const stack = newStack();
    const shared = new AutoScalingConfiguration(stack, 'Shared', { maxSize: 3 });
    const withShared = synthService({ autoScalingConfiguration: shared }, stack);
    withShared.service.addRecommendedAlarms('Alarms');
    Template.fromStack(withShared.stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ActiveInstances', Threshold: 3 });
  });

  test('an imported service gets the same alarms, on its ARN\'s dimensions', () => {
    const stack = newStack();
    AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN).addRecommendedAlarms('Alarms', { scalingMaximum: 10 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ActiveInstances',
      Threshold: 10,
      Dimensions: Match.arrayWith([{ Name: 'ServiceID', Value: '0123456789abcdef0123456789abcdef' }]),
    });
  });

  test.each([
    [{ http5xxRatePercent: 0 }, /`http5xxRatePercent` must be a percentage above 0 and at most 100, got 0/],
    [{ cpuUtilizationPercent: 120 }, /`cpuUtilizationPercent` must be a percentage above 0 and at most 100, got 120/],
    [{ memoryUtilizationPercent: -1 }, /`memoryUtilizationPercent`/],
    [{ evaluationPeriods: 0 }, /`evaluationPeriods` must be a positive integer, got 0/],
    [{ scalingMaximum: 1.5 }, /`scalingMaximum` must be a positive integer, got 1.5/],
    [{ latencyP99: Duration.millis(0) }, /`latencyP99` must be above 0/],
  ])('rejects %o', (options, message) => {
    const { service } = synthService();
    expect(() => service.addRecommendedAlarms('Alarms', options)).toThrow(message);
  });
});

describe('dashboard', () => {
  test('graphs every metric, with an alarm row when alarms are given', () => {
    const { stack, service } = synthService({ serviceName: 'shop' });
    const alarms = service.addRecommendedAlarms('Alarms');
    service.addDashboard('Dashboard', { dashboardName: 'shop', alarms: alarms.alarms });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(stack.resolve(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    for (const name of ['Requests', '2xxStatusResponses', '4xxStatusResponses', '5xxStatusResponses', 'RequestLatency',
      'ActiveInstances', 'Concurrency', 'CPUUtilization', 'MemoryUtilization']) {
      expect(body).toContain(`\\"${name}\\"`);
    }
    expect(body).toContain('p99');
    // An alarm status widget holding the ARN of every recommended alarm.
    expect(body).toMatch(/\\"type\\":\\"alarm\\"/);
    expect(alarms.alarms).toHaveLength(5);
    for (const alarm of alarms.alarms) {
      const logicalId = stack.getLogicalId(alarm.node.defaultChild as CfnResource);
      expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
    }
    expect(body).toContain('FILL(errors, 0)');
  });

  test('an imported service gets a dashboard too', () => {
    const stack = new Stack();
    AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN).addDashboard('Dashboard');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('events', () => {
  const base = { source: ['aws.apprunner'], resources: [ARN] };

  test.each([
    ['onEvent', (s: IAppRunnerWebService) => s.onEvent('Rule'), base],
    ['onStatusChange', (s: IAppRunnerWebService) => s.onStatusChange('Rule'),
      { ...base, 'detail-type': ['AppRunner Service Status Change'] }],
    ['onOperationStatusChange', (s: IAppRunnerWebService) => s.onOperationStatusChange('Rule'),
      { ...base, 'detail-type': ['AppRunner Service Operation Status Change'] }],
    ['onDeploymentFailed', (s: IAppRunnerWebService) => s.onDeploymentFailed('Rule'),
      { ...base, 'detail-type': ['AppRunner Service Operation Status Change'], 'detail': { operationStatus: ['DeploymentFailed'] } }],
    ['onDeploymentSucceeded', (s: IAppRunnerWebService) => s.onDeploymentSucceeded('Rule'),
      { ...base, 'detail-type': ['AppRunner Service Operation Status Change'], 'detail': { operationStatus: ['DeploymentCompletedSuccessfully'] } }],
  ])('%s matches App Runner\'s events about this service', (_, make, pattern) => {
    const stack = newStack();
    make(AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventPattern: pattern, State: 'ENABLED' });
  });

  test('the caller\'s pattern narrows the rule, and the target is added', () => {
    const { stack, service } = synthService();
    const topic = new sns.Topic(stack, 'Topic');
    service.onStatusChange('Failed', {
      eventPattern: { detail: { currentServiceStatus: ['CREATE_FAILED', 'DELETE_FAILED'] } },
      target: { bind: () => ({ arn: topic.topicArn, id: 'Topic' }) },
      description: 'failed services',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'failed services',
      EventPattern: {
        'source': ['aws.apprunner'],
        'resources': [{ 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] }],
        'detail-type': ['AppRunner Service Status Change'],
        'detail': { currentServiceStatus: ['CREATE_FAILED', 'DELETE_FAILED'] },
      },
      Targets: [Match.objectLike({ Id: 'Topic' })],
    });
  });
});

describe('log groups', () => {
  test('are references to the groups App Runner creates, for owned and imported services', () => {
    const { stack, service } = synthService({ serviceName: 'shop' });
    expect(stack.resolve(service.serviceLogGroup.logGroupName)).toEqual({
      'Fn::Join': ['', ['/aws/apprunner/shop/', { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceId'] }, '/service']],
    });
    expect(service.applicationLogGroup).toBe(service.applicationLogGroup);
    const imported = AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN);
    expect(imported.applicationLogGroup.logGroupName).toBe('/aws/apprunner/shop/0123456789abcdef0123456789abcdef/application');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'))).toHaveLength(0);
  });

  test('logRetention sets the retention of both groups through a custom resource, creating no log group', () => {
    const { stack } = synthService({ serviceName: 'shop', logRetention: 30 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::LogRetention', 2);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    for (const kind of ['service', 'application']) {
      template.hasResourceProperties('Custom::LogRetention', {
        RetentionInDays: 30,
        LogGroupName: { 'Fn::Join': ['', ['/aws/apprunner/shop/', { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceId'] }, `/${kind}`]] },
      });
    }
  });

  test('services sharing the log-retention function explain its checks once', () => {
    const { stack } = synthService({ logRetention: 30 });
    new AppRunnerWebService(stack, 'Second', { source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000 }), logRetention: 30 });
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    expect(Object.values(functions)).toHaveLength(1);
    const rules = Object.values(functions)[0].Metadata.cdk_nag.rules_to_suppress;
    expect(rules).toEqual([expect.objectContaining({ id: 'AwsSolutions-L1' })]);
  });

  test('grants on a log group are scoped to the group App Runner writes', () => {
    const { stack, service } = synthService({ serviceName: 'shop' });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    service.applicationLogGroup.grantRead(reader);
    service.serviceLogGroup.grantRead(reader);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    const resources = JSON.stringify(stack.resolve(policy.Properties.PolicyDocument.Statement.map((st: any) => st.Resource)));
    const serviceId = JSON.stringify(stack.resolve(service.serviceId));
    for (const kind of ['application', 'service']) {
      expect(resources).toContain(`:log-group:/aws/apprunner/shop/\",${serviceId},\"/${kind}:*`);
    }
  });
});
