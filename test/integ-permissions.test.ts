// The permissions documented for running the integ tests from CI: the execution policy must let
// CloudFormation create every resource type the integ snapshots deploy, and the CI role must reach
// nothing but the CDK bootstrap roles and the test stacks.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const INTEG = path.join(ROOT, 'integ');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'build-tools', 'integ-role', file), 'utf8'));

/** The services whose API CloudFormation calls for a resource type (AWS::EC2::VPC -> ec2). */
const SERVICE_OF: Record<string, string> = { CloudWatch: 'cloudwatch', StepFunctions: 'states', Events: 'events', WAFv2: 'wafv2', AppRunner: 'apprunner' };

function deployedTypes(): Set<string> {
  const types = new Set<string>();
  const skipped = ['integ.custom-domain', 'integ.code-repository']; // not run from CI (they need a zone, a connection)
  for (const dir of fs.readdirSync(INTEG).filter(d => d.endsWith('.snapshot') && !skipped.some(s => d.startsWith(s)))) {
    for (const file of fs.readdirSync(path.join(INTEG, dir)).filter(f => f.endsWith('.template.json'))) {
      const template = JSON.parse(fs.readFileSync(path.join(INTEG, dir, file), 'utf8'));
      for (const resource of Object.values<any>(template.Resources ?? {})) {
        types.add(resource.Type);
      }
    }
  }
  return types;
}

function actions(policy: any): string[] {
  return policy.Statement.flatMap((s: any) => [s.Action].flat());
}

test('the execution policy covers every resource type the integ tests deploy', () => {
  const granted = actions(read('execution-policy.json'));
  const types = deployedTypes();
  expect(types.size).toBeGreaterThan(20);
  const missing = [...types].filter(type => {
    if (type.startsWith('Custom::')) {
      return !granted.includes('lambda:InvokeFunction');
    }
    const service = type.split('::')[1];
    const prefix = SERVICE_OF[service] ?? service.toLowerCase();
    // Coarse, per service: some action of the service that creates or attaches something.
    return !granted.some(a => a.startsWith(`${prefix}:`) && /:(Create|Put|Authorize|Allocate|Add|Associate|Attach)/.test(a));
  });
  expect(missing).toEqual([]);
});

test('the CI role only assumes the CDK bootstrap roles and deletes only the test stacks', () => {
  const policy = read('ci-role-policy.json');
  expect(actions(policy).sort()).toEqual(['cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:ListStacks', 'iam:PassRole', 'sts:AssumeRole']);
  const assume = policy.Statement.find((s: any) => s.Action === 'sts:AssumeRole');
  expect(assume.Resource).toBe('arn:aws:iam::ACCOUNT:role/cdk-hnb659fds-*');
  const del = policy.Statement.find((s: any) => s.Action === 'cloudformation:DeleteStack');
  expect(del.Resource.every((r: string) => /stack\/(AppRunnerWebService\*|\*DeployAssert\*)\/\*$/.test(r))).toBe(true);
  const trust = read('ci-role-trust.json');
  expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toMatch(/:ref:refs\/heads\/main$/);
});

test('the workflow runs the tests the policy was written for, and always cleans up', () => {
  const workflow = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'integ.yml'), 'utf8');
  expect(workflow).toContain('--exclude integ.code-repository.ts integ.custom-domain.ts');
  expect(workflow).toMatch(/if: always\(\)\n\s+run: bash build-tools\/delete-integ-stacks.sh AppRunnerWebService/);
  expect(workflow).toContain('id-token: write');
});

test('the upgrade task leaves the peer dependencies at their floor', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const upgrade = JSON.stringify(tasks.upgrade.steps);
  for (const peer of ['aws-cdk-lib', 'constructs']) {
    expect(upgrade).not.toMatch(new RegExp(`"${peer}"|[=,]${peer}[,"]`));
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.peerDependencies).toEqual({ 'aws-cdk-lib': '^2.245.0', 'constructs': '^10.5.1' });
});
