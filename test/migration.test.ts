// Moving an existing service onto this construct must not replace it (a replaced App Runner
// service gets a new URL and loses its custom domains). For configurations written with
// `@aws-cdk/aws-apprunner-alpha` and with a hand-written `CfnService` (docs/migrating-from-the-alpha.md,
// docs/adopting-a-cfnservice.md), the same app is built both ways with the same ids: the service
// keeps its logical ID, and no property whose change replaces it (the schema's createOnlyProperties,
// read from the CloudFormation schema cfn-lint ships) changes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as alpha from '@aws-cdk/aws-apprunner-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createOnlyProperties } from '../build-tools/cfn-schemas';
import { AppRunnerWebService, Cpu, Memory, Secret, Source } from '../src';
import { CREATE_ONLY_PROPERTIES, replacements } from '../src/cli/replacements';

type Build = (stack: Stack) => void;

/** The template of a stack named like the user's, built by `build`. */
function template(build: Build): any {
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return app.synth().getStackArtifact(stack.artifactId).template;
}

const SERVICE = 'AWS::AppRunner::Service';

function servicesOf(t: any): [string, any][] {
  return Object.entries<any>(t.Resources).filter(([, r]) => r.Type === SERVICE);
}

/** Each case: what a user wrote with the alpha, and the same service with this construct. */
const shared = (stack: Stack) => ({
  repo: ecr.Repository.fromRepositoryName(stack, 'Repo', 'shop'),
  asset: new ecrAssets.DockerImageAsset(stack, 'Image', { directory: Source.SAMPLE_SERVER_DIRECTORY }),
  secret: secretsmanager.Secret.fromSecretNameV2(stack, 'DbSecret', 'shop/db'),
  table: new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
  vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
});

const CASES: [string, (scope: Construct, s: ReturnType<typeof shared>) => void, (scope: Construct, s: ReturnType<typeof shared>) => void][] = [
  ['private ECR image',
    (scope, s) => new alpha.Service(scope, 'Web', { source: alpha.Source.fromEcr({ repository: s.repo, tagOrDigest: 'v1', imageConfiguration: { port: 8080 } }) }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo, { tagOrDigest: 'v1' }) })],
  ['ECR Public image',
    (scope) => new alpha.Service(scope, 'Web', { source: alpha.Source.fromEcrPublic({ imageIdentifier: 'public.ecr.aws/aws-containers/hello-app-runner:latest', imageConfiguration: { port: 8000 } }) }),
    (scope) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }) })],
  ['image asset, size',
    (scope, s) => new alpha.Service(scope, 'Web', { source: alpha.Source.fromAsset({ asset: s.asset }), cpu: alpha.Cpu.HALF_VCPU, memory: alpha.Memory.ONE_GB }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromDockerImageAsset(s.asset), cpu: Cpu.HALF_VCPU, memory: Memory.ONE_GB })],
  ['environment and secrets',
    (scope, s) => new alpha.Service(scope, 'Web', {
      source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080, environmentVariables: { MODE: 'prod' }, environmentSecrets: { DB: alpha.Secret.fromSecretsManager(s.secret, 'password') } } }),
    }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo), environment: { MODE: 'prod' }, secrets: { DB: Secret.fromSecretsManager(s.secret, 'password') } })],
  ['instance role from a grant',
    (scope, s) => s.table.grantReadWriteData(new alpha.Service(scope, 'Web', { source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080 } }) })),
    (scope, s) => s.table.grantReadWriteData(new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo) }))],
  ['auto scaling',
    (scope, s) => new alpha.Service(scope, 'Web', {
      source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080 } }),
      autoScalingConfiguration: new alpha.AutoScalingConfiguration(scope, 'Scaling', { minSize: 2, maxSize: 10, maxConcurrency: 50 }),
    }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo), autoScaling: { minSize: 2, maxSize: 10, maxConcurrency: 50 } })],
  ['VPC connector',
    (scope, s) => new alpha.Service(scope, 'Web', {
      source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080 } }),
      vpcConnector: new alpha.VpcConnector(scope, 'Connector', { vpc: s.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
    }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo), vpc: s.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } })],
  ['tracing (observability configuration)',
    (scope, s) => new alpha.Service(scope, 'Web', {
      source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080 } }),
      observabilityConfiguration: new alpha.ObservabilityConfiguration(scope, 'Tracing', { traceConfigurationVendor: alpha.TraceConfigurationVendor.AWSXRAY }),
    }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo), tracing: true })],
  ['an explicit service name',
    (scope, s) => new alpha.Service(scope, 'Web', { source: alpha.Source.fromEcr({ repository: s.repo, imageConfiguration: { port: 8080 } }), serviceName: 'shop-web' }),
    (scope, s) => new AppRunnerWebService(scope, 'Web', { source: Source.fromEcr(s.repo), serviceName: 'shop-web' })],
];

