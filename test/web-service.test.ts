import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnParameter, CfnResource, Stack, cx_api as cxapi } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  AppRunnerWebService, CodeConfiguration, Cpu, GitHubConnection, ImageRepositoryType, IpAddressType, Memory, Runtime, Secret, Source, SourceConfig,
} from '../src';
import { PUBLIC_IMAGE, newStack, synthService } from './util';

/** The build instructions of the stack's one Docker image asset, from the asset manifest. */
function dockerImageSource(stack: Stack): any {
  const assembly = App.of(stack)!.synth();
  const manifest = assembly.artifacts.find(a => a instanceof cxapi.AssetManifestArtifact) as cxapi.AssetManifestArtifact;
  const images = Object.values(manifest.contents.dockerImages ?? {});
  expect(images).toHaveLength(1);
  return images[0].source;
}

const SAMPLE_SERVER = path.join(__dirname, '..', 'assets', 'sample-server');
const CONNECTION_ARN = 'arn:aws:apprunner:us-east-1:123456789012:connection/github/0123456789abcdef0123456789abcdef';

describe('the smallest service', () => {
  test('is one AWS::AppRunner::Service with the image, its type and port 8080, and nothing else', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', { source: Source.fromEcrPublic(PUBLIC_IMAGE) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::AppRunner::Service', 1);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(1);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageIdentifier: PUBLIC_IMAGE,
          ImageRepositoryType: 'ECR_PUBLIC',
          ImageConfiguration: { Port: '8080' },
        },
        AuthenticationConfiguration: Match.absent(),
        AutoDeploymentsEnabled: Match.absent(),
      },
      InstanceConfiguration: Match.absent(),
      HealthCheckConfiguration: Match.absent(),
      AutoScalingConfigurationArn: Match.absent(),
      NetworkConfiguration: Match.absent(),
      ServiceName: Match.absent(),
    });
  });

  test('exposes its attributes and a https:// url', () => {
    const { stack, service } = synthService();
    expect(stack.resolve(service.serviceArn)).toEqual({ 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] });
    expect(stack.resolve(service.serviceId)).toEqual({ 'Fn::GetAtt': ['Web3C8945DB', 'ServiceId'] });
    expect(stack.resolve(service.serviceUrl)).toEqual({ 'Fn::GetAtt': ['Web3C8945DB', 'ServiceUrl'] });
    expect(stack.resolve(service.serviceStatus)).toEqual({ 'Fn::GetAtt': ['Web3C8945DB', 'Status'] });
    expect(stack.resolve(service.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceUrl'] }]] });
    expect(stack.resolve(service.serviceName)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] }] }],
    });
  });

  test('uses the given serviceName as its name', () => {
    const { template, service } = synthService({ serviceName: 'my-web_1' });
    template.hasResourceProperties('AWS::AppRunner::Service', { ServiceName: 'my-web_1' });
    expect(service.serviceName).toBe('my-web_1');
  });

  test.each(['abc', 'a'.repeat(41), '-abc', 'has space', 'dots.not.ok'])('fails when serviceName is %s', (serviceName) => {
    expect(() => synthService({ serviceName }))
      .toThrow(`\`serviceName\` must be 4-40 characters of letters, digits, '-' and '_', starting with a letter or digit, got '${serviceName}'`);
  });
});

