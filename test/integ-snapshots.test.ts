// Integ snapshots hold a copy of each asset, and integ-runner compares templates without their
// asset hashes: a stale copy would pass CI while a deployment from the snapshot ran old code.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SNAPSHOTS = fs.readdirSync(path.join(ROOT, 'integ'))
  .filter(name => name.endsWith('.snapshot'))
  .map(name => path.join(ROOT, 'integ', name));

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => (entry.isDirectory()
    ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name}`]));
}

function assetDirs(snapshot: string): string[] {
  return fs.readdirSync(snapshot).filter(name => name.startsWith('asset.')).map(name => path.join(snapshot, name));
}

/** Asset directories of the custom-domain handler: the code of the Lambda functions our Provider creates. */
function handlerCopies(snapshot: string): string[] {
  return fs.readdirSync(snapshot).filter(name => name.endsWith('.template.json')).flatMap((name) => {
    const template = JSON.parse(fs.readFileSync(path.join(snapshot, name), 'utf8'));
    return Object.entries<any>(template.Resources ?? {})
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && /^AppRunnerCustomDomainProvider(OnEvent|IsComplete)/.test(id))
      .map(([, r]) => path.join(snapshot, `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`));
  });
}

const COPIES: Array<[string, string]> = SNAPSHOTS.flatMap(snapshot => [
  ...assetDirs(snapshot).filter(dir => fs.existsSync(path.join(dir, 'server.js'))).map(dir => ['sample-server', dir] as [string, string]),
  ...[...new Set(handlerCopies(snapshot))].map(dir => ['custom-domain-handler', dir] as [string, string]),
]);

test.each(['sample-server', 'custom-domain-handler'])('an integ snapshot holds a copy of assets/%s', (asset) => {
  expect(COPIES.filter(([name]) => name === asset).length).toBeGreaterThan(0);
});

test.each(COPIES.map(([asset, dir]) => [path.relative(ROOT, dir), asset]))('%s is the current assets/%s', (relative, asset) => {
  const copy = path.join(ROOT, relative);
  const source = path.join(ROOT, 'assets', asset);
  expect(fs.existsSync(copy)).toBe(true);
  const stale = filesUnder(copy).filter(file => !fs.existsSync(path.join(source, file))
    || !fs.readFileSync(path.join(source, file)).equals(fs.readFileSync(path.join(copy, file))));
  expect({ stale, fix: 'delete the snapshot directory, then `npx projen integ:update <test file>`' })
    .toEqual({ stale: [], fix: expect.any(String) });
});
