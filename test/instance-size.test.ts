import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Cpu, Memory } from '../src';
import { newStack, synthService } from './util';

describe('cpu and memory', () => {
  const valid: [Cpu, Memory][] = [
    [Cpu.QUARTER_VCPU, Memory.HALF_GB], [Cpu.QUARTER_VCPU, Memory.ONE_GB],
    [Cpu.HALF_VCPU, Memory.ONE_GB],
    [Cpu.ONE_VCPU, Memory.TWO_GB], [Cpu.ONE_VCPU, Memory.THREE_GB], [Cpu.ONE_VCPU, Memory.FOUR_GB],
    [Cpu.TWO_VCPU, Memory.FOUR_GB], [Cpu.TWO_VCPU, Memory.SIX_GB],
    [Cpu.FOUR_VCPU, Memory.EIGHT_GB], [Cpu.FOUR_VCPU, Memory.TEN_GB], [Cpu.FOUR_VCPU, Memory.TWELVE_GB],
  ];

  test.each(valid)('accepts %o with %o and writes both', (cpu, memory) => {
    const { template } = synthService({ cpu, memory });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      InstanceConfiguration: { Cpu: cpu.unit, Memory: memory.unit },
    });
  });

  test('writes nothing about size when neither is given', () => {
    const { template } = synthService();
    const service = Object.values(template.findResources('AWS::AppRunner::Service'))[0];
    expect(service.Properties.InstanceConfiguration ?? {}).toEqual({});
  });

  test.each([
    ['1024', '2048', '1024', '2048'], ['1 vCPU', '3 GB', '1 vCPU', '3 GB'], ['256', '0.5 GB', '256', '0.5 GB'], ['4 vcpu', '12288', '4 vCPU', '12288'],
  ])('accepts the spellings %s / %s through of(), written %s / %s', (cpu, memory, cpuWritten, memoryWritten) => {
    const { template } = synthService({ cpu: Cpu.of(cpu), memory: Memory.of(memory) });
    template.hasResourceProperties('AWS::AppRunner::Service', { InstanceConfiguration: { Cpu: cpuWritten, Memory: memoryWritten } });
  });

  test('the alpha defect: fails when the pair is not one App Runner accepts (2 vCPU with 2 GB)', () => {
    expect(() => synthService({ cpu: Cpu.TWO_VCPU, memory: Memory.TWO_GB }))
      .toThrow(/`cpu` '2 vCPU' with `memory` '2 GB' is not a pair App Runner accepts; valid pairs: 0.25 vCPU: 0.5 GB, 1 GB; 0.5 vCPU: 1 GB; 1 vCPU: 2 GB, 3 GB, 4 GB/);
  });

  test('fails when only cpu is given and the default memory does not fit it, and says memory was the default', () => {
    expect(() => synthService({ cpu: Cpu.FOUR_VCPU }))
      .toThrow("`cpu` '4 vCPU' with `memory` '2 GB' (the default) is not a pair App Runner accepts");
  });

  test('fails when only memory is given and the default cpu does not fit it', () => {
    expect(() => synthService({ memory: Memory.HALF_GB }))
      .toThrow("`cpu` '1 vCPU' (the default) with `memory` '0.5 GB' is not a pair App Runner accepts");
  });

  test('fails when the cpu value is unknown', () => {
    expect(() => synthService({ cpu: Cpu.of('3 vCPU'), memory: Memory.FOUR_GB }))
      .toThrow("`cpu` must be one of 0.25, 0.5, 1, 2 or 4 vCPU (or 256, 512, 1024, 2048, 4096), got '3 vCPU'");
  });

  test('fails when the memory value is not a size', () => {
    expect(() => synthService({ cpu: Cpu.ONE_VCPU, memory: Memory.of('lots') }))
      .toThrow("`memory` 'lots' is not a pair App Runner accepts");
  });

  test('lets tokens pass unchecked', () => {
    const stack = newStack();
    const cpu = new CfnParameter(stack, 'Cpu').valueAsString;
    const memory = new CfnParameter(stack, 'Memory').valueAsString;
    synthService({ cpu: Cpu.of(cpu), memory: Memory.of(memory) }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::AppRunner::Service', {
      InstanceConfiguration: { Cpu: { Ref: 'Cpu' }, Memory: { Ref: 'Memory' } },
    });
  });
});

describe('free-form spellings are written as CloudFormation accepts them', () => {
  // The schema's patterns (AWS::AppRunner::Service InstanceConfiguration), anchored as CloudFormation applies them.
  const CPU_SCHEMA = /^(256|512|1024|2048|4096|(0.25|0.5|1|2|4) vCPU)$/;
  const MEMORY_SCHEMA = /^(512|1024|2048|3072|4096|6144|8192|10240|12288|(0.5|1|2|3|4|6|8|10|12) GB)$/;

  test.each([
    ['1 vcpu', '1 vCPU'], ['1vCPU', '1 vCPU'], ['1.0 vCPU', '1 vCPU'], ['0.50 vCPU', '0.5 vCPU'], [' 2  VCPU ', '2 vCPU'],
    ['1024.0', '1024'], ['0256', '256'],
  ])('Cpu.of(%j) is %j', (typed, written) => {
    expect(Cpu.of(typed).unit).toBe(written);
    expect(Cpu.of(typed).unit).toMatch(CPU_SCHEMA);
  });

  test.each([
    ['2GB', '2 GB'], ['2 gb', '2 GB'], ['2.0 GB', '2 GB'], ['0.5gb', '0.5 GB'], ['1024.0', '1024'], ['12 Gb', '12 GB'],
  ])('Memory.of(%j) is %j', (typed, written) => {
    expect(Memory.of(typed).unit).toBe(written);
    expect(Memory.of(typed).unit).toMatch(MEMORY_SCHEMA);
  });

  test('a service renders the canonical spelling', () => {
    const { template } = synthService({ cpu: Cpu.of('1vcpu'), memory: Memory.of('3.0gb') });
    template.hasResourceProperties('AWS::AppRunner::Service', { InstanceConfiguration: { Cpu: '1 vCPU', Memory: '3 GB' } });
  });

  test('a spelling that is no number and unit is kept and rejected by the service', () => {
    expect(Cpu.of('one vCPU').unit).toBe('one vCPU');
    expect(() => synthService({ cpu: Cpu.of('one vCPU') })).toThrow('`cpu` must be one of 0.25, 0.5, 1, 2 or 4 vCPU');
  });
});