describe('sources', () => {
  test('fromAsset builds a linux/amd64 image asset and an access role scoped to the asset repository', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', { source: Source.fromAsset(SAMPLE_SERVER) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: { ImageRepositoryType: 'ECR', ImageIdentifier: { 'Fn::Sub': Match.stringLikeRegexp('cdk-hnb659fds-container-assets') } },
        AuthenticationConfiguration: { AccessRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppRunnerAccessRole'), 'Arn'] } },
      },
    });
    expect(dockerImageSource(stack).platform).toBe('linux/amd64');
  });

  test('fromAsset passes file, build args and target to the build', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', {
      source: Source.fromAsset(SAMPLE_SERVER, { file: 'Dockerfile', buildArgs: { A: '1' }, target: 'runtime', port: 3000, startCommand: 'node server.js' }),
    });
    expect(dockerImageSource(stack)).toMatchObject({ dockerFile: 'Dockerfile', dockerBuildArgs: { A: '1' }, dockerBuildTarget: 'runtime' });
    Template.fromStack(stack).hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { Port: '3000', StartCommand: 'node server.js' } } },
    });
  });

  test('fromAsset takes an explicit linux/amd64 and exclusions, and rejects another platform', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', {
      source: Source.fromAsset(SAMPLE_SERVER, { platform: ecr_assets.Platform.LINUX_AMD64, exclude: ['*.md'] }),
    });
    expect(dockerImageSource(stack).platform).toBe('linux/amd64');
    expect(() => Source.fromAsset(SAMPLE_SERVER, { platform: ecr_assets.Platform.LINUX_ARM64 }))
      .toThrow("`platform` of Source.fromAsset must be linux/amd64: App Runner runs x86-64 instances only, got 'linux/arm64'");
    const assetDir = path.join(App.of(stack)!.synth().directory, dockerImageSource(stack).directory);
    expect(fs.readdirSync(assetDir)).not.toContain('README.md');
  });

  test('fails when a custom source gives both an image and code, or neither', () => {
    class Broken extends Source {
      constructor(private readonly config: SourceConfig) { super(); }
      public bind(): SourceConfig { return this.config; }
    }
    const image = { imageIdentifier: PUBLIC_IMAGE, imageRepositoryType: ImageRepositoryType.ECR_PUBLIC };
    const code = {
      repositoryUrl: 'https://github.com/owner/repo', branch: 'main', connectionArn: CONNECTION_ARN, configuration: CodeConfiguration.fromRepository(),
    };
    expect(() => synthService({ source: new Broken({ image, code }) })).toThrow('a source must give exactly one of `image` and `code` from bind()');
    expect(() => synthService({ source: new Broken({}) })).toThrow('a source must give exactly one of `image` and `code` from bind()');
  });

  test('fromEcr uses the tag and grants the access role pull and DescribeImages on that repository only', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-app');
    new AppRunnerWebService(stack, 'Web', { source: Source.fromEcr(repository, { tagOrDigest: 'v1' }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageRepositoryType: 'ECR',
          ImageIdentifier: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/my-app:v1$')])] },
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'build.apprunner.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    });
    const repoArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/my-app']] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Effect: 'Allow', Resource: repoArn },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          { Action: 'ecr:DescribeImages', Effect: 'Allow', Resource: repoArn },
        ],
      },
    });
  });

  test('fromEcr defaults the tag to latest, and a digest is used as a digest', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-app');
    const latest = new AppRunnerWebService(stack, 'A', { source: Source.fromEcr(repository) });
    const digest = new AppRunnerWebService(stack, 'B', { source: Source.fromEcr(repository, { tagOrDigest: 'sha256:abc' }) });
    const services = Template.fromStack(stack).findResources('AWS::AppRunner::Service');
    const identifier = (service: AppRunnerWebService) => JSON.stringify(
      services[stack.getLogicalId(service.node.defaultChild as CfnResource)].Properties.SourceConfiguration.ImageRepository.ImageIdentifier);
    expect(identifier(latest)).toMatch(/\/my-app:latest"/);
    expect(identifier(digest)).toMatch(/\/my-app@sha256:abc"/);
  });

  test('fromDockerImageAsset uses the given asset', () => {
    const stack = newStack();
    const asset = new ecr_assets.DockerImageAsset(stack, 'Image', { directory: SAMPLE_SERVER });
    new AppRunnerWebService(stack, 'Web', { source: Source.fromDockerImageAsset(asset, { port: 9000 }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: { ImageRepositoryType: 'ECR', ImageConfiguration: { Port: '9000' } },
        AuthenticationConfiguration: { AccessRoleArn: Match.anyValue() },
      },
    });
    expect(stack.node.findChild('Web').node.tryFindChild('ImageAsset')).toBeUndefined();
  });

  test('fromEcrPublic creates no access role and no instance role', () => {
    const { template } = synthService();
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the alpha defect: fails when a private ECR URI is given as public', () => {
    expect(() => Source.fromEcrPublic('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app:latest'))
      .toThrow("`imageUri` of Source.fromEcrPublic must start with 'public.ecr.aws/', got '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app:latest'; for a private repository use Source.fromEcr");
  });

  test('fromCodeRepository with configuration from the API writes runtime, commands, port and environment', () => {
    const { template } = synthService({
      source: Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn(CONNECTION_ARN),
        repositoryUrl: 'https://github.com/owner/repo',
        branch: 'main',
        sourceDirectory: 'app',
        configuration: CodeConfiguration.fromApi({
          runtime: Runtime.NODEJS_22, buildCommand: 'npm ci', startCommand: 'node server.js', port: 3000,
        }),
      }),
      environment: { STAGE: 'prod' },
    });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        AuthenticationConfiguration: { ConnectionArn: CONNECTION_ARN, AccessRoleArn: Match.absent() },
        ImageRepository: Match.absent(),
        CodeRepository: {
          RepositoryUrl: 'https://github.com/owner/repo',
          SourceCodeVersion: { Type: 'BRANCH', Value: 'main' },
          SourceDirectory: 'app',
          CodeConfiguration: {
            ConfigurationSource: 'API',
            CodeConfigurationValues: {
              Runtime: 'NODEJS_22',
              BuildCommand: 'npm ci',
              StartCommand: 'node server.js',
              Port: '3000',
              RuntimeEnvironmentVariables: [{ Name: 'STAGE', Value: 'prod' }],
            },
          },
        },
      },
    });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('fromCodeRepository with configuration from the repository writes no values', () => {
    const { template } = synthService({
      source: Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn(CONNECTION_ARN),
        repositoryUrl: 'https://github.com/owner/repo',
        branch: 'release',
        configuration: CodeConfiguration.fromRepository(),
      }),
    });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        CodeRepository: {
          SourceCodeVersion: { Type: 'BRANCH', Value: 'release' },
          SourceDirectory: Match.absent(),
          CodeConfiguration: { ConfigurationSource: 'REPOSITORY', CodeConfigurationValues: Match.absent() },
        },
      },
    });
  });

  test('fails when environment is set on a source configured by apprunner.yaml', () => {
    expect(() => synthService({
      source: Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn(CONNECTION_ARN),
        repositoryUrl: 'https://github.com/owner/repo',
        branch: 'main',
        configuration: CodeConfiguration.fromRepository(),
      }),
      environment: { STAGE: 'prod' },
    })).toThrow("environment variable 'STAGE' cannot be set: the source takes its configuration from apprunner.yaml; set it there, or use CodeConfiguration.fromApi");
  });

  test('Runtime.of passes any runtime name', () => {
    expect(Runtime.of('PYTHON_313').name).toBe('PYTHON_313');
  });

  test('fails when the connection is not an App Runner connection ARN', () => {
    expect(() => GitHubConnection.fromConnectionArn('arn:aws:codestar-connections:us-east-1:123456789012:connection/x'))
      .toThrow("`connection` must be an App Runner connection ARN (arn:aws:apprunner:<region>:<account>:connection/<name>/<id>), got 'arn:aws:codestar-connections:us-east-1:123456789012:connection/x'");
  });

  test.each([0, 65536, 80.5])('fails when the port is %s', (port) => {
    expect(() => Source.fromEcrPublic(PUBLIC_IMAGE, { port })).toThrow(`\`port\` must be an integer between 1 and 65535, got ${port}`);
    expect(() => CodeConfiguration.fromApi({ runtime: Runtime.PYTHON_311, port })).toThrow(`\`port\` must be an integer between 1 and 65535, got ${port}`);
  });

  test('fails when a command has a line break', () => {
    expect(() => Source.fromEcrPublic(PUBLIC_IMAGE, { startCommand: 'a\nb' }))
      .toThrow('`startCommand` must be a single line (App Runner rejects line breaks), got "a\\nb"');
    expect(() => CodeConfiguration.fromApi({ runtime: Runtime.PYTHON_311, buildCommand: 'a\r\nb' }))
      .toThrow('`buildCommand` must be a single line');
  });

  test.each([0, 4097])('fails when sourceDirectory has %s characters', (length) => {
    expect(() => Source.fromCodeRepository({
      connection: GitHubConnection.fromConnectionArn(CONNECTION_ARN),
      repositoryUrl: 'https://github.com/owner/repo',
      branch: 'main',
      sourceDirectory: 'x'.repeat(length),
      configuration: CodeConfiguration.fromRepository(),
    })).toThrow(`\`sourceDirectory\` must be 1-4096 characters, got ${length}`);
  });
});

