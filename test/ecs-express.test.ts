// EcsExpressWebService: the same service definition on ECS Express Mode, checked against the
// CloudFormation schema (cfn-lint) and the App Runner construct it mirrors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { cfnLint } from './cfn-lint';
import { PUBLIC_IMAGE, newStack } from './util';
import { ExpressWebServiceStack, WebServiceStack, buildApp } from '../examples/app';
import {
  AppRunnerWebService, CodeConfiguration, Cpu, EcsExpressWebService, GitHubConnection, ExpressScalingMetric,
  HealthCheck, IWebService, Memory, Secret, Source,
} from '../src';

const EXPRESS = 'AWS::ECS::ExpressGatewayService';

function express(props: Partial<ConstructorParameters<typeof EcsExpressWebService>[2]> = {}, stack = newStack()) {
  const service = new EcsExpressWebService(stack, 'Web', { source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000 }), ...props });
  return { stack, service, template: () => Template.fromStack(stack) };
}

describe('the Express service, rendered as ECS expects', () => {
  test('explicit size, health-check path and task counts (the schema\'s defaults disagree with the developer guide); roles; logs', () => {
    const { template } = express();
    const t = template();
    t.hasResourceProperties(EXPRESS, {
      Cpu: '1024',
      Memory: '2048',
      HealthCheckPath: '/',
      ScalingTarget: { MinTaskCount: 1, MaxTaskCount: 25, AutoScalingMetric: 'AVERAGE_CPU', AutoScalingTargetValue: 60 },
      PrimaryContainer: {
        Image: PUBLIC_IMAGE,
        ContainerPort: 8000,
        AwsLogsConfiguration: { LogGroup: { Ref: Match.stringLikeRegexp('^WebLogs') }, LogStreamPrefix: 'ecs' },
      },
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebExecutionRole'), 'Arn'] },
      InfrastructureRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebInfrastructureRole'), 'Arn'] },
      TaskRoleArn: Match.absent(),
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs.amazonaws.com' } }] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices']] }],
    });
    // No task role until something is granted; the service waits for the execution role's policy.
    expect(Object.values(t.findResources('AWS::IAM::Role')).map((r: any) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service).sort())
      .toEqual(['ecs-tasks.amazonaws.com', 'ecs.amazonaws.com']);
    const [resource] = Object.values<any>(t.findResources(EXPRESS));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^WebExecutionRoleDefaultPolicy/)]));
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLogs'), 'Arn'] } }] },
    });
  });

  test('every App Runner size is a Fargate size, written as CPU units and MiB', () => {
    const pairs: [Cpu, Memory, string, string][] = [
      [Cpu.QUARTER_VCPU, Memory.HALF_GB, '256', '512'], [Cpu.QUARTER_VCPU, Memory.ONE_GB, '256', '1024'],
      [Cpu.HALF_VCPU, Memory.ONE_GB, '512', '1024'], [Cpu.ONE_VCPU, Memory.TWO_GB, '1024', '2048'],
      [Cpu.ONE_VCPU, Memory.THREE_GB, '1024', '3072'], [Cpu.ONE_VCPU, Memory.FOUR_GB, '1024', '4096'],
      [Cpu.TWO_VCPU, Memory.FOUR_GB, '2048', '4096'], [Cpu.FOUR_VCPU, Memory.EIGHT_GB, '4096', '8192'],
      [Cpu.FOUR_VCPU, Memory.TEN_GB, '4096', '10240'], [Cpu.FOUR_VCPU, Memory.TWELVE_GB, '4096', '12288'],
      [Cpu.TWO_VCPU, Memory.SIX_GB, '2048', '6144'],
    ];
    for (const [cpu, memory, cpuUnits, memoryMb] of pairs) {
      express({ cpu, memory }).template().hasResourceProperties(EXPRESS, { Cpu: cpuUnits, Memory: memoryMb });
    }
  });

  test('a private image: the execution role may pull exactly its repository; secrets as ECS references, read by the execution role', () => {
    const stack = newStack();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'shop');
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'Db', { encryptionKey: key });
    const { template } = express({ source: Source.fromEcr(repo, { tagOrDigest: 'v1' }), secrets: { DB_PASSWORD: Secret.fromSecretsManager(secret, 'password') }, environment: { MODE: 'prod' } }, stack);
    const t = template();
    t.hasResourceProperties(EXPRESS, {
      PrimaryContainer: {
        ContainerPort: 8080,
        Environment: [{ Name: 'MODE', Value: 'prod' }],
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^Db') }, ':password::']] } }],
      },
    });
    const policy = JSON.stringify(Object.values(t.findResources('AWS::IAM::Policy')).filter(p => JSON.stringify(p).includes('WebExecutionRole')));
    expect(policy).toContain('ecr:BatchGetImage');
    expect(policy).toContain('/shop');
    expect(policy).toContain('secretsmanager:GetSecretValue');
    expect(JSON.stringify(t.findResources('AWS::KMS::Key'))).toContain('kms:Decrypt');
  });

  test('a VPC: its subnets and a security group for the tasks, reachable through `connections`', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const { service, template } = express({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, stack);
    const db = new ec2.SecurityGroup(stack, 'DbGroup', { vpc });
    db.connections.allowFrom(service, ec2.Port.tcp(5432));
    const t = template();
    t.hasResourceProperties(EXPRESS, {
      NetworkConfiguration: {
        Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
        SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebSecurityGroup'), 'GroupId'] }],
      },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebSecurityGroup'), 'GroupId'] } });
  });

  test('tags replace an Express service: a warning says so', () => {
    const { stack } = express({ tags: { team: 'shop' } });
    Template.fromStack(stack).hasResourceProperties(EXPRESS, { Tags: [{ Key: 'team', Value: 'shop' }] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('replaces an ECS Express service'))).toHaveLength(1);
  });

  test('a start command runs through a shell, as a string command does', () => {
    express({ source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000, startCommand: 'node server.js --port 8000' }) })
      .template().hasResourceProperties(EXPRESS, { PrimaryContainer: { Command: ['/bin/sh', '-c', 'node server.js --port 8000'] } });
    express().template().hasResourceProperties(EXPRESS, { PrimaryContainer: { Command: Match.absent() } });
  });

  test('scaling on requests per task, the nearest thing to maxConcurrency', () => {
    express({ autoScaling: { minSize: 2, maxSize: 6 }, scalingMetric: ExpressScalingMetric.REQUEST_COUNT_PER_TARGET, scalingTargetValue: 3000 })
      .template().hasResourceProperties(EXPRESS, {
        ScalingTarget: { MinTaskCount: 2, MaxTaskCount: 6, AutoScalingMetric: 'REQUEST_COUNT_PER_TARGET', AutoScalingTargetValue: 3000 },
      });
  });

  test('the sample server: its memory and Region variables, as on App Runner', () => {
    express({ source: Source.fromSampleServer(), memory: Memory.FOUR_GB }).template().hasResourceProperties(EXPRESS, {
      PrimaryContainer: {
        ContainerPort: 8080,
        Environment: [{ Name: 'AWS_REGION', Value: 'us-east-1' }, { Name: 'INSTANCE_MEMORY_MB', Value: '4096' }],
      },
    });
  });
});

