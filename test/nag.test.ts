// cdk-nag's AWS Solutions checks over every template the integration tests deploy and over the
// example app, read back with CfnInclude so the check sees exactly what CloudFormation gets.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../examples/app';

const INTEG = path.join(__dirname, '..', 'integ');

/** The stacks under test; the assertion stacks are @aws-cdk/integ-tests-alpha's, not ours. */
function templates(): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-example-'));
  const example = buildApp(outdir).synth().stacks.map(s => path.join(outdir, s.templateFile));
  const snapshots = fs.readdirSync(INTEG).filter(d => d.endsWith('.snapshot')).flatMap(dir =>
    fs.readdirSync(path.join(INTEG, dir))
      .filter(f => f.endsWith('.template.json') && !f.includes('DeployAssert'))
      .map(f => path.join(INTEG, dir, f)));
  return [...example, ...snapshots];
}

const rule = (text: unknown) => /AwsSolutions-[A-Z0-9]+/.exec(String(text))?.[0];

describe('cdk-nag AwsSolutions', () => {
  test.each(templates().map(t => [path.basename(t), t]))('%s has no unsuppressed error', (_name, templateFile) => {
    const app = new App();
    const stack = new Stack(app, 'Checked', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    new CfnInclude(stack, 'Template', { templateFile });
    Aspects.of(app).add(new AwsSolutionsChecks());
    const annotations = Annotations.fromStack(stack);
    const errors = annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(m => `${m.id}: ${m.entry.data}`);
    const warnings = annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(m => rule(m.entry.data));
    expect(errors).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`cdk-nag: ${_name}: 0 errors, warnings: ${[...new Set(warnings)].join(', ') || 'none'}`);
  });

  test('finds a wildcard policy nobody explained (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-broken-'));
    const templateFile = path.join(dir, 'broken.template.json');
    fs.writeFileSync(templateFile, JSON.stringify({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'tasks.apprunner.amazonaws.com' } }] } } },
        Policy: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
        },
      },
    }));
    const app = new App();
    const stack = new Stack(app, 'Checked', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    new CfnInclude(stack, 'Template', { templateFile });
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-IAM5.*'))).toHaveLength(1);
  });
});
