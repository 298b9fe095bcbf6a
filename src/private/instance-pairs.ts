import { Token } from 'aws-cdk-lib';
import { cpuUnits, memoryMb } from './instance-units';
import { Cpu, Memory } from '../instance-size';

/**
 * The pairs App Runner accepts, in CPU units and MB. Neither CloudFormation nor the API
 * validates them before the deployment fails. Sources: the `InstanceConfiguration` API
 * reference and "AWS App Runner adds 7 new compute configurations" (What's New, 2023).
 */
const VALID_PAIRS: { [cpuUnits: number]: number[] } = {
  256: [512, 1024],
  512: [1024],
  1024: [2048, 3072, 4096],
  2048: [4096, 6144],
  4096: [8192, 10240, 12288],
};

function describePairs(): string {
  return Object.entries(VALID_PAIRS)
    .map(([cpu, mems]) => `${Number(cpu) / 1024} vCPU: ${mems.map(m => `${m / 1024} GB`).join(', ')}`)
    .join('; ');
}

/** Throws unless the effective pair is one App Runner accepts. Tokens pass. */
export function validateInstanceSize(cpu: Cpu | undefined, memory: Memory | undefined): void {
  const cpuValue = (cpu ?? Cpu.ONE_VCPU).unit;
  const memoryValue = (memory ?? Memory.TWO_GB).unit;
  if (Token.isUnresolved(cpuValue) || Token.isUnresolved(memoryValue)) {
    return;
  }
  const units = cpuUnits(cpuValue);
  if (units === undefined || !(units in VALID_PAIRS)) {
    throw new Error(`\`cpu\` must be one of 0.25, 0.5, 1, 2 or 4 vCPU (or 256, 512, 1024, 2048, 4096), got '${cpuValue}'`);
  }
  const mb = memoryMb(memoryValue);
  if (mb === undefined || !VALID_PAIRS[units].includes(mb)) {
    const cpuNote = cpu ? '' : ' (the default)';
    const memoryNote = memory ? '' : ' (the default)';
    throw new Error(
      `\`cpu\` '${cpuValue}'${cpuNote} with \`memory\` '${memoryValue}'${memoryNote} is not a pair App Runner accepts; ` +
      `valid pairs: ${describePairs()}`,
    );
  }
}

/** Memory in MB, when known at synth time. */
export function memoryInMb(memory: Memory | undefined): number | undefined {
  const value = (memory ?? Memory.TWO_GB).unit;
  return Token.isUnresolved(value) ? undefined : memoryMb(value);
}
