// Runs cfn-lint (installed by `npx projen cfn-lint:install` into .tmp/cfn-lint) over many
// templates in one process.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CFN_LINT = path.join(__dirname, '..', '.tmp', 'cfn-lint', 'bin', 'cfn-lint');

export interface Finding {
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly rule: string;
  readonly file: string;
  readonly path: (string | number)[];
  readonly message: string;
}

export function cfnLint(templates: string[]): Finding[] {
  if (!fs.existsSync(CFN_LINT)) {
    throw new Error(`cfn-lint is not installed at ${CFN_LINT}: run npx projen cfn-lint:install`);
  }
  let output: string;
  try {
    output = execFileSync(CFN_LINT, ['--format', 'json', '--', ...templates], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (err: any) {
    // cfn-lint exits non-zero when it finds something; its JSON is still on stdout.
    if (typeof err.stdout !== 'string' || !err.stdout.trim().startsWith('[')) throw err;
    output = err.stdout;
  }
  return JSON.parse(output).map((m: any) => ({
    level: m.Level, rule: m.Rule.Id, file: m.Filename, path: m.Location.Path, message: m.Message,
  }));
}
