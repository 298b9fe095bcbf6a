// The README's quick start, run as a user runs it: the snippet in a stack of a CDK app, in a
// directory with `./app` (a Dockerfile), synthesized in a process of its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, '.tmp', 'quick-start');

test('the quick start synthesizes a service with its table, variable, grant and health check', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'));
  const snippet = /```ts[^\n]*\n([\s\S]*?)```/.exec(quickStart)![1];
  const lines = snippet.split('\n');
  const imports = lines.filter(l => l.startsWith('import '))
    .map(l => l.replace("'cdk-apprunner-web-service'", `'${path.join(ROOT, 'src', 'index').split(path.sep).join('/')}'`));
  const body = lines.filter(l => !l.startsWith('import ')).join('\n    ');

  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(DIR, 'app'), { recursive: true });
  fs.writeFileSync(path.join(DIR, 'app', 'Dockerfile'), 'FROM public.ecr.aws/docker/library/node:24-slim\nCMD ["node", "-e", "require(\'http\').createServer((q, s) => s.end(\'ok\')).listen(process.env.PORT)"]\n');
  fs.writeFileSync(path.join(DIR, 'main.ts'), [
    "import { App, Stack } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    ...imports,
    'class QuickStart extends Stack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    `    ${body}`,
    '  }',
    '}',
    "const app = new App({ outdir: 'cdk.out' });",
    "new QuickStart(app, 'QuickStart');",
    'app.synth();',
  ].join('\n'));
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'main.ts'], { cwd: DIR, encoding: 'utf8' });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);

  const template = JSON.parse(fs.readFileSync(path.join(DIR, 'cdk.out', 'QuickStart.template.json'), 'utf8'));
  const resources = Object.values<any>(template.Resources);
  const service = resources.find(r => r.Type === 'AWS::AppRunner::Service');
  expect(service.Properties.HealthCheckConfiguration).toMatchObject({ Protocol: 'HTTP', Path: '/healthz' });
  expect(service.Properties.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables)
    .toEqual([{ Name: 'TABLE_NAME', Value: { Ref: expect.stringMatching(/^Table/) } }]);
  expect(resources.filter(r => r.Type === 'AWS::DynamoDB::Table')).toHaveLength(1);
  // The grant: the instance role may read and write the table.
  const policies = JSON.stringify(resources.filter(r => r.Type === 'AWS::IAM::Policy'));
  expect(policies).toContain('dynamodb:PutItem');
});
