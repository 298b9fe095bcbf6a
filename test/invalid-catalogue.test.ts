// A catalogue of hand-written invalid configurations, one line each, with the message fragment
// synth must throw: every validation the library has appears here at least once.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AppRunnerWebService, AppRunnerWebServiceProps, AutoScalingConfiguration, CodeConfiguration, Cpu, GitHubConnection, HealthCheck,
  IpAddressType, Memory, ObservabilityConfiguration, Runtime, Secret, Source,
} from '../src';

const IMAGE = 'public.ecr.aws/aws-containers/hello-app-runner:latest';
const CONNECTION = 'arn:aws:apprunner:us-east-1:123456789012:connection/github/0123456789abcdef0123456789abcdef';
const SERVICE_ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef';
const SCALING_ARN = 'arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration';

const code = (configuration: () => CodeConfiguration, sourceDirectory?: string) => Source.fromCodeRepository({
  connection: GitHubConnection.fromConnectionArn(CONNECTION), repositoryUrl: 'https://github.com/o/r', branch: 'main', sourceDirectory, configuration: configuration(),
});
const service = (extra: (stack: Stack) => Partial<AppRunnerWebServiceProps>) => (stack: Stack) =>
  new AppRunnerWebService(stack, 'Web', { source: Source.fromEcrPublic(IMAGE), ...extra(stack) });

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
  ['tracing and a configuration', service(s => ({ tracing: true, observabilityConfiguration: new ObservabilityConfiguration(s, 'O') })), 'give either `tracing` or `observabilityConfiguration`'],
  // imported services
  ['a connection ARN as service ARN', s => AppRunnerWebService.fromServiceArn(s, 'I', CONNECTION), '`serviceArn` must be arn:aws:apprunner:<region>:<account>:service/<name>/<id>'],
  ['the URL of a service imported by ARN', s => AppRunnerWebService.fromServiceArn(s, 'I', SERVICE_ARN).url, 'pass `serviceUrl` to AppRunnerWebService.fromServiceAttributes'],
  ['the status of an imported service', s => AppRunnerWebService.fromServiceArn(s, 'I', SERVICE_ARN).serviceStatus, 'is not available at synth time'],
  ['a reserved name on a private ECR service', service(s => ({ source: Source.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'app')), environment: { AWSAPPRUNNER: '' } })), 'is reserved'],
];

test(`the catalogue has at least 40 invalid configurations (${CATALOGUE.length})`, () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  // eslint-disable-next-line no-console
  console.log(`invalid catalogue: ${CATALOGUE.length} hand-written invalid configurations`);
});

test.each(CATALOGUE)('fails when %s', (_name, make, fragment) => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  expect(() => make(stack)).toThrow(fragment);
});