describe('what Express cannot do fails at synth, naming the prop and the alternative', () => {
  test.each([
    ['a code repository', () => ({
      source: Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn('arn:aws:apprunner:us-east-1:123456789012:connection/c/0123456789abcdef0123456789abcdef'),
        repositoryUrl: 'https://github.com/o/r',
        branch: 'main',
        configuration: CodeConfiguration.fromRepository(),
      }),
    }),
    'ECS Express runs images only; build the code into an image first'],
    ['a TCP health check', () => ({ healthCheck: HealthCheck.tcp() }), '`healthCheck`: ECS Express checks over HTTP only; use HealthCheck.http({ path })'],
    ['health-check timing', () => ({ healthCheck: HealthCheck.http({ path: '/healthz', healthyThreshold: 2 }) }), 'ECS Express does not expose healthyThreshold'],
    ['maxConcurrency', () => ({ autoScaling: { maxConcurrency: 50 } }), '`autoScaling.maxConcurrency` has no ECS Express equivalent; use `scalingMetric: ExpressScalingMetric.REQUEST_COUNT_PER_TARGET`'],
    ['a size Fargate does not run', () => ({ cpu: Cpu.QUARTER_VCPU, memory: Memory.FOUR_GB }), '4096 MiB is not a Fargate memory size for 256 CPU units; with 256 it takes 512, 1024, 2048 MiB'],
    ['minSize above maxSize', () => ({ autoScaling: { minSize: 5, maxSize: 2 } }), '`autoScaling.minSize` (5) must not exceed `autoScaling.maxSize` (2)'],
    ['subnets without a VPC', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }), '`vpcSubnets` and `securityGroups` need `vpc`'],
  ])('%s', (_name, props, message) => {
    expect(() => express(props() as any)).toThrow(message);
    expect(() => express(props() as any)).toThrow(/^Stack\/Web: /);
  });
});

