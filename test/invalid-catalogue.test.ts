// A catalogue of hand-written invalid configurations, one line each, with the message fragment
// synth must throw. Every place in src/ that makes an error is reached by at least one entry:
// the places are read from the source and the entries' errors are traced back to them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import {
  AppRunnerWebService, AppRunnerWebServiceProps, AutoScalingConfiguration, CodeConfiguration, Cpu, EcsExpressWebService, EcsExpressWebServiceProps,
  GitHubConnection, HealthCheck, IpAddressType, Memory, ObservabilityConfiguration, Runtime, Secret, Source, SourceConfig, VpcConnector, WebAcl,
} from '../src';

const IMAGE = 'public.ecr.aws/aws-containers/hello-app-runner:latest';
const CONNECTION = 'arn:aws:apprunner:us-east-1:123456789012:connection/github/0123456789abcdef0123456789abcdef';
const SERVICE_ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef';
const SCALING_ARN = 'arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration';

const code = (configuration: () => CodeConfiguration, sourceDirectory?: string) => Source.fromCodeRepository({
  connection: GitHubConnection.fromConnectionArn(CONNECTION), repositoryUrl: 'https://github.com/o/r', branch: 'main', sourceDirectory, configuration: configuration(),
});
const vpc = (stack: Stack) => (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const zone = (stack: Stack) => route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
const domain = (extra: object) => service(s => ({ customDomain: { domainName: 'www.example.com', hostedZone: zone(s), ...extra } }));
const acl = (stack: Stack, scope: string) => new wafv2.CfnWebACL(stack, 'Acl', {
  scope, defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: false, metricName: 'm', sampledRequestsEnabled: false },
});
const service = (extra: (stack: Stack) => Partial<AppRunnerWebServiceProps>) => (stack: Stack) =>
  new AppRunnerWebService(stack, 'Web', { source: Source.fromEcrPublic(IMAGE), ...extra(stack) });
const express = (extra: (stack: Stack) => Partial<EcsExpressWebServiceProps>) => (stack: Stack) =>
  new EcsExpressWebService(stack, 'Web', { source: Source.fromEcrPublic(IMAGE), ...extra(stack) });
const ECS_SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/default/web';

