import { Annotations, AspectPriority, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Makes `resource` wait for the policies under `owners` (roles and policies), so a first
 * deployment cannot start before its permissions exist. A policy that refers to `resource`,
 * directly or through other resources of the stack (a grant on the service itself, on its log
 * groups, on a bucket whose CORS rule names its URL), cannot be waited for: CloudFormation would
 * refuse the cycle. Such a policy is left out, with a note on the service.
 *
 * Runs as the last aspect: grants may still add policies after the constructor, and other
 * aspects may still change the resources.
 */
export function dependOnPolicies(service: IConstruct, resource: CfnResource, owners: () => (IConstruct | undefined)[]): void {
  Aspects.of(resource).add({
    visit: (node: IConstruct) => {
      if (node !== resource) return;
      const stack = Stack.of(resource);
      const graph = new ReferenceGraph(stack);
      const skipped: string[] = [];
      for (const owner of owners()) {
        if (!owner) continue;
        for (const child of owner.node.findAll()) {
          const isRole = child === owner.node.defaultChild && CfnResource.isCfnResource(child) && child.cfnResourceType === 'AWS::IAM::Role';
          if (!CfnResource.isCfnResource(child) || isRole || Stack.of(child) !== stack) continue;
          if (graph.reaches(child, resource)) {
            skipped.push(child.node.path);
          } else {
            resource.node.addDependency(child);
          }
        }
      }
      if (skipped.length > 0) {
        Annotations.of(service).addInfo(
          `the service does not wait for ${skipped.join(', ')}: it refers to the service, and waiting for it would be a ` +
          'circular dependency; the first requests after the first deployment may lack those permissions for a moment');
      }
    },
  }, { priority: AspectPriority.READONLY });
}

/** Which resources of a stack refer to which (Ref, Fn::GetAtt, Fn::Sub, DependsOn), read on demand. */
class ReferenceGraph {
  private readonly byLogicalId = new Map<string, CfnResource>();
  private readonly edges = new Map<CfnResource, CfnResource[]>();

  constructor(private readonly stack: Stack) {
    for (const construct of stack.node.findAll()) {
      if (CfnResource.isCfnResource(construct) && Stack.of(construct) === stack) {
        this.byLogicalId.set(stack.resolve(construct.logicalId), construct);
      }
    }
  }

  /** Whether `from` refers to `to`, directly or through other resources. */
  public reaches(from: CfnResource, to: CfnResource): boolean {
    const seen = new Set<CfnResource>();
    const queue = [from];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === to) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.referencesOf(next));
    }
    return false;
  }

  private referencesOf(resource: CfnResource): CfnResource[] {
    let found = this.edges.get(resource);
    if (!found) {
      const ids = new Set<string>();
      collectReferences(this.stack.resolve(resource._toCloudFormation()), ids);
      found = [...ids].map(id => this.byLogicalId.get(id)).filter((r): r is CfnResource => r !== undefined && r !== resource);
      this.edges.set(resource, found);
    }
    return found;
  }
}

function collectReferences(value: unknown, ids: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(v => collectReferences(v, ids));
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') {
        ids.add(inner);
      } else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') {
        ids.add(inner[0]);
      } else if (key === 'Fn::Sub') {
        const template = Array.isArray(inner) ? inner[0] : inner;
        for (const [, name] of String(template).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) ids.add(name);
        if (Array.isArray(inner)) collectReferences(inner[1], ids);
      } else if (key === 'DependsOn') {
        (Array.isArray(inner) ? inner : [inner]).forEach(id => typeof id === 'string' && ids.add(id));
      } else {
        collectReferences(inner, ids);
      }
    }
  }
}