/** Application code written once, against IWebService. */
function operate(stack: Stack, service: IWebService) {
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  table.grantReadWriteData(service);
  new CfnOutput(stack, 'Url', { value: service.url });
  const alarms = service.addRecommendedAlarms('Alarms');
  service.addDashboard('Dashboard', { alarms: alarms.alarms });
}

describe('the same application code on App Runner and on ECS Express', () => {
  test('grants, URL, recommended alarms and a dashboard: the platform decides the metrics and units', () => {
    const onAppRunner = newStack();
    operate(onAppRunner, new AppRunnerWebService(onAppRunner, 'Web', { source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000 }), autoScaling: { maxSize: 5 } }));
    const onExpress = newStack();
    operate(onExpress, new EcsExpressWebService(onExpress, 'Web', { source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000 }), autoScaling: { maxSize: 5 } }));

    for (const [stack, namespace, latencyThreshold] of [[onAppRunner, 'AWS/AppRunner', 2000], [onExpress, 'AWS/ApplicationELB', 2]] as const) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::CloudWatch::Alarm', 5);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: Match.stringLikeRegexp('RequestLatency|TargetResponseTime'), Namespace: namespace, Threshold: latencyThreshold, ExtendedStatistic: 'p99' });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).toContain('dynamodb:PutItem');
      expect(JSON.stringify(t.toJSON().Outputs.Url.Value)).toContain('https://');
    }
    // On Express the grant created the task role and the service uses it.
    Template.fromStack(onExpress).hasResourceProperties(EXPRESS, { TaskRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebTaskRole'), 'Arn'] } });
    // Express's metrics: the target group and load balancer of the service, the cluster and service of its ARN.
    const alarms = JSON.stringify(Template.fromStack(onExpress).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain('"Name":"TargetGroup"');
    expect(alarms).toContain('"Name":"LoadBalancer"');
    expect(alarms).toContain('"Namespace":"AWS/ECS"');
    expect(alarms).toContain('HealthyHostCount');
  });

  test('the template passes cfn-lint', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    operate(stack, new EcsExpressWebService(stack, 'Web', {
      source: Source.fromSampleServer(),
      vpc,
      secrets: { TOKEN: Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'Token')) },
      healthCheck: HealthCheck.http({ path: '/healthz' }),
      tags: { app: 'shop' },
    }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'express-'));
    const file = path.join(dir, 'express.template.json');
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    expect(cfnLint([file]).filter(f => f.level === 'Error')).toEqual([]);
  });
});

describe('imported', () => {
  test('by ARN: its ECS metrics; the load balancer metrics and the URL say what they need', () => {
    const stack = newStack();
    const imported = EcsExpressWebService.fromServiceArn(stack, 'Shop', 'arn:aws:ecs:us-east-1:123456789012:service/default/shop-web');
    expect(imported.clusterName).toBe('default');
    expect(imported.serviceName).toBe('shop-web');
    expect(stack.resolve(imported.metricCpuUtilization().dimensions)).toEqual({ ClusterName: 'default', ServiceName: 'shop-web' });
    expect(() => imported.metricRequests()).toThrow('Stack/Shop: the load balancer metrics (RequestCount) need the service\'s load balancer and target group');
    expect(() => imported.url).toThrow('needs its `endpoint`');
    expect(() => EcsExpressWebService.fromServiceArn(stack, 'Bad', 'arn:aws:apprunner:us-east-1:123456789012:service/x/y'))
      .toThrow('is no ECS service ARN');
  });

  test('with attributes: URL, request metrics by load balancer and target group, alarms', () => {
    const app = new App();
    const stack = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported = EcsExpressWebService.fromServiceAttributes(stack, 'Shop', {
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/default/shop-web',
      endpoint: 'sh-0123456789abcdef0123456789abcdef.ecs.us-east-1.on.aws',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ecs-express-gateway-alb-1/50dc6c495c0c9188',
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ecs-gateway-tg-1/73e2d6bc24d8a067',
    });
    expect(imported.url).toBe('https://sh-0123456789abcdef0123456789abcdef.ecs.us-east-1.on.aws');
    expect(stack.resolve(imported.metricRequests().dimensions)).toEqual({
      LoadBalancer: 'app/ecs-express-gateway-alb-1/50dc6c495c0c9188', TargetGroup: 'targetgroup/ecs-gateway-tg-1/73e2d6bc24d8a067',
    });
    imported.addRecommendedAlarms('Alarms');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });
});