describe('from @aws-cdk/aws-apprunner-alpha, with the same construct id', () => {
  test('the create-only properties come from the schema', () => {
    expect(createOnlyProperties(SERVICE)).toEqual(['EncryptionConfiguration', 'ServiceName', 'Tags']);
  });

  test.each(CASES)('%s: same logical ID, no create-only property changed, so an in-place update', (_name, before, after) => {
    const old = template(stack => before(stack, shared(stack)));
    const now = template(stack => after(stack, shared(stack)));
    const [[oldId, oldService]] = servicesOf(old);
    const [[newId, newService]] = servicesOf(now);
    expect(newId).toBe(oldId);
    for (const property of createOnlyProperties(SERVICE)) {
      expect([property, newService.Properties[property]]).toEqual([property, oldService.Properties[property]]);
    }
    // The summary users run on their own templates agrees.
    expect(replacements(old, now).filter(r => r.type === SERVICE)).toEqual([]);
  });

  test('the instance role keeps its logical ID too (the policies that reference it stay)', () => {
    const [, before, after] = CASES.find(([name]) => name === 'instance role from a grant')!;
    const roles = (t: any) => Object.entries<any>(t.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('tasks.apprunner.amazonaws.com'))
      .map(([id]) => id);
    const kept = roles(template(stack => before(stack, shared(stack))));
    expect(kept).toHaveLength(1);
    expect(roles(template(stack => after(stack, shared(stack))))).toEqual(kept);
  });

  test('a different construct id would replace the service, and the summary says so', () => {
    const old = template(stack => CASES[0][1](stack, shared(stack)));
    const now = template((stack) => {
      const s = shared(stack);
      new AppRunnerWebService(stack, 'Service', { source: Source.fromEcr(s.repo, { tagOrDigest: 'v1' }) });
    });
    expect(replacements(old, now).filter(r => r.type === SERVICE)).toEqual([
      expect.objectContaining({ logicalId: 'Web3C8945DB', reason: expect.stringMatching(/no longer in the template/) }),
    ]);
  });
});

describe('from a hand-written CfnService (docs/adopting-a-cfnservice.md)', () => {
  test('the recipe keeps the logical ID and the service name: an in-place update', () => {
    const old = template((stack) => {
      const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'shop');
      const access = new iam.Role(stack, 'AccessRole', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
      repo.grantPull(access);
      new apprunner.CfnService(stack, 'ShopService', {
        serviceName: 'shop',
        sourceConfiguration: {
          authenticationConfiguration: { accessRoleArn: access.roleArn },
          imageRepository: { imageIdentifier: repo.repositoryUriForTag('v1'), imageRepositoryType: 'ECR', imageConfiguration: { port: '8080' } },
        },
      });
    });
    const now = template((stack) => {
      const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'shop');
      const web = new AppRunnerWebService(stack, 'Web', { source: Source.fromEcr(repo, { tagOrDigest: 'v1' }), serviceName: 'shop' });
      // The recipe: the L1 keeps its old logical ID.
      (web.node.defaultChild as apprunner.CfnService).overrideLogicalId('ShopService');
    });
    const [[oldId, oldService]] = servicesOf(old);
    const [[newId, newService]] = servicesOf(now);
    expect(newId).toBe(oldId);
    for (const property of createOnlyProperties(SERVICE)) {
      expect([property, newService.Properties[property]]).toEqual([property, oldService.Properties[property]]);
    }
    expect(replacements(old, now).filter(r => r.type === SERVICE)).toEqual([]);
  });
});

describe('apprunner-replacements, the summary users run on two templates', () => {
  test('its table of create-only properties is the schemas\'', () => {
    for (const [type, properties] of Object.entries(CREATE_ONLY_PROPERTIES)) {
      expect([type, properties]).toEqual([type, createOnlyProperties(type)]);
    }
  });

  test('lists what would be replaced and why, and exits 1; 0 when nothing would be', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replacements-'));
    const write = (name: string, t: any) => { fs.writeFileSync(path.join(dir, name), JSON.stringify(t)); return path.join(dir, name); };
    const base = template((stack) => {
      const s = shared(stack);
      new AppRunnerWebService(stack, 'Web', { source: Source.fromEcr(s.repo, { tagOrDigest: 'v1' }), autoScaling: { maxSize: 4 } });
    });
    const renamed = template((stack) => {
      const s = shared(stack);
      new AppRunnerWebService(stack, 'Web', { source: Source.fromEcr(s.repo, { tagOrDigest: 'v1' }), serviceName: 'shop-web', autoScaling: { maxSize: 5 } });
    });
    const run = (before: string, after: string) => spawnSync(process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'src', 'cli', 'replacements.ts'), before, after], { encoding: 'utf8' });
    const same = run(write('a.json', base), write('b.json', base));
    expect([same.status, same.stdout.trim()]).toEqual([0, 'no App Runner resource would be replaced']);
    const changed = run(write('a.json', base), write('c.json', renamed));
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('Web3C8945DB (AWS::AppRunner::Service) would be replaced: ServiceName changed (create-only: a change replaces the resource)');
    expect(changed.stdout).toMatch(/\(AWS::AppRunner::AutoScalingConfiguration\) would be replaced: MaxSize changed/);
  });
});

// Writes what differs between the two ways, per case, for docs/migrating-from-the-alpha.md
// (MIGRATION_DIFF=1 npx jest test/migration.test.ts).
if (process.env.MIGRATION_DIFF) {
  test('differences', () => {
    const flat = (value: any, prefix = ''): Record<string, string> => {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).some(k => k.startsWith('Fn::') || k === 'Ref')) {
        return { [prefix]: JSON.stringify(value) };
      }
      return Object.assign({}, ...Object.entries(value).map(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)));
    };
    for (const [name, before, after] of CASES) {
      const a = flat(servicesOf(template(stack => before(stack, shared(stack))))[0][1].Properties);
      const b = flat(servicesOf(template(stack => after(stack, shared(stack))))[0][1].Properties);
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(k => a[k] !== b[k]).sort();
      console.log(`${name}\n${keys.map(k => `  ${k}: ${a[k] ?? '-'} -> ${b[k] ?? '-'}`).join('\n')}`);
    }
  });
}
