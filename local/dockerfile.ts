// The one reader of Dockerfiles for the local run and the tests: the instructions of the last
// stage, and the command the image starts with (ENTRYPOINT and CMD combined as Docker does).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Instruction {
  /** Upper case: FROM, RUN, CMD, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
}

export interface Dockerfile {
  /** Every instruction, comments and blank lines dropped. */
  readonly instructions: Instruction[];
  /** The instructions of the last stage, from its FROM on. */
  readonly runtime: Instruction[];
  /** The `FROM` arguments of every stage. */
  readonly stages: string[];
}

/** Reads and parses `file` (relative to `directory`). */
export function readDockerfile(directory: string, file = 'Dockerfile'): Dockerfile {
  return parseDockerfile(fs.readFileSync(path.join(directory, file), 'utf8'));
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const match = /^(\w+)\s*(.*)$/s.exec(whole);
    if (match) instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
  }
  const froms = instructions.map((ins, i) => ins.keyword === 'FROM' ? i : -1).filter(i => i >= 0);
  if (froms.length === 0) throw new Error('the Dockerfile has no FROM');
  return {
    instructions,
    runtime: instructions.slice(froms[froms.length - 1]),
    stages: froms.map(i => instructions[i].args),
  };
}

/**
 * The environment the last stage runs with, as far as the Dockerfile says: its `ENV`
 * instructions (both forms: `ENV A=1 B="two words"` and the older `ENV A one value`) and those of
 * the stages it is built `FROM`, later ones winning, `$VAR` and `${VAR}` substituted as Docker
 * does. What the base image sets is unknown here: a variable it would supply comes from `base`.
 */
export function imageEnvironment(dockerfile: Dockerfile, base: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const substitute = (value: string) => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a, b) => env[a ?? b] ?? base[a ?? b] ?? '');
  for (const instruction of stageChain(dockerfile).filter(i => i.keyword === 'ENV')) {
    const args = instruction.args;
    if (!/^[^\s=]+=/.test(args)) {
      const [name, ...rest] = args.split(/\s+/);
      env[name] = substitute(rest.join(' '));
      continue;
    }
    // KEY=value pairs; a value may be quoted and contain spaces, or escape them with a backslash.
    const pair = /([^\s=]+)=("((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s\\]|\\.)*))/g;
    for (const m of args.matchAll(pair)) {
      if (m[4] !== undefined) env[m[1]] = m[4]; // single quotes: taken as written
      else env[m[1]] = substitute((m[3] ?? m[5]).replace(/\\(.)/g, '$1'));
    }
  }
  return env;
}

/** The last stage's instructions, after those of the earlier stages it is built `FROM`. */
function stageChain(dockerfile: Dockerfile): Instruction[] {
  const stages: { name?: string; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  const chain: Instruction[] = [];
  let stage = stages[stages.length - 1];
  for (let depth = 0; stage && depth < stages.length; depth++) {
    chain.unshift(...stage.instructions);
    const from = stage.from;
    stage = stages.find(candidate => candidate.name !== undefined && candidate.name.toLowerCase() === from.toLowerCase())!;
  }
  return chain;
}

/** The `WORKDIR` the last stage runs in (its own, or that of the stage it is built from), if any. */
export function imageWorkdir(dockerfile: Dockerfile): string | undefined {
  return stageChain(dockerfile).filter(i => i.keyword === 'WORKDIR').pop()?.args;
}

/** An ENTRYPOINT or CMD as argv: the exec form as written, the shell form through `/bin/sh -c`. */
function argv(args: string): string[] {
  if (args.startsWith('[')) {
    const parsed = JSON.parse(args);
    if (!Array.isArray(parsed) || parsed.some(a => typeof a !== 'string')) throw new Error(`not a list of strings: ${args}`);
    return parsed;
  }
  return ['/bin/sh', '-c', args];
}

/**
 * The command the image starts with: the last stage's last ENTRYPOINT followed by its last CMD
 * (a shell-form ENTRYPOINT ignores CMD, as Docker does).
 */
export function imageCommand(dockerfile: Dockerfile): string[] {
  const last = (keyword: string) => dockerfile.runtime.filter(i => i.keyword === keyword).pop();
  const entrypoint = last('ENTRYPOINT');
  const cmd = last('CMD');
  if (entrypoint && !entrypoint.args.startsWith('[')) return argv(entrypoint.args);
  const command = [...(entrypoint ? argv(entrypoint.args) : []), ...(cmd ? argv(cmd.args) : [])];
  if (command.length === 0) throw new Error('the Dockerfile has neither ENTRYPOINT nor CMD in its last stage');
  return command;
}