describe('the example, built both ways from one props object', () => {
  test('the same image, port, environment, size, scaling bounds and grants', () => {
    const app = new App();
    const onAppRunner = new WebServiceStack(app, 'OnAppRunner', { env: { account: '123456789012', region: 'us-east-1' } });
    const onExpress = new ExpressWebServiceStack(app, 'OnExpress', { env: { account: '123456789012', region: 'us-east-1' } });
    const runner = Object.values<any>(Template.fromStack(onAppRunner).findResources('AWS::AppRunner::Service'))[0].Properties;
    const exp = Object.values<any>(Template.fromStack(onExpress).findResources(EXPRESS))[0].Properties;
    const image = runner.SourceConfiguration.ImageRepository;
    expect(JSON.stringify(exp.PrimaryContainer.Image)).toBe(JSON.stringify(image.ImageIdentifier));
    expect(exp.PrimaryContainer.ContainerPort).toBe(Number(image.ImageConfiguration.Port));
    expect(exp.PrimaryContainer.Environment).toEqual(image.ImageConfiguration.RuntimeEnvironmentVariables);
    expect(exp.PrimaryContainer.Secrets).toBeUndefined();
    expect(image.ImageConfiguration.RuntimeEnvironmentSecrets).toBeUndefined();
    // App Runner's defaults (1 vCPU, 2 GB) in Fargate's units.
    expect([exp.Cpu, exp.Memory]).toEqual(['1024', '2048']);
    const scaling = Object.values<any>(Template.fromStack(onAppRunner).findResources('AWS::AppRunner::AutoScalingConfiguration'))[0].Properties;
    expect([exp.ScalingTarget.MinTaskCount, exp.ScalingTarget.MaxTaskCount]).toEqual([scaling.MinSize, scaling.MaxSize]);
    expect(exp.HealthCheckPath).toBe(runner.HealthCheckConfiguration.Path);
    // The table grant lands on the role the code runs with: the instance role, the task role.
    const tableActions = (stack: Stack, role: RegExp) => Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter(p => role.test(JSON.stringify(p.Properties.Roles)))
      .flatMap(p => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()))
      .filter((a: string) => a.startsWith('dynamodb:')).sort();
    expect(tableActions(onExpress, /WebTaskRole/)).toEqual(tableActions(onAppRunner, /WebInstanceRole/));
    expect(tableActions(onExpress, /WebTaskRole/).length).toBeGreaterThan(5);
  });
});

describe('docs/migrating-to-ecs-express.md', () => {
  /** The resources of the example on each platform, by type, as the document's table lists them. */
  function templateDiffTable(): string {
    const assembly = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'example-'))).synth();
    const count = (stack: string) => {
      const counts = new Map<string, number>();
      for (const r of Object.values<any>(assembly.getStackByName(stack).template.Resources)) {
        if (r.Type !== 'AWS::CDK::Metadata') counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
      }
      return counts;
    };
    const [runner, exp] = [count('AppRunnerWebServiceExample'), count('AppRunnerWebServiceExpressExample')];
    const types = [...new Set([...runner.keys(), ...exp.keys()])].sort();
    return [
      '| resource type | on App Runner | on ECS Express |',
      '|---|---|---|',
      ...types.map(t => `| \`${t}\` | ${runner.get(t) ?? '–'} | ${exp.get(t) ?? '–'} |`),
    ].join('\n');
  }

  test('its template diff of the example is the one the two stacks synthesize (UPDATE_DOCS=1 rewrites it)', () => {
    const file = path.join(__dirname, '..', 'docs', 'migrating-to-ecs-express.md');
    const text = fs.readFileSync(file, 'utf8');
    const [begin, end] = ['<!-- template-diff:begin -->\n', '\n<!-- template-diff:end -->'];
    const table = templateDiffTable();
    if (process.env.UPDATE_DOCS) {
      fs.writeFileSync(file, text.slice(0, text.indexOf(begin) + begin.length) + table + text.slice(text.indexOf(end)));
    }
    const current = fs.readFileSync(file, 'utf8');
    expect(current.slice(current.indexOf(begin) + begin.length, current.indexOf(end))).toBe(table);
  });
});
