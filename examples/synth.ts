// The main job: synthesize the example app and say what its template holds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from './app';

interface Resource { Type: string; Properties?: any }

const outdir = path.join(__dirname, 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });
const assembly = buildApp(outdir).synth();

for (const stack of assembly.stacks) {
  const templatePath = path.join(outdir, stack.templateFile);
  const resources: Record<string, Resource> = stack.template.Resources;
  const byType = new Map<string, string[]>();
  for (const [id, r] of Object.entries(resources)) {
    byType.set(r.Type, [...(byType.get(r.Type) ?? []), id]);
  }

  console.log(`Stack ${stack.stackName}: template at ${path.relative(process.cwd(), templatePath)}`);
  console.log(`${Object.keys(resources).length} resources:`);
  for (const [type, ids] of [...byType].sort()) {
    console.log(`  ${type} × ${ids.length}: ${ids.join(', ')}`);
  }

  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::AppRunner::Service') {
      const image = p.SourceConfiguration.ImageRepository;
      const cfg = image?.ImageConfiguration ?? {};
      const env = (cfg.RuntimeEnvironmentVariables ?? []).map((v: any) => v.Name);
      console.log(`\nService ${id}`);
      console.log(`  image: ${image ? `${image.ImageRepositoryType}, built from the asset` : 'code repository'}; port ${cfg.Port}`);
      console.log(`  environment: ${env.join(', ') || 'none'}`);
      console.log(`  health check: ${JSON.stringify(p.HealthCheckConfiguration ?? 'App Runner default (TCP)')}`);
      console.log(`  access role: ${describeRef(p.SourceConfiguration.AuthenticationConfiguration?.AccessRoleArn)}`);
      console.log(`  instance role: ${describeRef(p.InstanceConfiguration?.InstanceRoleArn)}`);
      console.log(`  depends on: ${(r as any).DependsOn?.join(', ') ?? 'nothing'}`);
    } else if (r.Type === 'AWS::ECS::ExpressGatewayService') {
      const c = p.PrimaryContainer;
      console.log(`\nECS Express service ${id}`);
      console.log(`  image: built from the asset; port ${c.ContainerPort}; ${p.Cpu} CPU units, ${p.Memory} MiB`);
      console.log(`  environment: ${(c.Environment ?? []).map((v: any) => v.Name).join(', ') || 'none'}`);
      console.log(`  health check: HTTP ${p.HealthCheckPath}; tasks ${p.ScalingTarget.MinTaskCount}-${p.ScalingTarget.MaxTaskCount}`);
      console.log(`  execution role: ${describeRef(p.ExecutionRoleArn)}; task role: ${describeRef(p.TaskRoleArn)}; infrastructure role: ${describeRef(p.InfrastructureRoleArn)}`);
      console.log(`  depends on: ${(r as any).DependsOn?.join(', ') ?? 'nothing'}`);
    } else if (r.Type === 'AWS::IAM::Role') {
      const principals = p.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Service).flat();
      console.log(`\nRole ${id}: assumed by ${principals.join(', ')}`);
    } else if (r.Type === 'AWS::IAM::Policy') {
      console.log(`\nPolicy ${id} on ${p.Roles.map(describeRef).join(', ')}:`);
      for (const s of p.PolicyDocument.Statement) {
        console.log(`  ${[s.Action].flat().join(', ')}`);
      }
    } else if (r.Type === 'AWS::DynamoDB::Table') {
      console.log(`\nTable ${id}: keys ${p.KeySchema.map((k: any) => `${k.AttributeName} (${k.KeyType})`).join(', ')}, billing ${p.BillingMode ?? 'PROVISIONED'}`);
    }
  }
}

function describeRef(value: any): string {
  if (value === undefined) return 'none';
  if (value.Ref) return value.Ref;
  if (value['Fn::GetAtt']) return value['Fn::GetAtt'][0];
  return JSON.stringify(value);
}
