import { Token } from 'aws-cdk-lib';

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
 * Throws unless `value` (a concrete string) has a length in [min, max] and matches `pattern`.
 */
export function validateName(prop: string, value: string | undefined, min: number, max: number, pattern: RegExp, allowed: string): void {
  if (!isConcrete(value)) {
    return;
  }
  if (value.length < min || value.length > max || !pattern.test(value)) {
    throw new Error(`\`${prop}\` must be ${min}-${max} characters of ${allowed}, got '${value}'`);
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