describe('access role', () => {
  test('services of a stack pulling from one repository share one access role; another repository gets its own', () => {
    const stack = newStack();
    const web = ecr.Repository.fromRepositoryName(stack, 'WebRepo', 'web');
    const api = ecr.Repository.fromRepositoryName(stack, 'ApiRepo', 'api');
    const a = new AppRunnerWebService(stack, 'A', { source: Source.fromEcr(web) });
    const b = new AppRunnerWebService(stack, 'B', { source: Source.fromEcr(web) });
    const c = new AppRunnerWebService(stack, 'C', { source: Source.fromEcr(api) });
    expect(a.accessRole).toBe(b.accessRole);
    expect(c.accessRole).not.toBe(a.accessRole);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    // Each shared role may pull from its own repository only (plus the token, which has no resource).
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map(p => JSON.stringify(stack.resolve(p.Properties)));
    expect(policies).toHaveLength(2);
    expect(policies.filter(p => p.includes('repository/web')).length).toBe(1);
    expect(policies.filter(p => p.includes('repository/api')).length).toBe(1);
    expect(policies.every(p => !(p.includes('repository/web') && p.includes('repository/api')))).toBe(true);
    // Every service waits for its role's policy.
    for (const service of Object.values(template.findResources('AWS::AppRunner::Service'))) {
      expect(service.DependsOn).toHaveLength(1);
    }
  });

  test('the alpha defect: the service depends on the access role\'s policy, so the first deploy cannot race it', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', { source: Source.fromAsset(SAMPLE_SERVER) });
    const template = Template.fromStack(stack);
    const policyIds = Object.keys(template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^AppRunnerAccessRole') }] },
    }));
    expect(policyIds).toHaveLength(1);
    const [policyId] = policyIds;
    template.hasResource('AWS::AppRunner::Service', { DependsOn: [policyId] }); // the role itself is ordered by its ARN
  });

  test('the policy of an instance role created after the service is built (by a grant) is waited for too', () => {
    const { stack, service } = synthService();
    expect(service.instanceRole).toBeUndefined();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'bucket-b');
    bucket.grantRead(service);
    const template = Template.fromStack(stack);
    const policyIds = Object.keys(template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]) } },
    }));
    expect(policyIds).toHaveLength(1);
    template.hasResource('AWS::AppRunner::Service', { DependsOn: policyIds });
  });

  test('a given access role is used, granted pull, and no other is created', () => {
    const stack = newStack();
    const accessRole = new iam.Role(stack, 'MyAccess', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-app');
    const service = new AppRunnerWebService(stack, 'Web', { source: Source.fromEcr(repository), accessRole });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: { AuthenticationConfiguration: { AccessRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyAccess'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('MyAccess') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ecr:DescribeImages' })]) },
    });
    expect(service.accessRole).toBe(accessRole);
  });

  test('the alpha defect: fails when an access role is given for ECR Public', () => {
    const stack = newStack();
    const accessRole = new iam.Role(stack, 'MyAccess', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
    expect(() => synthService({ accessRole }, stack))
      .toThrow('`accessRole` is only for private ECR and asset sources; this source needs none');
  });

  test('fails when an access role is given for a code repository', () => {
    const stack = newStack();
    const accessRole = new iam.Role(stack, 'MyAccess', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
    expect(() => synthService({
      accessRole,
      source: Source.fromCodeRepository({
        connection: GitHubConnection.fromConnectionArn(CONNECTION_ARN),
        repositoryUrl: 'https://github.com/owner/repo',
        branch: 'main',
        configuration: CodeConfiguration.fromRepository(),
      }),
    }, stack)).toThrow('`accessRole` is only for private ECR and asset sources');
  });
});

