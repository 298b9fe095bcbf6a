// Builds the Python, Java and Go bindings, runs the example app written in each language against
// them, and checks that every template equals the TypeScript example's (after normalizing what
// legitimately differs: asset hashes and paths, logical-ID hash suffixes, CDK metadata).
//   npx projen check:bindings [python] [java] [go]      (all three without arguments)
// Exit 1 on any difference, with the differing paths.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../examples/app';

const ROOT = path.join(__dirname, '..');
const TMP = path.join(ROOT, '.tmp', 'bindings');
/** The example's stacks: on App Runner, and the same service on ECS Express Mode. */
const STACKS = ['AppRunnerWebServiceExample', 'AppRunnerWebServiceExpressExample'];

type Language = 'python' | 'java' | 'go';
const LANGUAGES: Language[] = ['python', 'java', 'go'];

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): void {
  execFileSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Synthesizes the example in `language` into `outdir`. */
const SYNTH: Record<Language, (outdir: string) => void> = {
  python: (outdir) => {
    run('npx', ['projen', 'package:python']);
    const venv = path.join(TMP, 'python');
    if (!fs.existsSync(path.join(venv, 'bin', 'python'))) {
      run('python3', ['-m', 'venv', venv]);
    }
    const pip = path.join(venv, 'bin', 'pip');
    run(pip, ['install', '-q', '--disable-pip-version-check', '-r', 'examples/python/requirements.txt']);
    const wheel = fs.readdirSync(path.join(ROOT, 'dist', 'python')).find(f => f.endsWith('.whl'))!;
    run(pip, ['install', '-q', '--disable-pip-version-check', '--force-reinstall', '--no-deps', path.join('dist', 'python', wheel)]);
    run(path.join(venv, 'bin', 'python'), ['examples/python/app.py'], { env: { CDK_OUTDIR: outdir } });
  },
  java: (outdir) => {
    run('npx', ['projen', 'package:java']);
    // The binding's version does not change between builds: drop Maven's cached copy of it.
    fs.rmSync(path.join(os.homedir(), '.m2', 'repository', 'io', 'github', 'cdk-apprunner-web-service'), { recursive: true, force: true });
    run('mvn', ['-q', '-B', '-f', 'examples/java/pom.xml', 'compile', 'exec:java'], { env: { CDK_OUTDIR: outdir } });
  },
  go: (outdir) => {
    run('npx', ['projen', 'package:go']);
    // go.mod and go.sum are committed: a binding whose requirements changed fails here (-mod=readonly).
    run('go', ['run', '.'], { cwd: path.join(ROOT, 'examples', 'go'), env: { CDK_OUTDIR: outdir } });
  },
};

/** What may differ between languages: asset hashes and source paths, logical-ID suffixes, CDK metadata. */
export function normalize(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  delete copy.Resources?.CDKMetadata;
  delete copy.Conditions?.CDKMetadataAvailable;
  if (copy.Conditions && Object.keys(copy.Conditions).length === 0) {
    delete copy.Conditions;
  }
  for (const resource of Object.values<any>(copy.Resources ?? {})) {
    delete resource.Metadata;
  }
  const text = JSON.stringify(copy)
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')
    // Logical IDs end in an 8-character hash of the construct path.
    .replace(/"([A-Za-z0-9]+?)[0-9A-F]{8}"/g, '"$1<id>"');
  return sortKeys(JSON.parse(text));
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortKeys(value[k])]));
  }
  return value;
}

/** The paths where `a` and `b` differ (at most `limit`). */
export function differences(a: any, b: any, at = '', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) {
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences(a[key], b[key], `${at}/${key}`, out, limit);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${at || '/'}: TypeScript ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`);
  }
  return out;
}

function main(): void {
  const asked = process.argv.slice(2) as Language[];
  const unknown = asked.filter(l => !LANGUAGES.includes(l));
  if (unknown.length > 0) {
    throw new Error(`unknown language(s) ${unknown.join(', ')}; choose from ${LANGUAGES.join(', ')}`);
  }
  const languages = asked.length > 0 ? asked : LANGUAGES;
  fs.mkdirSync(TMP, { recursive: true });
  delete process.env.CDK_DEFAULT_ACCOUNT;
  delete process.env.CDK_DEFAULT_REGION;

  const tsOut = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-ts-'));
  buildApp(tsOut).synth();
  const template = (dir: string, stack: string) => normalize(JSON.parse(fs.readFileSync(path.join(dir, `${stack}.template.json`), 'utf8')));

  const results: string[] = [];
  let failed = false;
  for (const language of languages) {
    const started = Date.now();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bindings-${language}-`));
    SYNTH[language](outdir);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    for (const stack of STACKS) {
      const actual = template(outdir, stack);
      const diff = differences(template(tsOut, stack), actual);
      const resources = Object.keys(actual.Resources).length;
      if (diff.length > 0) {
        failed = true;
        results.push(`bindings: ${language}: ${stack} DIFFERS from the TypeScript template (${seconds} s):\n  ${diff.join('\n  ')}`);
      } else {
        results.push(`bindings: ${language}: ${stack} same template as TypeScript, ${resources} resources (${seconds} s)`);
      }
    }
  }
  console.log(results.join('\n'));
  if (failed) {
    process.exit(1);
  }
}

if (require.main === module) {
  main();
}
