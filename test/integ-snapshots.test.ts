// Integ snapshots hold a copy of each asset, and integ-runner compares templates without their
// asset hashes: a stale copy would pass CI while a deployment from the snapshot ran old code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IgnoreStrategy } from 'aws-cdk-lib';

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

/**
 * The files of assets/<asset> an asset copy must hold: all of them for the handler (a Lambda code
 * asset); for the sample server (a Docker image asset) what its .dockerignore leaves, plus the
 * Dockerfile and .dockerignore, which CDK always keeps in the build context.
 */
function expectedFiles(asset: string): string[] {
  const source = path.join(ROOT, 'assets', asset);
  const dockerignore = path.join(source, '.dockerignore');
  if (!fs.existsSync(dockerignore)) {
    return filesUnder(source);
  }
  const patterns = fs.readFileSync(dockerignore, 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  const ignore = IgnoreStrategy.docker(source, [...patterns, '!.dockerignore', '!Dockerfile']);
  return filesUnder(source).filter(file => !ignore.ignores(path.join(source, file)));
}

/** What differs between an asset copy and its source: files stale or extra in the copy, and files it lacks. */
export function compareCopy(copy: string, asset: string): { stale: string[]; missing: string[] } {
  const source = path.join(ROOT, 'assets', asset);
  const copied = filesUnder(copy);
  const stale = copied.filter(file => !fs.existsSync(path.join(source, file))
    || !fs.readFileSync(path.join(source, file)).equals(fs.readFileSync(path.join(copy, file))));
  const missing = expectedFiles(asset).filter(file => !copied.includes(file));
  return { stale, missing };
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
  expect(fs.existsSync(copy)).toBe(true);
  expect({ ...compareCopy(copy, asset), fix: 'delete the snapshot directory, then `npx projen integ:update <test file>`' })
    .toEqual({ stale: [], missing: [], fix: expect.any(String) });
});

test('a copy that lacks a file of its source, or holds an extra or changed one, is found', () => {
  const [, dir] = COPIES.find(([asset]) => asset === 'sample-server')!;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-'));
  fs.cpSync(dir, scratch, { recursive: true });
  expect(compareCopy(scratch, 'sample-server')).toEqual({ stale: [], missing: [] });
  fs.rmSync(path.join(scratch, 'lib', 'app.js'));
  fs.writeFileSync(path.join(scratch, 'extra.js'), '');
  fs.appendFileSync(path.join(scratch, 'server.js'), '\n');
  expect(compareCopy(scratch, 'sample-server')).toEqual({ stale: ['extra.js', 'server.js'], missing: [path.join('lib', 'app.js')] });
  fs.rmSync(scratch, { recursive: true, force: true });
});
