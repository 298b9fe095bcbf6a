import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cfnLint } from './cfn-lint';
import { buildApp } from '../examples/app';

jest.setTimeout(120_000);

const INTEG = path.join(__dirname, '..', 'integ');

/** The templates integ-runner deploys, except assertion stacks with nothing to assert (not deployed). */
function snapshotTemplates(): string[] {
  return fs.readdirSync(INTEG).filter(d => d.endsWith('.snapshot')).flatMap(dir =>
    fs.readdirSync(path.join(INTEG, dir)).filter(f => f.endsWith('.template.json')).map(f => path.join(INTEG, dir, f)))
    .filter(file => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}).length > 0);
}

/**
 * Findings we accept, each with its reason. Everything else fails the test.
 */
const ACCEPTED: { rule: string; file: RegExp; message?: RegExp; reason: string }[] = [
  {
    rule: 'W3005',
    file: /DeployAssert/,
    reason: 'redundant DependsOn inside the assertion stacks, which @aws-cdk/integ-tests-alpha generates, not this library',
  },
  {
    rule: 'W3005',
    file: /./,
    message: /^'(AppRunnerCustomDomainProvider|LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a)\w*' dependency already enforced by a 'GetAtt' at 'Resources\/(AppRunnerCustomDomainProvider|LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a)/,
    reason: "aws-cdk-lib's Function (used by the custom-domain provider and the log-retention helper) makes a function depend on its role as well as reading the role's ARN",
  },
];

describe('cfn-lint', () => {
  test('finds nothing in the integration test snapshots and the example app', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-example-'));
    const assembly = buildApp(outdir).synth();
    const templates = [...snapshotTemplates(), ...assembly.stacks.map(s => path.join(outdir, s.templateFile))];
    expect(templates.length).toBeGreaterThanOrEqual(6);

    const findings = cfnLint(templates);
    const accepted = (f: typeof findings[number]) =>
      ACCEPTED.some(a => a.rule === f.rule && a.file.test(f.file) && (!a.message || a.message.test(f.message)));
    const unexpected = findings.filter(f => !accepted(f));
    expect(unexpected).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`cfn-lint: ${templates.length} templates, ${findings.length - unexpected.length} accepted findings, 0 others`);
  });

  test('does find a broken template (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-broken-'));
    const file = path.join(dir, 'broken.template.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Scaling: { Type: 'AWS::AppRunner::AutoScalingConfiguration', Properties: { MaxConcurrency: 500 } },
      },
    }));
    const findings = cfnLint([file]);
    expect(findings.filter(f => f.level === 'Error').map(f => f.rule)).toContain('E3034');
  });
});
