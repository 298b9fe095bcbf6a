import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { SAMPLE_SERVER_DIR, sampleServerCommand } from './harness';
import { imageCommand, parseDockerfile, readDockerfile } from '../../local/dockerfile';

// No Docker engine here: the image's properties are checked by reading its Dockerfile.
const dockerfile = readDockerfile(SAMPLE_SERVER_DIR);
const runtime = dockerfile.runtime.map(i => `${i.keyword} ${i.args}`);

/**
 * Every file the server loads, following its relative `require`s from the entry point, and the
 * packages it requires by name.
 */
function requiredByServer(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const relative = path.relative(SAMPLE_SERVER_DIR, file);
    if (files.has(relative)) return;
    files.add(relative);
    const source = fs.readFileSync(file, 'utf8');
    for (const [, name] of source.matchAll(/require\(\s*'([^']+)'\s*\)/g)) {
      if (name.startsWith('.')) {
        visit(require.resolve(path.resolve(path.dirname(file), name)));
      } else if (!name.startsWith('node:') && !builtinModules.includes(name)) {
        packages.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]);
      }
    }
  };
  visit(path.join(SAMPLE_SERVER_DIR, entry));
  return { files, packages };
}

/** The paths the runtime stage copies from the build context (not from another stage). */
function copiedFromContext(instructions: string[]): string[] {
  return instructions
    .filter(l => l.startsWith('COPY ') && !l.includes('--from='))
    .flatMap(l => l.slice('COPY '.length).trim().split(/\s+/).slice(0, -1))
    .map(p => p.replace(/^\.\//, '').replace(/\/$/, ''));
}

describe('the sample server Dockerfile', () => {
  test('is multi-stage, every stage from ECR Public Node on a supported LTS major', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const from of dockerfile.stages) {
      const match = /^public\.ecr\.aws\/docker\/library\/node:(\d+)-slim(\s+AS\s+\w+)?$/.exec(from);
      expect(match).not.toBeNull();
      expect([22, 24]).toContain(Number(match![1])); // LTS lines supported on 2026-11; 20 is end of life
    }
  });

  test('names no BuildKit frontend: a `# syntax=` line pulls an image from Docker Hub on every build (rate limits)', () => {
    const text = fs.readFileSync(path.join(SAMPLE_SERVER_DIR, 'Dockerfile'), 'utf8');
    expect(text.split('\n').filter(l => /^#\s*syntax\s*=/i.test(l))).toEqual([]);
  });

  test('installs production dependencies only, from the lockfile', () => {
    const all = dockerfile.instructions.map(i => `${i.keyword} ${i.args}`);
    expect(all).toContain('COPY package.json package-lock.json ./');
    expect(all.some(l => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(fs.existsSync(path.join(SAMPLE_SERVER_DIR, 'package-lock.json'))).toBe(true);
  });

  test('the runtime stage has CA certificates, runs as a non-root user, exposes 8080 and starts in exec form', () => {
    expect(runtime.join('\n')).toMatch(/apt-get install -y --no-install-recommends ca-certificates/);
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime[runtime.length - 1]).toMatch(/^CMD \[/);
    expect(sampleServerCommand()).toEqual(['node', 'server.js']);
  });

  test('copies every file the server requires, and installs every package it requires', () => {
    const [, entry] = sampleServerCommand();
    const { files, packages } = requiredByServer(entry);
    expect(files).toContain(path.join('lib', 'app.js'));
    const copied = copiedFromContext(runtime);
    const missing = [...files].filter(file => !copied.some(c => file === c || file.startsWith(c + path.sep)));
    expect(missing).toEqual([]);
    const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(SAMPLE_SERVER_DIR, 'package.json'), 'utf8')).dependencies ?? {});
    expect([...packages].filter(p => !dependencies.includes(p))).toEqual([]);
  });

  test('the check of copied files fails when a required file is not copied', () => {
    const withoutLib = parseDockerfile('FROM a AS b\nFROM c\nCOPY package.json server.js ./\nCMD ["node", "server.js"]\n');
    const copied = copiedFromContext(withoutLib.runtime.map(i => `${i.keyword} ${i.args}`));
    const { files } = requiredByServer('server.js');
    expect([...files].filter(file => !copied.some(c => file === c || file.startsWith(c + path.sep)))).toContain(path.join('lib', 'app.js'));
  });
});

describe('reading a Dockerfile', () => {
  test.each([
    ['CMD ["node", "server.js"]', ['node', 'server.js']],
    ['CMD node server.js', ['/bin/sh', '-c', 'node server.js']],
    ['ENTRYPOINT ["tini", "--"]\nCMD ["node", "a.js"]', ['tini', '--', 'node', 'a.js']],
    ['ENTRYPOINT ["node", "a.js"]', ['node', 'a.js']],
    ['ENTRYPOINT node a.js\nCMD ["ignored"]', ['/bin/sh', '-c', 'node a.js']],
    ['CMD ["first"]\nCMD ["node", \\\n  "b.js"]', ['node', 'b.js']],
  ])('%j starts %j', (tail, expected) => {
    expect(imageCommand(parseDockerfile(`FROM x AS build\nCMD ["not", "this", "stage"]\nFROM y\n${tail}\n`))).toEqual(expected);
  });

  test('a last stage without a command is an error', () => {
    expect(() => imageCommand(parseDockerfile('FROM x\nCMD ["a"]\nFROM y\n'))).toThrow('neither ENTRYPOINT nor CMD');
  });
});