describe('instance role and grants to the service', () => {
  test('a CDK grant to the service creates the instance role, trusted by tasks.apprunner.amazonaws.com', () => {
    const { stack, service } = synthService();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    table.grantReadWriteData(service);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'tasks.apprunner.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      InstanceConfiguration: { InstanceRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebInstanceRole'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']) })]) },
    });
    expect(service.instanceRole).toBe(service.node.findChild('InstanceRole'));
  });

  test('the service depends on a created instance role\'s policy', () => {
    const { stack, service } = synthService();
    service.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
    const template = Template.fromStack(stack);
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy'))[0];
    template.hasResource('AWS::AppRunner::Service', { DependsOn: Match.arrayWith([policyId]) });
  });

  test('a given instance role is the grant principal and no role is created', () => {
    const stack = newStack();
    const instanceRole = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/given', { mutable: false });
    const { service, template } = synthService({ instanceRole }, stack);
    expect(service.grantPrincipal).toBe(instanceRole);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::AppRunner::Service', { InstanceConfiguration: { InstanceRoleArn: 'arn:aws:iam::123456789012:role/given' } });
  });

  test('addToRolePolicy adds the statement to the instance role', () => {
    const { stack, service } = synthService();
    service.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Effect: 'Allow' }] },
    });
  });
});

