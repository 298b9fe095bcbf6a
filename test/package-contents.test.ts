// What `npm publish` would ship (after the build has compiled lib/): the library, the sample
// server without its node_modules, and nothing of the development tree.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('the npm package holds lib/, the sample server and the docs, and nothing else', () => {
  if (!fs.existsSync(path.join(__dirname, '..', 'lib', 'index.js'))) {
    throw new Error('lib/ is not compiled: run npx projen compile (npx projen build does)');
  }
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8',
  }));
  const files: string[] = pack.files.map((f: { path: string }) => f.path);
  const tops = [...new Set(files.map(f => f.split('/')[0]))].sort();
  expect(tops).toEqual(['.jsii', 'API.md', 'LICENSE', 'README.md', 'assets', 'docs', 'lib', 'package.json']);
  expect(files).toEqual(expect.arrayContaining([
    'assets/sample-server/Dockerfile', 'assets/sample-server/package-lock.json', 'assets/sample-server/server.js', 'lib/index.js',
    'assets/custom-domain-handler/index.js', 'lib/custom-domain.js',
  ]));
  expect(files.filter(f => f.includes('node_modules'))).toEqual([]);
  expect(pack.size).toBeLessThan(1024 * 1024);
});
