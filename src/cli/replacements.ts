#!/usr/bin/env node
// `apprunner-replacements <before.template.json> <after.template.json>`: which App Runner
// resources deploying `after` over `before` would replace, and why: a logical ID that is gone (a
// changed construct id or path), another resource type, or a changed create-only property (the
// CloudFormation schemas' createOnlyProperties). A replaced service gets a new URL and loses its
// custom domains. Get `before` from `cdk synth` of the deployed version or from
// `aws cloudformation get-template --stack-name <name> --query TemplateBody`. Exit code 1 when
// something would be replaced.
import * as fs from 'node:fs';

/**
 * The properties whose change replaces each App Runner resource type, as the CloudFormation
 * schemas list them (test/migration.test.ts checks this table against the schemas).
 */
export const CREATE_ONLY_PROPERTIES: { [type: string]: string[] } = {
  'AWS::AppRunner::Service': ['EncryptionConfiguration', 'ServiceName', 'Tags'],
  'AWS::AppRunner::AutoScalingConfiguration': ['AutoScalingConfigurationName', 'MaxConcurrency', 'MaxSize', 'MinSize', 'Tags'],
  'AWS::AppRunner::ObservabilityConfiguration': ['ObservabilityConfigurationName', 'Tags', 'TraceConfiguration'],
  'AWS::AppRunner::VpcConnector': ['SecurityGroups', 'Subnets', 'Tags', 'VpcConnectorName'],
  'AWS::AppRunner::VpcIngressConnection': ['ServiceArn', 'Tags', 'VpcIngressConnectionName'],
};

export interface Replacement {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** The App Runner resources of `before` that deploying `after` would replace. */
export function replacements(before: any, after: any): Replacement[] {
  const found: Replacement[] = [];
  const newResources = after?.Resources ?? {};
  for (const [logicalId, resource] of Object.entries<any>(before?.Resources ?? {})) {
    const type: string = resource.Type;
    if (!type.startsWith('AWS::AppRunner::')) continue;
    const next = newResources[logicalId];
    if (!next) {
      const moved = Object.entries<any>(newResources).filter(([, r]) => r.Type === type).map(([id]) => id);
      found.push({
        logicalId,
        type,
        reason: 'no longer in the template: CloudFormation deletes it'
          + (moved.length > 0 ? ` and creates ${moved.join(', ')} (a changed construct id or path changes the logical ID)` : ''),
      });
      continue;
    }
    if (next.Type !== type) {
      found.push({ logicalId, type, reason: `now a ${next.Type}` });
      continue;
    }
    const changed = (CREATE_ONLY_PROPERTIES[type] ?? [])
      .filter(property => JSON.stringify(resource.Properties?.[property]) !== JSON.stringify(next.Properties?.[property]));
    if (changed.length > 0) {
      found.push({ logicalId, type, reason: `${changed.join(', ')} changed (create-only: a change replaces the resource)` });
    }
  }
  return found;
}

function main(args: string[]): number {
  if (args.length !== 2) {
    console.error('usage: apprunner-replacements <before.template.json> <after.template.json>');
    return 2;
  }
  const [before, after] = args.map(file => JSON.parse(fs.readFileSync(file, 'utf8')));
  const found = replacements(before, after);
  for (const r of found) console.log(`${r.logicalId} (${r.type}) would be replaced: ${r.reason}`);
  if (found.length === 0) console.log('no App Runner resource would be replaced');
  return found.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
