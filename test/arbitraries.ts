// fast-check arbitraries that cover every option of AppRunnerWebService. A generated case is
// plain data (so a failure prints it); `buildService` turns it into a service in a stack.
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import fc from 'fast-check';
import {
  AppRunnerWebService, AutoScalingConfiguration, CodeConfiguration, Cpu, GitHubConnection, HealthCheck,
  IpAddressType, Memory, ObservabilityConfiguration, Runtime, Secret, Source,
} from '../src';

export const VALID_PAIRS: [string, string][] = [
  ['0.25 vCPU', '0.5 GB'], ['0.25 vCPU', '1 GB'], ['0.5 vCPU', '1 GB'],
  ['1 vCPU', '2 GB'], ['1 vCPU', '3 GB'], ['1 vCPU', '4 GB'], ['2 vCPU', '4 GB'], ['2 vCPU', '6 GB'],
  ['4 vCPU', '8 GB'], ['4 vCPU', '10 GB'], ['4 vCPU', '12 GB'],
];

/** A number as a user may type it: `1`, `1.0`, `1.00`; `0.5`, `0.50`, `.5` is not a number CDK users write. */
const typedNumber = (n: number) => fc.constantFrom(String(n), Number.isInteger(n) ? `${n}.0` : `${n}0`);
/** The unit as a user may type it, with any spacing. */
const typedUnit = (unit: string) => fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom(unit, unit.toLowerCase(), unit.toUpperCase()), fc.constantFrom('', ' '))
  .map(([before, u, after]) => `${before}${u}${after}`);
/** CPU of a valid pair in any spelling a user may type: units (`1024`, `1024.0`) or vCPU (`1 vcpu`, `1.0vCPU`). */
const typedCpu = (vcpu: number) => fc.oneof(typedNumber(vcpu * 1024), fc.tuple(typedNumber(vcpu), typedUnit('vCPU')).map(([n, u]) => n + u));
/** Memory of a valid pair in any spelling: MB (`2048`) or GB (`2 gb`, `2.0GB`). */
const typedMemory = (gb: number) => fc.oneof(typedNumber(gb * 1024), fc.tuple(typedNumber(gb), typedUnit('GB')).map(([n, u]) => n + u));

/** What a grant or a resource policy of the app may refer to in the service itself. */
export const SELF_REFERENCES = ['grantReadToItself', 'applicationLogGroup', 'serviceLogGroup', 'bucketCorsUrl', 'parameterWithUrl'] as const;

const RUNTIMES = ['CORRETTO_8', 'CORRETTO_11', 'DOTNET_6', 'GO_1', 'NODEJS_12', 'NODEJS_14', 'NODEJS_16', 'NODEJS_18', 'PHP_81', 'PYTHON_3', 'PYTHON_311', 'RUBY_31'];

const name = (min: number, max: number) =>
  fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min - 1, maxLength: max - 1 }))
    .map(([first, rest]) => first + rest);

const envName = fc.tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOQRSTUVWXYZ'), fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), maxLength: 12 }))
  .map(([first, rest]) => first + rest)
  .filter(n => n !== 'PORT' && !n.startsWith('AWSAPPRUNNER'));

const port = fc.integer({ min: 1, max: 65535 });
const command = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ./-'), minLength: 1, maxLength: 40 }).filter(c => c.trim().length > 0);

const source = fc.oneof(
  fc.record({ kind: fc.constant('ecrPublic' as const), port: fc.option(port, { nil: undefined }), startCommand: fc.option(command, { nil: undefined }) }),
  fc.record({ kind: fc.constant('ecr' as const), tag: fc.constantFrom('latest', 'v1', 'sha256:' + 'a'.repeat(64)), port: fc.option(port, { nil: undefined }) }),
  fc.record({ kind: fc.constant('sampleServer' as const), supervisor: fc.boolean(), workers: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }) }),
  fc.record({
    kind: fc.constant('code' as const),
    fromApi: fc.boolean(),
    runtime: fc.constantFrom(...RUNTIMES),
    port: fc.option(port, { nil: undefined }),
    buildCommand: fc.option(command, { nil: undefined }),
    sourceDirectory: fc.option(fc.constantFrom('app', 'services/web', '/'), { nil: undefined }),
  }),
);