describe('grants on the service', () => {
  const cases: [string, (s: AppRunnerWebService, g: iam.IGrantable) => iam.Grant, string[]][] = [
    ['grantRead', (s, g) => s.grantRead(g), ['apprunner:DescribeService', 'apprunner:ListOperations']],
    ['grantStartDeployment', (s, g) => s.grantStartDeployment(g), ['apprunner:StartDeployment', 'apprunner:DescribeService', 'apprunner:ListOperations']],
    ['grantPauseResume', (s, g) => s.grantPauseResume(g), ['apprunner:PauseService', 'apprunner:ResumeService', 'apprunner:DescribeService', 'apprunner:ListOperations']],
    ['grant', (s, g) => s.grant(g, 'apprunner:UpdateService'), ['apprunner:UpdateService']],
  ];

  test.each(cases)('%s gives exactly its actions on the service ARN', (_name, grant, actions) => {
    const { stack, service } = synthService();
    const user = new iam.User(stack, 'Operator');
    grant(service, user);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: Match.stringLikeRegexp('Operator') }],
      PolicyDocument: {
        Statement: [{ Action: actions.length === 1 ? actions[0] : actions, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] } }],
      },
    });
  });
});

describe('imported services', () => {
  const ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/my-web/0123456789abcdef0123456789abcdef';

  test('the alpha defect: an imported service has its name, ID, URL and the same grants', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.AccountRootPrincipal() });
    const service = AppRunnerWebService.fromServiceAttributes(stack, 'Imported', {
      serviceArn: ARN,
      serviceUrl: 'abc123.us-east-1.awsapprunner.com',
    });
    service.grantStartDeployment(role);
    expect(service.serviceName).toBe('my-web');
    expect(service.serviceId).toBe('0123456789abcdef0123456789abcdef');
    expect(service.url).toBe('https://abc123.us-east-1.awsapprunner.com');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['apprunner:StartDeployment', 'apprunner:DescribeService', 'apprunner:ListOperations'], Resource: ARN }],
      },
    });
  });

  test('grants to an imported service reach its given instance role', () => {
    const stack = newStack();
    const instanceRole = new iam.Role(stack, 'Instance', { assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com') });
    const service = AppRunnerWebService.fromServiceAttributes(stack, 'Imported', { serviceArn: ARN, instanceRole });
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    table.grantReadData(service);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: Match.stringLikeRegexp('Instance') }] });
  });

  test('fromServiceArn parses a token ARN with Fn::Split', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    const service = AppRunnerWebService.fromServiceArn(stack, 'Imported', arn);
    expect(stack.resolve(service.serviceName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Arn' }] }] });
    expect(stack.resolve(service.serviceId)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'Arn' }] }] });
  });

  test('fails when the URL of a service imported by ARN only is read', () => {
    const service = AppRunnerWebService.fromServiceArn(newStack(), 'Imported', ARN);
    expect(() => service.url).toThrow('the URL of imported service Stack/Imported is unknown: pass `serviceUrl` to AppRunnerWebService.fromServiceAttributes');
  });

  test('fails when the status of an imported service is read', () => {
    const service = AppRunnerWebService.fromServiceArn(newStack(), 'Imported', ARN);
    expect(() => service.serviceStatus).toThrow('the status of imported service Stack/Imported is not available at synth time');
  });

  test('fails when the ARN is not a service ARN', () => {
    expect(() => AppRunnerWebService.fromServiceArn(newStack(), 'Imported', 'arn:aws:apprunner:us-east-1:123456789012:connection/x/y'))
      .toThrow("`serviceArn` must be arn:aws:apprunner:<region>:<account>:service/<name>/<id>, got 'arn:aws:apprunner:us-east-1:123456789012:connection/x/y'");
  });
});

