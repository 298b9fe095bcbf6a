// The CloudFormation execution policy for the integ workflow (cdk bootstrap
// --cloudformation-execution-policies), generated from what the deployment really creates:
// the resource types in the integ snapshots the workflow runs, and for each the permissions its
// CloudFormation handlers declare (create, read, update, delete) in the resource schemas that
// cfn-lint ships (`npx projen cfn-lint:install`). `npx projen integ:policy` rewrites
// execution-policy.json; test/integ-permissions.test.ts checks that the file is current and that
// the names CloudFormation generates for the stacks' roles and functions are allowed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceSchema } from '../cfn-schemas';

const ROOT = path.join(__dirname, '..', '..');
const INTEG = path.join(ROOT, 'integ');
export const POLICY_FILE = path.join(__dirname, 'execution-policy.json');

/** Every test stack and assertion stack starts with this (the IntegTest ids too). */
export const STACK_PREFIX = 'AppRunnerWebService';
/** Integ apps the workflow does not run: they need a hosted zone, a CodeStar connection. */
export const NOT_RUN_IN_CI = ['integ.custom-domain.ts', 'integ.code-repository.ts'];

export const ROLE_PATTERN = `arn:aws:iam::*:role/${STACK_PREFIX}*`;
export const FUNCTION_PATTERN = `arn:aws:lambda:*:*:function:${STACK_PREFIX}*`;

export interface SnapshotStack {
  readonly integApp: string;
  readonly stackName: string;
  readonly template: any;
}

/** The stacks of the integ snapshots the workflow deploys, with the names CloudFormation gives them. */
export function deployedStacks(): SnapshotStack[] {
  const stacks: SnapshotStack[] = [];
  for (const dir of fs.readdirSync(INTEG).filter(d => d.endsWith('.ts.snapshot')).sort()) {
    const integApp = dir.replace(/\.snapshot$/, '');
    if (NOT_RUN_IN_CI.includes(integApp)) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(INTEG, dir, 'manifest.json'), 'utf8'));
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const template = JSON.parse(fs.readFileSync(path.join(INTEG, dir, artifact.properties.templateFile), 'utf8'));
      stacks.push({ integApp, stackName: artifact.properties.stackName ?? id, template });
    }
  }
  return stacks;
}

/** The permissions of a resource type's create, read, update and delete handlers; undefined without a schema. */
export function handlerPermissions(type: string): string[] | undefined {
  const schema = resourceSchema(type);
  if (!schema) return undefined;
  return ['create', 'read', 'update', 'delete'].flatMap(handler => schema.handlers?.[handler]?.permissions ?? []);
}

/** Resource types of the deployed stacks, sorted. */
export function deployedTypes(): string[] {
  const types = new Set<string>();
  for (const stack of deployedStacks()) {
    for (const resource of Object.values<any>(stack.template.Resources ?? {})) types.add(resource.Type);
  }
  return [...types].sort();
}

// Granted by statements of their own, narrowed by conditions.
const SPECIAL = new Set(['iam:PassRole', 'iam:CreateServiceLinkedRole']);
// Schemas list a few names that are no IAM actions (an S3 REST operation): IAM would reject them.
const NOT_ACTIONS = /^s3:REST\./;

export function executionPolicy(): any {
  const actions = new Set<string>();
  for (const type of deployedTypes()) {
    if (type.startsWith('Custom::')) {
      actions.add('lambda:InvokeFunction'); // CloudFormation invokes the provider's function
      continue;
    }
    const permissions = handlerPermissions(type);
    if (!permissions) throw new Error(`no CloudFormation schema for ${type} in cfn-lint's data`);
    for (const action of permissions) if (!NOT_ACTIONS.test(action)) actions.add(action);
  }
  const sorted = [...actions].filter(a => !SPECIAL.has(a)).sort();
  const iam = sorted.filter(a => a.startsWith('iam:'));
  const lambda = sorted.filter(a => a.startsWith('lambda:'));
  const other = sorted.filter(a => !a.startsWith('iam:') && !a.startsWith('lambda:'));
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ResourcesOfTheStacks', Effect: 'Allow', Action: other, Resource: '*' },
      { Sid: 'RolesOfTheStacks', Effect: 'Allow', Action: iam, Resource: ROLE_PATTERN },
      {
        Sid: 'PassRolesToTheServicesThatUseThem',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: ROLE_PATTERN,
        Condition: {
          StringEquals: {
            'iam:PassedToService': [
              'apprunner.amazonaws.com', 'ecs.amazonaws.com', 'ecs-tasks.amazonaws.com', 'lambda.amazonaws.com', 'states.amazonaws.com', 'vpc-flow-logs.amazonaws.com',
            ],
          },
        },
      },
      {
        Sid: 'AppRunnerServiceLinkedRoleForVpcConnectors',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': ['apprunner.amazonaws.com', 'networking.apprunner.amazonaws.com'] } },
      },
      { Sid: 'FunctionsOfTheStacks', Effect: 'Allow', Action: lambda, Resource: FUNCTION_PATTERN },
      { Sid: 'BootstrapVersionCheck', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: 'arn:aws:ssm:*:*:parameter/cdk-bootstrap/*' },
    ],
  };
}

export function renderPolicy(): string {
  return `${JSON.stringify(executionPolicy(), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(POLICY_FILE, renderPolicy());
  console.log(`wrote ${path.relative(ROOT, POLICY_FILE)}`);
}