const healthCheck = fc.option(fc.record({
  http: fc.boolean(),
  path: fc.constantFrom('/', '/healthz', '/status/ready'),
  interval: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  timeout: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  healthyThreshold: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  unhealthyThreshold: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
}), { nil: undefined });

const scaling = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.integer({ min: 1, max: 25 }).chain(minSize => fc.record({
    kind: fc.constant('inline' as const),
    minSize: fc.constant(minSize),
    maxSize: fc.integer({ min: minSize, max: 25 }),
    maxConcurrency: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  })),
  fc.record({ kind: fc.constant('shared' as const), name: fc.option(name(4, 32), { nil: undefined }) }),
);

export const validCase = fc.record({
  source,
  size: fc.option(fc.constantFrom(...VALID_PAIRS).chain(([cpu, memory]) =>
    fc.tuple(typedCpu(parseFloat(cpu)), typedMemory(parseFloat(memory)))), { nil: undefined }),
  environment: fc.dictionary(envName, fc.string({ maxLength: 30 }), { maxKeys: 4 }),
  secrets: fc.array(fc.record({ kind: fc.constantFrom('secret', 'secretField', 'secretVersion', 'ssm'), name: envName }), { maxLength: 3 }),
  healthCheck,
  scaling,
  tracing: fc.constantFrom('none', 'inline', 'shared'),
  serviceName: fc.option(name(4, 40), { nil: undefined }),
  network: fc.constantFrom('default', 'private', 'public-ipv4', 'dual-stack'),
  kmsKey: fc.constantFrom('none', 'created', 'imported'),
  autoDeployments: fc.option(fc.boolean(), { nil: undefined }),
  tags: fc.dictionary(fc.constantFrom('team', 'stage', 'cost-center'), fc.constantFrom('web', 'prod', '42')),
  grant: fc.boolean(),
  selfReferences: fc.subarray([...SELF_REFERENCES]),
});

export type ValidCase = typeof validCase extends fc.Arbitrary<infer T> ? T : never;

const CONNECTION = 'arn:aws:apprunner:us-east-1:123456789012:connection/github/0123456789abcdef0123456789abcdef';