describe('network, encryption, deployments and tags', () => {
  test('publiclyAccessible false writes a private ingress', () => {
    const { template } = synthService({ publiclyAccessible: false });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: { IngressConfiguration: { IsPubliclyAccessible: false }, IpAddressType: Match.absent() },
    });
  });

  test('publiclyAccessible true is written as asked', () => {
    const { template } = synthService({ publiclyAccessible: true, ipAddressType: IpAddressType.IPV4 });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: { IngressConfiguration: { IsPubliclyAccessible: true }, IpAddressType: 'IPV4' },
    });
  });

  test('dual stack on a public service is written', () => {
    const { template } = synthService({ ipAddressType: IpAddressType.DUAL_STACK });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: { IpAddressType: 'DUAL_STACK', IngressConfiguration: Match.absent() },
    });
  });

  test('the alpha defect: fails when dual stack is asked for a private service', () => {
    expect(() => synthService({ publiclyAccessible: false, ipAddressType: IpAddressType.DUAL_STACK }))
      .toThrow('`ipAddressType` DUAL_STACK needs a public endpoint, but `publiclyAccessible` is false');
  });

  test('kmsKey writes the key ARN', () => {
    const stack = newStack();
    const kmsKey = new kms.Key(stack, 'Key');
    const { template } = synthService({ kmsKey }, stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      EncryptionConfiguration: { KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } },
    });
  });

  test.each([
    ['an alias construct', (s: Stack) => new kms.Alias(s, 'Alias', { aliasName: 'alias/web', targetKey: new kms.Key(s, 'K') })],
    ['an imported alias', (s: Stack) => kms.Alias.fromAliasName(s, 'Alias', 'alias/web')],
  ])('fails when kmsKey is %s', (_name, make) => {
    const stack = newStack();
    expect(() => synthService({ kmsKey: make(stack) }, stack))
      .toThrow('`kmsKey` must be a KMS key, not an alias: App Runner accepts a key ARN only');
  });

  test('autoDeploymentsEnabled is written for private ECR', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-app');
    const { template } = synthService({ source: Source.fromEcr(repository), autoDeploymentsEnabled: true }, stack);
    template.hasResourceProperties('AWS::AppRunner::Service', { SourceConfiguration: { AutoDeploymentsEnabled: true } });
  });

  test('autoDeploymentsEnabled false is accepted for ECR Public', () => {
    const { template } = synthService({ autoDeploymentsEnabled: false });
    template.hasResourceProperties('AWS::AppRunner::Service', { SourceConfiguration: { AutoDeploymentsEnabled: false } });
  });

  test('fails when automatic deployments are asked for ECR Public', () => {
    expect(() => synthService({ autoDeploymentsEnabled: true }))
      .toThrow('`autoDeploymentsEnabled` is not possible for an ECR Public image');
  });

  test('tags reach the service and the roles it owns; the shared access role keeps the stack\'s tags', () => {
    const stack = newStack();
    const service = new AppRunnerWebService(stack, 'Web', { source: Source.fromAsset(SAMPLE_SERVER), tags: { team: 'web' } });
    service.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AppRunner::Service', { Tags: [{ Key: 'team', Value: 'web' }] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'tasks.apprunner.amazonaws.com' } })] }),
      Tags: [{ Key: 'team', Value: 'web' }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'build.apprunner.amazonaws.com' } })] }),
      Tags: Match.absent(),
    });
  });
});

describe('regions', () => {
  test('warns when the stack is in a Region without App Runner, and lists where it runs', () => {
    const { stack } = synthService({}, newStack('sa-east-1'));
    Annotations.fromStack(stack).hasWarning('/Stack/Web', Match.stringLikeRegexp(
      'App Runner does not run in sa-east-1; a deployment there fails with "Unrecognized resource types". It runs in: us-east-1, us-east-2, us-west-2, .*eu-west-3\\.',
    ));
  });

  test('does not warn in an App Runner Region or an environment-agnostic stack', () => {
    const { stack } = synthService();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    const agnostic = new Stack(new App(), 'Agnostic');
    synthService({}, agnostic);
    Annotations.fromStack(agnostic).hasNoWarning('*', Match.anyValue());
  });
});

