// A service that waits for its policies must not wait for a policy that refers back to it:
// CloudFormation refuses a template with a circular dependency. Checked by cfn-lint (E3004),
// which computes the dependency graph of the template independently of this library.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { cfnLint } from './cfn-lint';
import { AppRunnerWebService, Source } from '../src';

jest.setTimeout(120_000);

type Case = [string, (stack: Stack, service: AppRunnerWebService) => void];

const CASES: Case[] = [
  ['service.grantRead(service)', (_s, service) => service.grantRead(service)],
  ['the application log group granted to the service', (_s, service) => service.applicationLogGroup.grantWrite(service)],
  ['a bucket whose CORS rule allows the service URL, read/write granted', (stack, service) => {
    const bucket = new s3.Bucket(stack, 'Bucket', { cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: [service.url] }] });
    bucket.grantReadWrite(service);
  }],
];

function build(configure: Case[1]): { stack: Stack; service: AppRunnerWebService; table: dynamodb.Table } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const service = new AppRunnerWebService(stack, 'Web', { source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest') });
  // A grant that does not refer to the service, in a policy of its own, still waited for.
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  configure(stack, service);
  return { stack, service, table };
}

describe('no circular dependency from waiting for policies', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  const files = CASES.map(([name, configure], i) => {
    const { stack } = build(configure);
    const file = path.join(dir, `case${i}.json`);
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    return [name, file] as const;
  });

  let findings: ReturnType<typeof cfnLint> = [];
  beforeAll(() => {
    findings = cfnLint(files.map(([, file]) => file));
  });

  test.each(files)('%s: cfn-lint finds no error, circular dependencies (E3004) included', (_name, file) => {
    expect(findings.filter(f => f.file === file && f.level === 'Error')).toEqual([]);
  });

  test('a policy that refers to the service is not waited for, and the service says so', () => {
    const { stack, service } = build(CASES[0][1]);
    const template = Template.fromStack(stack);
    const services = template.findResources('AWS::AppRunner::Service');
    expect(Object.values(services)[0].DependsOn ?? []).toEqual([]);
    Annotations.fromStack(stack).hasInfo(`/${service.node.path}`, Match.stringLikeRegexp('does not wait for Stack/Web/InstanceRole/DefaultPolicy/Resource: it refers to the service'));
  });

  test('a policy that does not refer to the service is still waited for', () => {
    const { stack, service, table } = build(() => undefined);
    const reader = new AppRunnerWebService(stack, 'Reader', { source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest') });
    table.grantReadData(reader);
    service.grantRead(reader); // refers to the other service, not to itself
    const template = Template.fromStack(stack);
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy'))[0];
    template.hasResource('AWS::AppRunner::Service', { Properties: Match.objectLike({ InstanceConfiguration: Match.anyValue() }), DependsOn: [policyId] });
  });
});
