import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ECR_DESCRIBE_ACTIONS } from './actions';
import { explainWildcard } from './nag';

/**
 * The role App Runner pulls `repository` with: `given`, granted pull rights on it, or else the
 * role shared by the services of `scope`'s stack that pull from that repository.
 */
export function accessRoleFor(scope: Construct, repository: ecr.IRepository, given: iam.IRole | undefined): iam.IRole {
  if (given) {
    grantPull(repository, given);
    return given;
  }
  return sharedAccessRole(scope, repository);
}

/**
 * One role per stack and repository, with pull rights on that repository only, so sharing it
 * grants no service more than its own role would. (Every role is a slow, serial step of a
 * deployment.)
 */
function sharedAccessRole(scope: Construct, repository: ecr.IRepository): iam.IRole {
  const stack = Stack.of(scope);
  const key = createHash('sha256').update(JSON.stringify(stack.resolve(repository.repositoryArn))).digest('hex').slice(0, 8);
  const id = `AppRunnerAccessRole${key}`;
  const existing = stack.node.tryFindChild(id) as iam.IRole | undefined;
  if (existing) {
    return existing;
  }
  const role = new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
    description: 'Access role of the App Runner services of this stack that pull from one ECR repository',
  });
  grantPull(repository, role);
  explainWildcard(role.node.findChild('DefaultPolicy'), 'ecr:GetAuthorizationToken has no resource-level permissions; the pull actions are scoped to the repository');
  return role;
}

function grantPull(repository: ecr.IRepository, role: iam.IRole): void {
  repository.grantPull(role);
  repository.grant(role, ...ECR_DESCRIBE_ACTIONS);
}