const CATALOGUE: [string, (stack: Stack) => unknown, string][] = [
  // instance size
  ['2 vCPU with 2 GB', service(() => ({ cpu: Cpu.TWO_VCPU, memory: Memory.TWO_GB })), "`cpu` '2 vCPU' with `memory` '2 GB' is not a pair"],
  ['0.25 vCPU with the default 2 GB', service(() => ({ cpu: Cpu.QUARTER_VCPU })), "with `memory` '2 GB' (the default)"],
  ['4 vCPU with 4 GB', service(() => ({ cpu: Cpu.FOUR_VCPU, memory: Memory.FOUR_GB })), 'is not a pair App Runner accepts'],
  ['12 GB with the default 1 vCPU', service(() => ({ memory: Memory.TWELVE_GB })), "`cpu` '1 vCPU' (the default)"],
  ['3 vCPU', service(() => ({ cpu: Cpu.of('3 vCPU'), memory: Memory.FOUR_GB })), '`cpu` must be one of 0.25, 0.5, 1, 2 or 4 vCPU'],
  ['memory "lots"', service(() => ({ memory: Memory.of('lots') })), "`memory` 'lots' is not a pair"],
  // names
  ['service name of 3 characters', service(() => ({ serviceName: 'abc' })), '`serviceName` must be 4-40 characters'],
  ['service name of 41 characters', service(() => ({ serviceName: 'a'.repeat(41) })), '`serviceName` must be 4-40 characters'],
  ['service name with a dot', service(() => ({ serviceName: 'my.web' })), "got 'my.web'"],
  ['scaling configuration name of 33 characters', s => new AutoScalingConfiguration(s, 'A', { autoScalingConfigurationName: 'a'.repeat(33) }), '`autoScalingConfigurationName` must be 4-32'],
  ['observability name DefaultConfiguration', s => new ObservabilityConfiguration(s, 'O', { observabilityConfigurationName: 'DefaultConfiguration' }), "'DefaultConfiguration' is reserved"],
  ['observability name of 2 characters', s => new ObservabilityConfiguration(s, 'O', { observabilityConfigurationName: 'ab' }), '`observabilityConfigurationName` must be 4-32'],
  // auto scaling
  ['minSize 0', service(() => ({ autoScaling: { minSize: 0 } })), '`autoScaling.minSize` must be an integer between 1 and 25, got 0'],
  ['minSize 26', service(() => ({ autoScaling: { minSize: 26, maxSize: 30 } })), '`autoScaling.minSize` must be an integer between 1 and 25, got 26'],
  ['minSize 2.5', service(() => ({ autoScaling: { minSize: 2.5 } })), 'got 2.5'],
  ['maxSize 0', service(() => ({ autoScaling: { maxSize: 0 } })), '`autoScaling.maxSize` must be an integer of at least 1, got 0'],
  ['minSize above maxSize', service(() => ({ autoScaling: { minSize: 4, maxSize: 3 } })), '`autoScaling.minSize` (4) must not exceed `autoScaling.maxSize` (3)'],
  ['maxConcurrency 0', service(() => ({ autoScaling: { maxConcurrency: 0 } })), '`autoScaling.maxConcurrency` must be an integer between 1 and 200, got 0'],
  ['maxConcurrency 201', service(() => ({ autoScaling: { maxConcurrency: 201 } })), 'got 201'],
  ['both scaling forms', service(s => ({ autoScaling: { maxSize: 2 }, autoScalingConfiguration: new AutoScalingConfiguration(s, 'A') })), 'give either `autoScaling` or `autoScalingConfiguration`'],
  ['scaling ARN with revision "latest"', s => AutoScalingConfiguration.fromArn(s, 'I', `${SCALING_ARN}/ha/latest`), 'the revision in `autoScalingConfigurationArn` must be a positive integer'],
  ['scaling ARN without a name', s => AutoScalingConfiguration.fromArn(s, 'I', `${SCALING_ARN}/`), '`autoScalingConfigurationArn` must be arn:aws:apprunner:<region>:<account>:autoscalingconfiguration/<name>'],
  // health checks
  ['interval 21 s', () => HealthCheck.http({ interval: Duration.seconds(21) }), '`healthCheck.interval` must be a whole number of seconds between 1 and 20, got 21 seconds'],
  ['interval 1.5 s', () => HealthCheck.tcp({ interval: Duration.millis(1500) }), '`healthCheck.interval` must be a whole number of seconds'],
  ['timeout 0 s', () => HealthCheck.http({ timeout: Duration.seconds(0) }), '`healthCheck.timeout` must be a whole number of seconds between 1 and 20, got 0 seconds'],
  ['healthy threshold 0', () => HealthCheck.http({ healthyThreshold: 0 }), '`healthCheck.healthyThreshold` must be an integer between 1 and 20, got 0'],
  ['unhealthy threshold 21', () => HealthCheck.tcp({ unhealthyThreshold: 21 }), '`healthCheck.unhealthyThreshold` must be an integer between 1 and 20, got 21'],
  ['path without a slash', () => HealthCheck.http({ path: 'healthz' }), "`healthCheck.path` must start with '/', got 'healthz'"],
  // environment and secrets
  ['variable PORT', service(() => ({ environment: { PORT: '80' } })), "environment variable 'PORT' is reserved"],
  ['variable AWSAPPRUNNER_X', service(() => ({ environment: { AWSAPPRUNNER_X: '1' } })), 'names starting with AWSAPPRUNNER belong to App Runner'],
  ['empty variable name', service(() => ({ environment: { '': '1' } })), 'environment variable names must not be empty'],
  ['secret named PORT', service(s => ({ secrets: { PORT: Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(s, 'S', 'db')) } })), "environment variable 'PORT' is reserved"],
  ['same name as variable and secret', service(s => ({
    environment: { DB: 'x' }, secrets: { DB: Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(s, 'S', 'db')) },
  })), "environment variable 'DB' is set twice, by `environment` and by `secrets`"],
  ['environment with apprunner.yaml', service(() => ({ source: code(() => CodeConfiguration.fromRepository()), environment: { A: '1' } })), 'the source takes its configuration from apprunner.yaml'],
  // sources
  ['private ECR URI as public', () => Source.fromEcrPublic('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1'), "`imageUri` of Source.fromEcrPublic must start with 'public.ecr.aws/'"],
  ['Docker Hub URI as public', () => Source.fromEcrPublic('docker.io/library/nginx:latest'), 'for a private repository use Source.fromEcr'],
  ['port 0', () => Source.fromEcrPublic(IMAGE, { port: 0 }), '`port` must be an integer between 1 and 65535, got 0'],
  ['port 70000 from the API', () => CodeConfiguration.fromApi({ runtime: Runtime.NODEJS_22, port: 70000 }), '`port` must be an integer between 1 and 65535, got 70000'],
  ['start command with a newline', () => Source.fromEcrPublic(IMAGE, { startCommand: 'a\nb' }), '`startCommand` must be a single line'],
  ['build command with a newline', () => CodeConfiguration.fromApi({ runtime: Runtime.NODEJS_22, buildCommand: 'a\rb' }), '`buildCommand` must be a single line'],
  ['CodeStar connection ARN', () => GitHubConnection.fromConnectionArn('arn:aws:codestar-connections:us-east-1:123456789012:connection/x'), '`connection` must be an App Runner connection ARN'],
  ['source directory of 4097 characters', () => code(() => CodeConfiguration.fromRepository(), 'x'.repeat(4097)), '`sourceDirectory` must be 1-4096 characters, got 4097'],
  ['0 sample server workers', () => Source.fromSampleServer({ workers: 0 }), '`workers` must be an integer between 1 and 64, got 0'],
  // roles, network, encryption, deployments
  ['access role for ECR Public', service(s => ({ accessRole: new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') }) })), '`accessRole` is only for private ECR and asset sources'],
  ['access role for a code repository', service(s => ({
    source: code(() => CodeConfiguration.fromRepository()), accessRole: new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }),
  })), '`accessRole` is only for private ECR and asset sources'],
  ['automatic deployments for ECR Public', service(() => ({ autoDeploymentsEnabled: true })), '`autoDeploymentsEnabled` is not possible for an ECR Public image'],
  ['dual stack on a private service', service(() => ({ publiclyAccessible: false, ipAddressType: IpAddressType.DUAL_STACK })), '`ipAddressType` DUAL_STACK needs a public endpoint'],
  ['a KMS alias as key', service(s => ({ kmsKey: kms.Alias.fromAliasName(s, 'A', 'alias/web') })), '`kmsKey` must be a KMS key, not an alias'],
  ['a KMS alias ARN as key', service(s => ({ kmsKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:123456789012:alias/web') })), 'got \'arn:aws:kms:us-east-1:123456789012:alias/web\': an alias ARN'],
  ['a multi-Region key', service(s => ({ kmsKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef') })), 'a multi-Region key'],
  ['an ECR Public URI without an alias', () => Source.fromEcrPublic('public.ecr.aws/nginx'), '`imageUri` of Source.fromEcrPublic must be public.ecr.aws/<alias>/<name>'],
  ['an ARM64 asset', () => Source.fromAsset(__dirname, { platform: ecr_assets.Platform.LINUX_ARM64 }), '`platform` of Source.fromAsset must be linux/amd64'],
  ['tracing and a configuration', service(s => ({ tracing: true, observabilityConfiguration: new ObservabilityConfiguration(s, 'O') })), 'give either `tracing` or `observabilityConfiguration`'],
  // imported services
  ['a connection ARN as service ARN', s => AppRunnerWebService.fromServiceArn(s, 'I', CONNECTION), '`serviceArn` must be arn:aws:apprunner:<region>:<account>:service/<name>/<id>'],
  ['the URL of a service imported by ARN', s => AppRunnerWebService.fromServiceArn(s, 'I', SERVICE_ARN).url, 'pass `serviceUrl` to AppRunnerWebService.fromServiceAttributes'],
  ['the status of an imported service', s => AppRunnerWebService.fromServiceArn(s, 'I', SERVICE_ARN).serviceStatus, 'is not available at synth time'],
  ['a reserved name on a private ECR service', service(s => ({ source: Source.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'app')), environment: { AWSAPPRUNNER: '' } })), 'is reserved'],
  // ECS Express: what it cannot do, and what it needs
  ['Express from a code repository', express(() => ({ source: code(() => CodeConfiguration.fromRepository()) })), 'ECS Express runs images only'],
  ['Express with 0.25 vCPU and 4 GB', express(() => ({ cpu: Cpu.QUARTER_VCPU, memory: Memory.FOUR_GB })), 'is not a Fargate memory size for 256 CPU units'],
  ['Express with 3 vCPU', express(() => ({ cpu: Cpu.of('3072'), memory: Memory.of('8192') })), '3072 CPU units is no Fargate task size'],
  ['Express with a TCP health check', express(() => ({ healthCheck: HealthCheck.tcp() })), 'ECS Express checks over HTTP only'],
  ['Express with a health-check interval', express(() => ({ healthCheck: HealthCheck.http({ interval: Duration.seconds(5) }) })), 'does not expose interval'],
  ['Express with maxConcurrency', express(() => ({ autoScaling: { maxConcurrency: 80 } })), '`autoScaling.maxConcurrency` has no ECS Express equivalent'],
  ['Express minSize above maxSize', express(() => ({ autoScaling: { minSize: 3, maxSize: 2 } })), '`autoScaling.minSize` (3) must not exceed `autoScaling.maxSize` (2)'],
  ['Express scaling target 0', express(() => ({ scalingTargetValue: 0 })), '`scalingTargetValue` must be a positive integer, got 0'],
  ['Express subnets without a VPC', express(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })), '`vpcSubnets` and `securityGroups` need `vpc`'],
  ['Express memory "lots"', express(() => ({ memory: Memory.of('lots') })), "`memory` 'lots' is no size ECS Express can take"],
  ['an App Runner ARN as Express service', s => EcsExpressWebService.fromServiceArn(s, 'I', SERVICE_ARN), 'is no ECS service ARN'],
  ['the URL of an Express service imported by ARN', s => EcsExpressWebService.fromServiceArn(s, 'I', ECS_SERVICE_ARN).url, 'needs its `endpoint`'],
  ['request metrics of an Express service imported by ARN', s => EcsExpressWebService.fromServiceArn(s, 'I', ECS_SERVICE_ARN).metricRequests(), 'need the service\'s load balancer and target group'],
  ['a target group ARN as load balancer', s => EcsExpressWebService.fromServiceAttributes(s, 'I', {
    serviceArn: ECS_SERVICE_ARN, loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1', targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1',
  }).metricRequests(), 'is no load balancer ARN'],
  ['a load balancer ARN as target group', s => EcsExpressWebService.fromServiceAttributes(s, 'I', {
    serviceArn: ECS_SERVICE_ARN, loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/l/1', targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/l/1',
  }).metricRequests(), 'is no target group ARN'],
  // custom domains
  ['a domain name with a space', domain({ domainName: 'a b.example.com' }), '`customDomain.domainName` must be a domain name'],
  ['a wildcard inside a name', domain({ domainName: 'a.*.example.com' }), 'may only have a wildcard as its first label'],
  ['www for a wildcard', domain({ domainName: '*.example.com', enableWwwSubdomain: true }), '`customDomain.enableWwwSubdomain` is not possible'],
  ['a private hosted zone', service(s => ({ customDomain: { domainName: 'a.example.com', hostedZone: new route53.PrivateHostedZone(s, 'P', { zoneName: 'example.com', vpc: vpc(s) }) } })), 'must be a public hosted zone'],
  ['a domain outside its zone', domain({ domainName: 'www.example.org' }), "is not in the hosted zone 'example.com'"],
  ['a validation timeout of 56 minutes', domain({ validationTimeout: Duration.minutes(56) }), '`customDomain.validationTimeout` must be between 1 and 55 minutes'],
  ['two validation timeouts in one stack', (s) => {
    service(() => ({ customDomain: { domainName: 'a.example.com', validationTimeout: Duration.minutes(10) } }))(s);
    new AppRunnerWebService(s, 'Web2', { source: Source.fromEcrPublic(IMAGE), customDomain: { domainName: 'b.example.com', validationTimeout: Duration.minutes(20) } });
  }, 'all custom domains of a stack share one `validationTimeout`'],
  // alarms
  ['a CPU threshold of 150 %', s => service(() => ({}))(s).addRecommendedAlarms('A', { cpuUtilizationPercent: 150 }), '`cpuUtilizationPercent` must be a percentage above 0 and at most 100, got 150'],
  ['0 evaluation periods', s => service(() => ({}))(s).addRecommendedAlarms('A', { evaluationPeriods: 0 }), '`evaluationPeriods` must be a positive integer, got 0'],
  ['a scaling maximum of 0', s => service(() => ({}))(s).addRecommendedAlarms('A', { scalingMaximum: 0 }), '`scalingMaximum` must be a positive integer, got 0'],
  ['a p99 latency of 0', s => service(() => ({}))(s).addRecommendedAlarms('A', { latencyP99: Duration.millis(0) }), '`latencyP99` must be above 0'],
  // networking
  ['a private endpoint on a public service', service(s => ({ publiclyAccessible: true, privateEndpoint: { vpc: vpc(s) } })), '`privateEndpoint` makes the service private, but `publiclyAccessible` is true'],
  ['dual stack with a private endpoint', service(s => ({ ipAddressType: IpAddressType.DUAL_STACK, privateEndpoint: { vpc: vpc(s) } })), 'but `privateEndpoint` makes the service private'],
  ['both vpc and vpcConnector', service(s => ({ vpc: vpc(s), vpcConnector: new VpcConnector(s, 'C', { vpc: vpc(s) }) })), 'give either `vpc` (a connector is created) or `vpcConnector`'],
  ['vpcSubnets without vpc', service(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })), '`vpcSubnets` and `securityGroups` configure the connector created for `vpc`'],
  ['subnets for an existing endpoint', service(s => ({
    privateEndpoint: { vpc: vpc(s), vpcEndpoint: vpc(s).addInterfaceEndpoint('E', { service: ec2.InterfaceVpcEndpointAwsService.APP_RUNNER_REQUESTS }), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } },
  })), 'configure a created endpoint; an existing `vpcEndpoint` keeps its own'],
  ['a connector in no subnet', s => new VpcConnector(s, 'C', { vpc: vpc(s), vpcSubnets: { subnets: [] } }), '`vpcSubnets` selects no subnet'],
  ['connections of a service without VPC egress', s => service(() => ({}))(s).connections, 'has no VPC egress, so no security groups'],
  // web ACLs
  ['a CloudFront web ACL', s => WebAcl.fromCfnWebAcl(acl(s, 'CLOUDFRONT')), "`webAcl` must have scope REGIONAL to protect an App Runner service, got 'CLOUDFRONT'"],
  ['a web ACL ARN of another service', () => WebAcl.fromWebAclArn('arn:aws:s3:::bucket'), '`webAclArn` must be arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>'],
  ['a global web ACL ARN', () => WebAcl.fromWebAclArn('arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b'), 'names a global (CloudFront) web ACL'],
  ['a web ACL of another Region', service(() => ({ webAcl: WebAcl.fromWebAclArn('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b') })), '`webAcl` is in eu-west-1, but the service is in us-east-1'],
  // sources written by users
  ['a source that gives neither image nor code', service(() => ({ source: new (class extends Source { public bind(): SourceConfig { return {}; } })() })), 'a source must give exactly one of `image` and `code`'],
];

const SRC = path.join(__dirname, '..', 'src');

/** Every `new Error(` in src/, as `file:line`. */
function errorSites(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return errorSites(file);
    if (!entry.name.endsWith('.ts')) return [];
    return fs.readFileSync(file, 'utf8').split('\n')
      .map((line, i) => line.includes('new Error(') ? `${path.relative(SRC, file)}:${i + 1}` : undefined)
      .filter((site): site is string => site !== undefined);
  });
}

/** Where in src/ an error was made: the first frame of its stack that is in src/. */
function siteOf(err: Error): string | undefined {
  for (const [, file, line] of (err.stack ?? '').matchAll(/\(?([^\s()]+\.ts):(\d+):\d+\)?/g)) {
    if (file.startsWith(SRC + path.sep)) return `${path.relative(SRC, file)}:${line}`;
  }
  return undefined;
}

const reached = new Set<string>();

test.each(CATALOGUE)('fails when %s', (_name, make, fragment) => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  let error: Error | undefined;
  try {
    make(stack);
  } catch (err) {
    error = err as Error;
  }
  expect(error?.message).toContain(fragment);
  const site = siteOf(error!);
  if (site) reached.add(site);
});

test('every place in src/ that makes an error is reached by an entry of the catalogue', () => {
  const sites = errorSites();
  expect(sites.length).toBeGreaterThan(40);
  expect(sites.filter(site => !reached.has(site))).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`invalid catalogue: ${CATALOGUE.length} hand-written invalid configurations reach all ${sites.length} error sites in src/`);
});
