// The permissions documented for running the integ tests from CI: the execution policy must let
// CloudFormation create every resource type the integ snapshots deploy, and the CI role must reach
// nothing but the CDK bootstrap roles and the test stacks.
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  FUNCTION_PATTERN, ROLE_PATTERN, STACK_PREFIX, deployedStacks, deployedTypes, handlerPermissions, renderPolicy,
} from '../build-tools/integ-role/execution-policy';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'build-tools', 'integ-role', file), 'utf8'));

function actions(policy: any): string[] {
  return policy.Statement.flatMap((s: any) => [s.Action].flat());
}

/** IAM's matching of an action or resource pattern (`*` any run of characters, `?` one), case-insensitive for actions. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(part => part.split('?').map(escapeRegex).join('.')).join('.*')}$`, ignoreCase ? 'i' : '');
  return regex.test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The statements that allow `action` (on any resource). */
function allowing(policy: any, action: string): any[] {
  return policy.Statement.filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => matches(a, action, true)));
}

/**
 * The start of the name CloudFormation generates for a resource without an explicit name. The
 * name is `<stack>-<logical id>-<random suffix>`; beyond the name's length limit (64 for IAM roles
 * and Lambda functions), CloudFormation keeps only the first 25 characters of the stack name (seen
 * on real stacks: `IntegTestdevDefaultTestDe-SingletonFunction76b3e830-…` in aws/aws-cdk#27865,
 * `mylongerapp-playground-ne-InstancesLifecycleHandle-1GRP3N0TVA1LD` in convox/rack#2297). The
 * first 25 characters of the stack name are therefore all a policy can count on.
 */
function generatedNameStart(stackName: string): string {
  return stackName.slice(0, 25);
}

test('the execution policy file is generated from the snapshots and the schemas (npx projen integ:policy)', () => {
  expect(fs.readFileSync(path.join(ROOT, 'build-tools', 'integ-role', 'execution-policy.json'), 'utf8')).toBe(renderPolicy());
});

test('every permission each deployed resource type\'s handlers declare is allowed', () => {
  const policy = read('execution-policy.json');
  const types = deployedTypes();
  expect(types.length).toBeGreaterThan(20);
  const missing: string[] = [];
  for (const type of types) {
    const needed = type.startsWith('Custom::') ? ['lambda:InvokeFunction'] : handlerPermissions(type)!;
    expect(needed).toBeDefined();
    for (const action of needed.filter(a => !a.startsWith('s3:REST.'))) {
      if (allowing(policy, action).length === 0) missing.push(`${type}: ${action}`);
    }
  }
  expect(missing).toEqual([]);
});

test('the names CloudFormation generates for every role and function the integ stacks create are allowed', () => {
  const policy = read('execution-policy.json');
  const checks: [string, string][] = [['AWS::IAM::Role', 'iam:CreateRole'], ['AWS::Lambda::Function', 'lambda:CreateFunction']];
  const denied: string[] = [];
  let named = 0;
  for (const stack of deployedStacks()) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      const check = checks.find(([type]) => type === resource.Type);
      if (!check) continue;
      const explicit = resource.Properties?.RoleName ?? resource.Properties?.FunctionName;
      const name = explicit ?? `${generatedNameStart(stack.stackName)}-${logicalId.slice(0, 24)}-ABCDEFGHIJKL`;
      const arn = resource.Type === 'AWS::IAM::Role' ? `arn:aws:iam::123456789012:role/${name}` : `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
      named++;
      const allowed = allowing(policy, check[1]).some((s: any) => [s.Resource].flat().some((r: string) => matches(r, arn)));
      if (!allowed) denied.push(`${stack.integApp} ${stack.stackName}/${logicalId}: ${arn}`);
    }
  }
  expect(named).toBeGreaterThan(20);
  expect(denied).toEqual([]);
  // The same patterns let roles be passed to the services that assume them.
  expect(allowing(policy, 'iam:PassRole').map((s: any) => s.Resource)).toEqual([ROLE_PATTERN]);
  expect(allowing(policy, 'lambda:CreateFunction').map((s: any) => s.Resource)).toEqual([FUNCTION_PATTERN]);
});

test('every stack the workflow deploys, assertion stacks included, starts with the project prefix', () => {
  const names = deployedStacks().map(s => s.stackName);
  expect(names.length).toBeGreaterThanOrEqual(10);
  expect(names.filter(n => !n.startsWith(STACK_PREFIX))).toEqual([]);
});

test('the CI role only assumes the CDK bootstrap roles and deletes only the test stacks', () => {
  const policy = read('ci-role-policy.json');
  expect(actions(policy).sort()).toEqual([
    'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudformation:ListStacks',
    'iam:PassRole', 'logs:DeleteLogGroup', 'logs:DescribeLogGroups', 'sts:AssumeRole',
  ]);
  const assume = policy.Statement.find((s: any) => s.Action === 'sts:AssumeRole');
  expect(assume.Resource).toBe('arn:aws:iam::ACCOUNT:role/cdk-hnb659fds-*');
  const del = policy.Statement.find((s: any) => s.Action === 'cloudformation:DeleteStack');
  // The assertion stacks start with the prefix too: no other project's stack can match.
  expect(del.Resource).toBe(`arn:aws:cloudformation:*:ACCOUNT:stack/${STACK_PREFIX}*/*`);
  const trust = read('ci-role-trust.json');
  expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toMatch(/:ref:refs\/heads\/main$/);
});

test('the workflow runs the tests the policy was written for, and always cleans up', () => {
  const workflow = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'integ.yml'), 'utf8');
  expect(workflow).toContain('--exclude integ.code-repository.ts integ.custom-domain.ts');
  expect(workflow).toMatch(/if: always\(\)\n\s+run: npx ts-node --transpile-only build-tools\/delete-integ-stacks.ts AppRunnerWebService/);
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