/** Builds the case as service `id` in `stack`. */
export function buildService(stack: Stack, id: string, c: ValidCase): AppRunnerWebService {
  const s = c.source;
  let src: Source;
  switch (s.kind) {
    case 'ecrPublic':
      src = Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: s.port, startCommand: s.startCommand });
      break;
    case 'ecr':
      src = Source.fromEcr(ecr.Repository.fromRepositoryName(stack, `${id}Repo`, 'my-app'), { tagOrDigest: s.tag, port: s.port });
      break;
    case 'sampleServer':
      src = Source.fromSampleServer({ supervisor: s.supervisor, workers: s.workers });
      break;
    case 'code':
      src = Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn(CONNECTION),
        repositoryUrl: 'https://github.com/owner/repo',
        branch: 'main',
        sourceDirectory: s.sourceDirectory,
        configuration: s.fromApi
          ? CodeConfiguration.fromApi({ runtime: Runtime.of(s.runtime), port: s.port, buildCommand: s.buildCommand })
          : CodeConfiguration.fromRepository(),
      });
      break;
  }
  const repositoryConfigured = s.kind === 'code' && !s.fromApi;
  const secrets: Record<string, Secret> = {};
  if (!repositoryConfigured) {
    c.secrets.forEach((sec, i) => {
      if (sec.name in c.environment) return;
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, `${id}Secret${i}`, `arn:aws:secretsmanager:us-east-1:123456789012:secret:db${i}-AbCdEf`);
      secrets[sec.name] = sec.kind === 'secret' ? Secret.fromSecretsManager(secret)
        : sec.kind === 'secretField' ? Secret.fromSecretsManager(secret, 'password')
          : sec.kind === 'secretVersion' ? Secret.fromSecretsManagerVersion(secret, { versionStage: 'AWSCURRENT' })
            : Secret.fromSsmParameter(ssm.StringParameter.fromStringParameterName(stack, `${id}Param${i}`, `/app/param${i}`));
    });
  }
  const hc = c.healthCheck;
  const hcOptions = hc && {
    interval: hc.interval === undefined ? undefined : Duration.seconds(hc.interval),
    timeout: hc.timeout === undefined ? undefined : Duration.seconds(hc.timeout),
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
  const sampleServerEnv = s.kind === 'sampleServer' ? ['SUPERVISOR', 'WEB_CONCURRENCY', 'INSTANCE_MEMORY_MB'] : [];
  const environment = repositoryConfigured ? undefined
    : Object.fromEntries(Object.entries(c.environment).filter(([k]) => !sampleServerEnv.includes(k)));
  return new AppRunnerWebService(stack, id, {
    source: src,
    serviceName: c.serviceName,
    cpu: c.size && Cpu.of(c.size[0]),
    memory: c.size && Memory.of(c.size[1]),
    environment,
    secrets: repositoryConfigured ? undefined : Object.fromEntries(Object.entries(secrets).filter(([k]) => !sampleServerEnv.includes(k))),
    healthCheck: hc && (hc.http ? HealthCheck.http({ path: hc.path, ...hcOptions }) : HealthCheck.tcp(hcOptions)),
    autoScaling: c.scaling.kind === 'inline' ? { minSize: c.scaling.minSize, maxSize: c.scaling.maxSize, maxConcurrency: c.scaling.maxConcurrency } : undefined,
    autoScalingConfiguration: c.scaling.kind === 'shared'
      ? new AutoScalingConfiguration(stack, `${id}Scaling`, { autoScalingConfigurationName: c.scaling.name }) : undefined,
    tracing: c.tracing === 'inline' ? true : undefined,
    observabilityConfiguration: c.tracing === 'shared' ? new ObservabilityConfiguration(stack, `${id}Obs`) : undefined,
    publiclyAccessible: c.network === 'private' ? false : c.network === 'default' ? undefined : true,
    ipAddressType: c.network === 'dual-stack' ? IpAddressType.DUAL_STACK : c.network === 'public-ipv4' ? IpAddressType.IPV4 : undefined,
    kmsKey: c.kmsKey === 'created' ? new kms.Key(stack, `${id}Key`)
      : c.kmsKey === 'imported' ? kms.Key.fromKeyArn(stack, `${id}Key`, 'arn:aws:kms:us-east-1:123456789012:key/01234567-89ab-cdef-0123-456789abcdef')
        : undefined,
    autoDeploymentsEnabled: s.kind === 'ecrPublic' ? (c.autoDeployments ? undefined : c.autoDeployments) : c.autoDeployments,
    tags: c.tags,
  });
}

/**
 * Grants and resource policies of the app that refer back to the service: the service waits for
 * its policies, so each of these would close a circle if the service waited for it.
 */
export function addSelfReferences(stack: Stack, id: string, service: AppRunnerWebService, references: readonly string[]): void {
  for (const reference of references) {
    switch (reference) {
      case 'grantReadToItself':
        service.grantRead(service);
        break;
      case 'applicationLogGroup':
        service.applicationLogGroup.grantWrite(service);
        break;
      case 'serviceLogGroup':
        service.serviceLogGroup.grantRead(service);
        break;
      case 'bucketCorsUrl':
        new s3.Bucket(stack, `${id}Bucket`, { cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: [service.url] }] }).grantReadWrite(service);
        break;
      case 'parameterWithUrl':
        new ssm.StringParameter(stack, `${id}Url`, { stringValue: service.url }).grantRead(service);
        break;
    }
  }
}
