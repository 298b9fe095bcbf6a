// One cold synthesis, as `cdk synth` runs an app: a fresh node process that loads the CDK and
// one construct library, defines N identical services in one stack and writes the cloud assembly.
// Usage: node bench/synth-app.js <ours|express|alpha|l1> <N> <outdir>
// Prints one JSON line: the times of its phases and the process's peak memory.
// Plain JavaScript against the compiled library (lib/), so nothing is transpiled while measured.
'use strict';
const start = process.hrtime.bigint();
const ms = (from, to = process.hrtime.bigint()) => Number(to - from) / 1e6;

const [variant, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
if (!['ours', 'express', 'alpha', 'l1'].includes(variant) || !(n > 0) || !outdir) {
  throw new Error('usage: synth-app.js <ours|express|alpha|l1> <N> <outdir>');
}

const cdk = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const ecr = require('aws-cdk-lib/aws-ecr');
const iam = require('aws-cdk-lib/aws-iam');
const cdkLoaded = process.hrtime.bigint();
const lib = variant === 'ours' || variant === 'express' ? require('../lib')
  : variant === 'alpha' ? require('@aws-cdk/aws-apprunner-alpha')
    : require('aws-cdk-lib/aws-apprunner');
const libLoaded = process.hrtime.bigint();

// 25 services per stack (about 125 resources), as a team would split them: CloudFormation takes
// at most 500 resources per stack. Each stack has its own table and the same image repository.
const SERVICES_PER_STACK = 25;
const app = new cdk.App({ outdir });
let stack;
let repository;
let table;
function stackFor(i) {
  if (i % SERVICES_PER_STACK === 0) {
    stack = new cdk.Stack(app, `Bench${i / SERVICES_PER_STACK}`, { env: { account: '123456789012', region: 'us-east-1' } });
    repository = ecr.Repository.fromRepositoryName(stack, 'Repository', 'web');
    table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}

// The same configuration four ways: a private ECR image on port 8080, TABLE_NAME, 1 vCPU and
// 2 GB, an HTTP health check on /healthz, its own auto scaling (1-4), read/write on the table.
// This library takes the same props on App Runner and on ECS Express Mode.
const ourProps = () => ({
  source: lib.Source.fromEcr(repository, { tagOrDigest: 'latest', port: 8080 }),
  environment: { TABLE_NAME: table.tableName },
  cpu: lib.Cpu.ONE_VCPU,
  memory: lib.Memory.TWO_GB,
  healthCheck: lib.HealthCheck.http({ path: '/healthz' }),
  autoScaling: { minSize: 1, maxSize: 4 },
});
const define = {
  ours: (i) => table.grantReadWriteData(new lib.AppRunnerWebService(stack, `Web${i}`, ourProps())),
  express: (i) => table.grantReadWriteData(new lib.EcsExpressWebService(stack, `Web${i}`, ourProps())),
  alpha: (i) => {
    const service = new lib.Service(stack, `Web${i}`, {
      source: lib.Source.fromEcr({
        repository,
        tagOrDigest: 'latest',
        imageConfiguration: { port: 8080, environmentVariables: { TABLE_NAME: table.tableName } },
      }),
      cpu: lib.Cpu.ONE_VCPU,
      memory: lib.Memory.TWO_GB,
      healthCheck: lib.HealthCheck.http({ path: '/healthz' }),
      autoScalingConfiguration: new lib.AutoScalingConfiguration(stack, `Web${i}AutoScaling`, { minSize: 1, maxSize: 4 }),
    });
    table.grantReadWriteData(service);
  },
  l1: (i) => {
    // What a hand-written L1 needs: an access role that may pull, an instance role, the scaling config.
    const accessRole = new iam.Role(stack, `Web${i}AccessRole`, { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
    repository.grantPull(accessRole);
    const instanceRole = new iam.Role(stack, `Web${i}InstanceRole`, { assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com') });
    table.grantReadWriteData(instanceRole);
    const scaling = new lib.CfnAutoScalingConfiguration(stack, `Web${i}AutoScaling`, { minSize: 1, maxSize: 4 });
    new lib.CfnService(stack, `Web${i}`, {
      sourceConfiguration: {
        authenticationConfiguration: { accessRoleArn: accessRole.roleArn },
        imageRepository: {
          imageIdentifier: repository.repositoryUriForTag('latest'),
          imageRepositoryType: 'ECR',
          imageConfiguration: { port: '8080', runtimeEnvironmentVariables: [{ name: 'TABLE_NAME', value: table.tableName }] },
        },
      },
      instanceConfiguration: { cpu: '1 vCPU', memory: '2 GB', instanceRoleArn: instanceRole.roleArn },
      healthCheckConfiguration: { protocol: 'HTTP', path: '/healthz' },
      autoScalingConfigurationArn: scaling.attrAutoScalingConfigurationArn,
    });
  },
}[variant];

for (let i = 0; i < n; i++) {
  stackFor(i);
  define(i);
}
const defined = process.hrtime.bigint();
app.synth();
const end = process.hrtime.bigint();

console.log(JSON.stringify({
  variant,
  n,
  loadCdkMs: ms(start, cdkLoaded),
  loadLibraryMs: ms(cdkLoaded, libLoaded),
  defineMs: ms(libLoaded, defined),
  synthMs: ms(defined, end),
  inProcessMs: ms(start, end),
  peakRssMb: process.resourceUsage().maxRSS / 1024,
}));
