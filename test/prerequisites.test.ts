// The build's prerequisite check: without Python 3 and venv it stops at once, with one line that
// says what to install (run with a PATH that lacks them).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, '..', 'build-tools', 'check-python.sh');

function runWith(python?: string) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'prereq-'));
  if (python) {
    fs.writeFileSync(path.join(bin, 'python3'), python, { mode: 0o755 });
  }
  // bash and the tools the script uses, but no python3 other than the fake one.
  return spawnSync('/bin/bash', [SCRIPT], { env: { PATH: `${bin}:/nonexistent` }, encoding: 'utf8' });
}

test('no python3: exit 1 and one line naming what to install', () => {
  const result = runWith();
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    'prerequisite missing: python3 is not installed; the build needs Python 3.9 or later with venv (Debian/Ubuntu: apt-get install python3 python3-venv)',
  ]);
});

test('a python3 without venv: exit 1 and one line with its version', () => {
  const result = runWith('#!/bin/sh\n[ "$1" = "--version" ] && { echo "Python 3.11.2"; exit 0; }\nexit 1\n');
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    'prerequisite missing: Python 3.11.2 lacks venv/ensurepip or is older than 3.9; the build needs Python 3.9 or later with venv (Debian/Ubuntu: apt-get install python3-venv)',
  ]);
});

test('this machine\'s python3 passes', () => {
  const result = spawnSync('/bin/bash', [SCRIPT], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
