import { Token } from 'aws-cdk-lib';

// Reading the CPU and memory spellings a user may type, and writing them as CloudFormation
// accepts them: `256|512|1024|2048|4096|(0.25|0.5|1|2|4) vCPU` and
// `512|...|12288|(0.5|1|2|3|4|6|8|10|12) GB` (the AWS::AppRunner::Service schema).

const CPU = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i;
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i;

/** `1 vCPU`, `1024`, `0.25 vcpu` → CPU units; undefined when the spelling is unknown. */
export function cpuUnits(value: string): number | undefined {
  const match = CPU.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2] ? Math.round(n * 1024) : n;
}

/** `2 GB`, `2048`, `0.5 gb` → MB; undefined when the spelling is unknown. */
export function memoryMb(value: string): number | undefined {
  const match = MEMORY.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2] ? Math.round(n * 1024) : n;
}

/** The spelling CloudFormation accepts (`1 vcpu` → `1 vCPU`, `1024.0` → `1024`); a token or an unknown spelling as given. */
export function canonicalCpu(value: string): string {
  return canonical(value, CPU, 'vCPU');
}

/** The spelling CloudFormation accepts (`2gb` → `2 GB`, `2.0 GB` → `2 GB`); a token or an unknown spelling as given. */
export function canonicalMemory(value: string): string {
  return canonical(value, MEMORY, 'GB');
}

function canonical(value: string, pattern: RegExp, unit: string): string {
  if (Token.isUnresolved(value)) return value;
  const match = pattern.exec(value);
  if (!match) return value;
  const n = String(Number(match[1]));
  return match[2] ? `${n} ${unit}` : n;
}