describe('the sample server source', () => {
  test('builds assets/sample-server and tells the server the instance memory', () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'Web', { source: Source.fromSampleServer(), memory: Memory.HALF_GB, cpu: Cpu.QUARTER_VCPU });
    const context = path.resolve(App.of(stack)!.synth().directory, dockerImageSource(stack).directory);
    for (const file of ['Dockerfile', 'server.js', path.join('lib', 'app.js')]) {
      expect(fs.readFileSync(path.join(context, file), 'utf8')).toBe(fs.readFileSync(path.join(Source.SAMPLE_SERVER_DIRECTORY, file), 'utf8'));
    }
    Template.fromStack(stack).hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageRepositoryType: 'ECR',
          ImageConfiguration: {
            Port: '8080',
            // The Region for its AWS SDK: App Runner does not document setting AWS_REGION.
            RuntimeEnvironmentVariables: [{ Name: 'AWS_REGION', Value: 'us-east-1' }, { Name: 'INSTANCE_MEMORY_MB', Value: '512' }],
          },
        },
      },
    });
  });

  test('the default memory is 2048 MB, and supervisor and workers become variables', () => {
    const { template } = synthService({ source: Source.fromSampleServer({ supervisor: false, workers: 3 }), environment: { TABLE_NAME: 't' } });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageConfiguration: {
            RuntimeEnvironmentVariables: [
              { Name: 'SUPERVISOR', Value: 'off' }, { Name: 'WEB_CONCURRENCY', Value: '3' }, { Name: 'AWS_REGION', Value: 'us-east-1' },
              { Name: 'INSTANCE_MEMORY_MB', Value: '2048' }, { Name: 'TABLE_NAME', Value: 't' },
            ],
          },
        },
      },
    });
  });

  test('fails when the user sets a variable the source sets, and says the source set it', () => {
    expect(() => synthService({ source: Source.fromSampleServer(), environment: { INSTANCE_MEMORY_MB: '1' } }))
      .toThrow("environment variable 'INSTANCE_MEMORY_MB' is set twice, by the source (the instance memory) and by `environment`");
    const stack = newStack();
    const parameter = ssm.StringParameter.fromStringParameterName(stack, 'P', 'p');
    const source = Source.fromSampleServer({ supervisor: false });
    expect(() => synthService({ source, secrets: { SUPERVISOR: Secret.fromSsmParameter(parameter) } }, stack))
      .toThrow("environment variable 'SUPERVISOR' is set twice, by the source and by `secrets`");
  });

  test('crash routes are off unless `crashRoutes` is true (CRASH_ROUTES=on)', () => {
    const names = (source: Source) => {
      const { template } = synthService({ source });
      const service = Object.values(template.findResources('AWS::AppRunner::Service'))[0];
      return (service.Properties.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables ?? [])
        .map((v: any) => `${v.Name}=${v.Value}`);
    };
    expect(names(Source.fromSampleServer()).filter((n: string) => n.startsWith('CRASH_ROUTES'))).toEqual([]);
    expect(names(Source.fromSampleServer({ crashRoutes: true }))).toContain('CRASH_ROUTES=on');
  });

  test('fails when workers is out of range', () => {
    expect(() => Source.fromSampleServer({ workers: 0 })).toThrow('`workers` must be an integer between 1 and 64, got 0');
  });
});

describe('errors name the construct that is wrong', () => {
  const twoServices = () => {
    const stack = newStack();
    new AppRunnerWebService(stack, 'A', { source: Source.fromEcrPublic(PUBLIC_IMAGE) });
    return stack;
  };

  test.each<[string, (stack: Stack) => unknown, string]>([
    ['an invalid pair', s => new AppRunnerWebService(s, 'B', { source: Source.fromEcrPublic(PUBLIC_IMAGE), cpu: Cpu.TWO_VCPU, memory: Memory.TWO_GB }), 'Stack/B: `cpu` \'2 vCPU\''],
    ['a scaling minimum', s => new AppRunnerWebService(s, 'B', { source: Source.fromEcrPublic(PUBLIC_IMAGE), autoScaling: { minSize: 0 } }), 'Stack/B/AutoScaling: `autoScaling.minSize`'],
    ['a reserved variable', s => new AppRunnerWebService(s, 'B', { source: Source.fromEcrPublic(PUBLIC_IMAGE), environment: { PORT: '1' } }), "Stack/B: environment variable 'PORT' is reserved"],
    ['an alarm threshold', s => new AppRunnerWebService(s, 'B', { source: Source.fromEcrPublic(PUBLIC_IMAGE) }).addRecommendedAlarms('Alarms', { cpuUtilizationPercent: 0 }), 'Stack/B/Alarms: `cpuUtilizationPercent`'],
    ['a custom domain', s => new AppRunnerWebService(s, 'B', { source: Source.fromEcrPublic(PUBLIC_IMAGE), customDomain: { domainName: 'nodot' } }), 'Stack/B/CustomDomain: `customDomain.domainName`'],
  ])('%s', (_name, make, start) => {
    expect(() => make(twoServices())).toThrow(expect.objectContaining({ message: expect.stringMatching(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)) }));
  });
});
