// The compiled index (lib/, as users load it) exports what src/index.ts exports, and loads a
// module only when one of its exports is read.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

/** Runs `script` in a fresh node process with the compiled library and returns what it prints. */
function fresh(script: string): any {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

const LOADED_MODULES = `Object.keys(require.cache).filter(f => f.startsWith(${JSON.stringify(LIB + path.sep)})).map(f => f.slice(${LIB.length + 1}).replace(/\\.js$/, '')).sort()`;

test('the compiled index exports every name of every module src/index.ts exports from', () => {
  const modules = [...fs.readFileSync(path.join(ROOT, 'src', 'index.ts'), 'utf8').matchAll(/export \* from '(\.\/[^']+)';/g)].map(m => m[1]);
  expect(modules.length).toBeGreaterThan(10);
  const expected = fresh(`const names = new Set(); for (const m of ${JSON.stringify(modules)}) for (const k of Object.keys(require('./lib/' + m))) if (k !== '__esModule') names.add(k); console.log(JSON.stringify([...names].sort()))`);
  const exported = fresh("const lib = require('./lib'); console.log(JSON.stringify(Object.keys(lib).filter(k => k !== '__esModule').sort()))");
  expect(exported).toEqual(expected);
  // and each name is the module's own object, not a copy
  expect(fresh("const lib = require('./lib'); console.log(JSON.stringify(lib.AppRunnerWebService === require('./lib/web-service').AppRunnerWebService && lib.CustomDomain === require('./lib/custom-domain').CustomDomain))")).toBe(true);
});

test('requiring the library loads only its index; a plain service does not load custom domains, alarms, dashboards, events or WAF', () => {
  expect(fresh(`require('./lib'); console.log(JSON.stringify(${LOADED_MODULES}))`)).toEqual(['index']);
  const loaded: string[] = fresh(`
    const { App, Stack } = require('aws-cdk-lib');
    const lib = require('./lib');
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const service = new lib.AppRunnerWebService(stack, 'Web', { source: lib.Source.fromEcrPublic('public.ecr.aws/a/b:1'), healthCheck: lib.HealthCheck.http() });
    service.grantRead(new (require('aws-cdk-lib/aws-iam').AccountRootPrincipal)());
    console.log(JSON.stringify(${LOADED_MODULES}));`);
  expect(loaded).toContain('web-service');
  for (const unused of ['custom-domain', 'private/custom-domain-provider', 'monitoring', 'private/dashboard', 'private/events', 'private/metrics', 'web-acl', 'vpc-connector', 'observability']) {
    expect(loaded).not.toContain(unused);
  }
});
