import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** True when the value is known at synth time (not a token). */
export function isConcrete(value: string | number | undefined): value is string | number {
  return value !== undefined && !Token.isUnresolved(value);
}

/**
 * Throws unless `value` is an integer in [min, max]. Tokens and undefined pass.
 */
export function validateIntegerRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (!isConcrete(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${prop}\` must be an integer between ${min} and ${max}, got ${value}`);
  }
}

/**
 * Throws unless `value` (a concrete string) is a name App Runner accepts for its resources:
 * 4 to `max` characters of letters, digits, `-` and `_`, starting with a letter or digit.
 */
export function validateName(prop: string, value: string | undefined, max: number): void {
  if (!isConcrete(value)) {
    return;
  }
  if (value.length < 4 || value.length > max || !/^[A-Za-z0-9][A-Za-z0-9\-_]*$/.test(value)) {
    throw new Error(`\`${prop}\` must be 4-${max} characters of letters, digits, '-' and '_', starting with a letter or digit, got '${value}'`);
  }
}

/**
 * Throws unless `value` is an integer of at least `min`. Tokens and undefined pass.
 */
export function validateIntegerMinimum(prop: string, value: number | undefined, min: number): void {
  if (isConcrete(value) && (!Number.isInteger(value) || value < min)) {
    throw new Error(`\`${prop}\` must be an integer of at least ${min}, got ${value}`);
  }
}

/** Throws unless `port` is a TCP port number. Tokens and undefined pass. */
export function validatePort(port: number | undefined): void {
  validateIntegerRange('port', port, 1, 65535);
}

/** Throws unless `command` is a single line (App Runner rejects line breaks). Tokens and undefined pass. */
export function validateCommand(prop: string, command: string | undefined): void {
  if (command !== undefined && !Token.isUnresolved(command) && /[\r\n]/.test(command)) {
    throw new Error(`\`${prop}\` must be a single line (App Runner rejects line breaks), got ${JSON.stringify(command)}`);
  }
}

/**
 * Runs the checks of `scope`, and puts its construct path before the message of an error they
 * throw (`Stack/Web: \`cpu\` ...`), so a stack of many services says which one is wrong.
 */
export function withPath<T>(scope: IConstruct, checks: () => T): T {
  try {
    return checks();
  } catch (err) {
    // A message that already names this construct, or one inside it, is left as it is.
    if (err instanceof Error && !err.message.startsWith(`${scope.node.path}: `) && !err.message.startsWith(`${scope.node.path}/`)) {
      err.message = `${scope.node.path}: ${err.message}`;
    }
    throw err;
  }
}
