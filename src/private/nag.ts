import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records, in a resource's metadata, why a policy checker's rule does not apply to it, in the
 * format cdk-nag reads (without depending on cdk-nag). Different reasons add up.
 */
function explainToPolicyChecks(resource: CfnResource, id: string, reason: string, appliesTo?: (string | { regex: string })[]): void {
  const existing = resource.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined;
  const rule = appliesTo ? { id, reason, applies_to: appliesTo } : { id, reason };
  const rules = existing?.rules_to_suppress ?? [];
  // The same explanation twice (a stack-wide helper reached from several services) is written once.
  if (rules.some(r => JSON.stringify(r) === JSON.stringify(rule))) {
    return;
  }
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...rules, rule] });
}

/**
 * Explains a wildcard in the policy `policy` (its default child): `Resource::*` unless `appliesTo`
 * names the findings (cdk-nag's strings, or `{ regex }` for ARNs whose Region and account vary).
 */
export function explainWildcard(policy: IConstruct, reason: string, appliesTo: (string | { regex: string })[] = ['Resource::*']): void {
  explainToPolicyChecks(policy.node.defaultChild as CfnResource, 'AwsSolutions-IAM5', reason, appliesTo);
}

/** Explains an AWS managed policy on `role` (its default child). */
export function explainManagedPolicy(role: IConstruct, reason: string): void {
  explainToPolicyChecks(role.node.defaultChild as CfnResource, 'AwsSolutions-IAM4', reason);
}

/**
 * Explains the rules that aws-cdk-lib's own helper functions (log retention, the Provider
 * framework) break by design, on every function, role and policy under `scope`.
 */
export function explainCdkHelper(scope: IConstruct, helper: string): void {
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) {
      continue;
    }
    if (c.cfnResourceType === 'AWS::Lambda::Function') {
      explainToPolicyChecks(c, 'AwsSolutions-L1', `${helper}: its runtime moves with aws-cdk-lib`);
    } else if (c.cfnResourceType === 'AWS::IAM::Role') {
      explainToPolicyChecks(c, 'AwsSolutions-IAM4', `${helper}: aws-cdk-lib gives its functions the basic execution policy to write their logs`);
    } else if (c.cfnResourceType === 'AWS::IAM::Policy') {
      explainToPolicyChecks(c, 'AwsSolutions-IAM5', `${helper}: aws-cdk-lib's policy (function versions, or log groups it cannot know in advance)`);
    } else if (c.cfnResourceType === 'AWS::StepFunctions::StateMachine') {
      explainToPolicyChecks(c, 'AwsSolutions-SF2', `${helper}: the waiter only polls the handler; aws-cdk-lib offers no tracing for it`);
    }
  }
}
