// Generated configurations that break exactly one rule: synth throws, and the message names the
// prop. fast-check shrinks a failure and prints the seed. FC_INVALID_RUNS (500), FC_SEED.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import fc from 'fast-check';
import { AppRunnerWebService, AppRunnerWebServiceProps, AutoScalingConfiguration, Cpu, HealthCheck, IpAddressType, Memory, Secret, Source } from '../src';
import { VALID_PAIRS } from './arbitraries';

const RUNS = Number(process.env.FC_INVALID_RUNS ?? 500);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const IMAGE = 'public.ecr.aws/aws-containers/hello-app-runner:latest';

const CPUS = ['0.25 vCPU', '0.5 vCPU', '1 vCPU', '2 vCPU', '4 vCPU'];
const MEMORIES = ['0.5 GB', '1 GB', '2 GB', '3 GB', '4 GB', '6 GB', '8 GB', '10 GB', '12 GB'];
const outOf = (min: number, max: number) => fc.oneof(fc.integer({ min: -1000, max: min - 1 }), fc.integer({ min: max + 1, max: 100_000 }));

/** One broken rule, as data; `build` turns it into props, `prop` is what the message must name. */
const broken = fc.oneof(
  fc.tuple(fc.constantFrom(...CPUS), fc.constantFrom(...MEMORIES))
    .filter(([c, m]) => !VALID_PAIRS.some(([vc, vm]) => vc === c && vm === m))
    .map(([cpu, memory]) => ({ rule: 'cpu/memory pair', cpu, memory, prop: '`cpu`' })),
  outOf(1, 25).map(v => ({ rule: 'minSize range', value: v, prop: '`autoScaling.minSize`' })),
  fc.integer({ min: 2, max: 25 }).chain(min => fc.integer({ min: 1, max: min - 1 }).map(max => ({ rule: 'min > max', min, max, prop: '`autoScaling.minSize`' }))),
  fc.integer({ min: -1000, max: 0 }).map(v => ({ rule: 'maxSize range', value: v, prop: '`autoScaling.maxSize`' })),
  outOf(1, 200).map(v => ({ rule: 'maxConcurrency range', value: v, prop: '`autoScaling.maxConcurrency`' })),
  fc.constantFrom('interval', 'timeout').chain(which => outOf(1, 20).map(v => ({ rule: 'health check seconds', which, value: v, prop: `\`healthCheck.${which}\`` }))),
  fc.constantFrom('healthyThreshold', 'unhealthyThreshold').chain(which => outOf(1, 20).map(v => ({ rule: 'health check threshold', which, value: v, prop: `\`healthCheck.${which}\`` }))),
  fc.string({ minLength: 1, maxLength: 10 }).filter(p => !p.startsWith('/')).map(path => ({ rule: 'health check path', path, prop: '`healthCheck.path`' })),
  fc.oneof(fc.string({ maxLength: 3 }), fc.string({ minLength: 41, maxLength: 60 }), fc.constant('-leading-dash'))
    .map(name => ({ rule: 'service name', name, prop: '`serviceName`' })),
  fc.constantFrom('PORT', 'AWSAPPRUNNER_X', 'AwsAppRunnerY', '').map(name => ({ rule: 'reserved variable', name, prop: 'environment variable' })),
  fc.constant({ rule: 'name twice', prop: 'environment variable' }),
  fc.constant({ rule: 'dual stack private', prop: '`ipAddressType`' }),
  fc.constant({ rule: 'auto deployments public', prop: '`autoDeploymentsEnabled`' }),
  fc.constant({ rule: 'both scaling forms', prop: '`autoScaling`' }),
  fc.constant({ rule: 'both tracing forms', prop: '`tracing`' }),
  fc.constant({ rule: 'alias as key', prop: '`kmsKey`' }),
  outOf(1, 65535).map(v => ({ rule: 'port range', value: v, prop: '`port`' })),
  fc.constantFrom('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1', 'docker.io/library/nginx', 'ghcr.io/o/i:1')
    .map(uri => ({ rule: 'public uri', uri, prop: '`imageUri`' })),
);

type Broken = { rule: string; prop: string; [key: string]: any };

function props(stack: Stack, b: Broken): AppRunnerWebServiceProps {
  const base = { source: Source.fromEcrPublic(IMAGE) };
  switch (b.rule) {
    case 'cpu/memory pair': return { ...base, cpu: Cpu.of(b.cpu), memory: Memory.of(b.memory) };
    case 'minSize range': return { ...base, autoScaling: { minSize: b.value, maxSize: 100_000 } };
    case 'min > max': return { ...base, autoScaling: { minSize: b.min, maxSize: b.max } };
    case 'maxSize range': return { ...base, autoScaling: { maxSize: b.value } };
    case 'maxConcurrency range': return { ...base, autoScaling: { maxConcurrency: b.value } };
    case 'health check seconds': return { ...base, healthCheck: HealthCheck.tcp({ [b.which]: Duration.seconds(Math.max(0, b.value)) }) };
    case 'health check threshold': return { ...base, healthCheck: HealthCheck.http({ [b.which]: b.value }) };
    case 'health check path': return { ...base, healthCheck: HealthCheck.http({ path: b.path }) };
    case 'service name': return { ...base, serviceName: b.name };
    case 'reserved variable': return { ...base, environment: { [b.name]: 'x' } };
    case 'name twice': return {
      ...base,
      environment: { DB: 'x' },
      secrets: { DB: Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'db')) },
    };
    case 'dual stack private': return { ...base, publiclyAccessible: false, ipAddressType: IpAddressType.DUAL_STACK };
    case 'auto deployments public': return { ...base, autoDeploymentsEnabled: true };
    case 'both scaling forms': return { ...base, autoScaling: { maxSize: 2 }, autoScalingConfiguration: new AutoScalingConfiguration(stack, 'A') };
    case 'both tracing forms': return {
      ...base, tracing: true, observabilityConfiguration: { observabilityConfigurationArn: 'arn', observabilityConfigurationName: 'n' } as any,
    };
    case 'alias as key': return { ...base, kmsKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/web') };
    case 'port range': return { source: Source.fromEcrPublic(IMAGE, { port: b.value }) };
    case 'public uri': return { source: Source.fromEcrPublic(b.uri) };
    default: throw new Error(`unknown rule ${b.rule}`);
  }
}

test(`${RUNS} generated configurations breaking one rule each fail at synth, naming the prop`, () => {
  fc.assert(fc.property(broken, (b: Broken) => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    let message = '';
    try {
      new AppRunnerWebService(stack, 'Web', props(stack, b));
    } catch (err: any) {
      message = err.message;
    }
    if (!message.includes(b.prop)) {
      throw new Error(`rule "${b.rule}": expected an error naming ${b.prop}, got ${message ? `'${message}'` : 'no error'}`);
    }
  }), { numRuns: RUNS, seed: SEED });
  // eslint-disable-next-line no-console
  console.log(`invalid properties: ${RUNS} generated single-rule breakers, all rejected at synth naming the prop`);
});
