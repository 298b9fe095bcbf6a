import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Secret } from '../src';
import { newStack, synthService } from './util';

describe('environment variables', () => {
  test('props and addEnvironment are written in order, as plain variables', () => {
    const synthesized = synthService({ environment: { A: '1', B: '2' } });
    synthesized.service.addEnvironment('C', '3');
    synthesized.template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageConfiguration: {
            RuntimeEnvironmentVariables: [{ Name: 'A', Value: '1' }, { Name: 'B', Value: '2' }, { Name: 'C', Value: '3' }],
            RuntimeEnvironmentSecrets: Match.absent(),
          },
        },
      },
    });
  });

  test('no variables means no RuntimeEnvironmentVariables key', () => {
    synthService().template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { RuntimeEnvironmentVariables: Match.absent() } } },
    });
  });

  test.each([
    ['AWSAPPRUNNER_X', "environment variable 'AWSAPPRUNNER_X' is reserved: names starting with AWSAPPRUNNER belong to App Runner"],
    ['awsapprunnerLower', "environment variable 'awsapprunnerLower' is reserved"],
    ['PORT', "environment variable 'PORT' is reserved: App Runner sets it to the source's `port`"],
    ['', 'environment variable names must not be empty'],
  ])('fails when a variable is named %j', (name, message) => {
    expect(() => synthService({ environment: { [name]: 'x' } })).toThrow(message);
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'db');
    expect(() => synthService({ secrets: { [name]: Secret.fromSecretsManager(secret) } }, stack)).toThrow(message);
  });

  test('the alpha defect: fails when a name is used both as variable and secret', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'db');
    expect(() => synthService({ environment: { DB: 'x' }, secrets: { DB: Secret.fromSecretsManager(secret) } }, stack))
      .toThrow("Stack/Web: environment variable 'DB' is set twice, by `environment` and by `secrets`; each name may be set once across the source, `environment` and `secrets`");
  });

  test('fails when addEnvironment repeats a name, or addSecret repeats a secret', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'db');
    const { service } = synthService({ environment: { A: '1' }, secrets: { S: Secret.fromSecretsManager(secret) } }, stack);
    expect(() => service.addEnvironment('A', '2')).toThrow("environment variable 'A' is set twice, by `environment` and by addEnvironment()");
    expect(() => service.addEnvironment('S', '2')).toThrow("environment variable 'S' is set twice, by `secrets` and by addEnvironment()");
    expect(() => service.addSecret('A', Secret.fromSecretsManager(secret))).toThrow("environment variable 'A' is set twice, by `environment` and by addSecret()");
  });
});

describe('secrets', () => {
  test('a Secrets Manager secret is referenced by ARN and readable by the instance role', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Db');
    const { template } = synthService({ secrets: { DB: Secret.fromSecretsManager(secret) } }, stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { RuntimeEnvironmentSecrets: [{ Name: 'DB', Value: { Ref: Match.stringLikeRegexp('Db') } }] } } },
      InstanceConfiguration: { InstanceRoleArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('Db') } }],
      },
    });
  });

  test('a JSON field and a version are written as <arn>:<field>:<stage>:<id>', () => {
    const stack = newStack();
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Db', arn);
    const { template } = synthService({
      secrets: {
        FIELD: Secret.fromSecretsManager(secret, 'password'),
        STAGE: Secret.fromSecretsManagerVersion(secret, { versionStage: 'AWSPREVIOUS' }),
        ID: Secret.fromSecretsManagerVersion(secret, { versionId: 'v-1' }, 'user'),
      },
    }, stack);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageConfiguration: {
            RuntimeEnvironmentSecrets: [
              { Name: 'FIELD', Value: `${arn}:password::` },
              { Name: 'STAGE', Value: `${arn}::AWSPREVIOUS:` },
              { Name: 'ID', Value: `${arn}:user::v-1` },
            ],
          },
        },
      },
    });
  });

  test('a secret encrypted with a customer managed key also grants kms:Decrypt on that key', () => {
    const stack = newStack();
    const encryptionKey = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'Db', { encryptionKey });
    const { template } = synthService({ secrets: { DB: Secret.fromSecretsManager(secret) } }, stack);
    // Same stack: CDK grants the decrypt in the key policy, to the instance role.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebInstanceRole'), 'Arn'] } },
        })]),
      },
    });
  });

  test('an SSM parameter is referenced by ARN and readable by the instance role', () => {
    const stack = newStack();
    const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'P', { parameterName: '/app/token' });
    const synthesized = synthService({}, stack);
    synthesized.service.addSecret('TOKEN', Secret.fromSsmParameter(parameter));
    const template = synthesized.template;
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageConfiguration: {
            RuntimeEnvironmentSecrets: [{ Name: 'TOKEN', Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:parameter/app/token']] } }],
          },
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ssm:GetParameter']) })] },
    });
  });

  test('secrets on a given instance role grant to that role', () => {
    const stack = newStack();
    const instanceRole = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com') });
    const secret = new secretsmanager.Secret(stack, 'Db');
    const { template } = synthService({ instanceRole, secrets: { DB: Secret.fromSecretsManager(secret) } }, stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: Match.stringLikeRegexp('Given') }] });
  });
});
