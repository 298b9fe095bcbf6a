import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_SERVER_DIR, imageCommand } from './harness';

// No Docker engine here: the image's properties are checked by reading its Dockerfile.
const dockerfile = fs.readFileSync(path.join(SAMPLE_SERVER_DIR, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
const stages = instructions.filter(l => l.startsWith('FROM '));
const runtime = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));

describe('the sample server Dockerfile', () => {
  test('is multi-stage, every stage from ECR Public Node on a supported LTS major', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) {
      const match = /^FROM public\.ecr\.aws\/docker\/library\/node:(\d+)-slim(\s+AS\s+\w+)?$/.exec(from);
      expect(match).not.toBeNull();
      expect([22, 24]).toContain(Number(match![1])); // LTS lines supported on 2026-11; 20 is end of life
    }
  });

  test('installs production dependencies only, from the lockfile', () => {
    expect(instructions).toContain('COPY package.json package-lock.json ./');
    expect(instructions.some(l => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(fs.existsSync(path.join(SAMPLE_SERVER_DIR, 'package-lock.json'))).toBe(true);
  });

  test('the runtime stage has CA certificates, runs as a non-root user, exposes 8080 and starts in exec form', () => {
    expect(runtime.join('\n')).toMatch(/apt-get install -y --no-install-recommends ca-certificates/);
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime[runtime.length - 1]).toMatch(/^CMD \[/);
    expect(imageCommand()).toEqual(['node', 'server.js']);
  });

  test('copies every file the server requires', () => {
    const copied = runtime.filter(l => l.startsWith('COPY ')).join(' ');
    for (const file of ['server.js', 'package.json', 'lib']) {
      expect(copied).toContain(file);
    }
    const required = fs.readdirSync(path.join(SAMPLE_SERVER_DIR, 'lib'));
    expect(required.length).toBeGreaterThan(0);
  });
});
