import { canonicalCpu, canonicalMemory } from './private/instance-units';

/**
 * The virtual CPU units of each instance of the service.
 *
 * App Runner accepts only some CPU and memory pairs; the service checks the pair
 * at synth time (see `Memory`).
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/api/API_InstanceConfiguration.html
 */
export class Cpu {
  /** 0.25 vCPU. */
  public static readonly QUARTER_VCPU = new Cpu('0.25 vCPU');
  /** 0.5 vCPU. */
  public static readonly HALF_VCPU = new Cpu('0.5 vCPU');
  /** 1 vCPU (App Runner's default). */
  public static readonly ONE_VCPU = new Cpu('1 vCPU');
  /** 2 vCPU. */
  public static readonly TWO_VCPU = new Cpu('2 vCPU');
  /** 4 vCPU. */
  public static readonly FOUR_VCPU = new Cpu('4 vCPU');

  /**
   * Any other value: CPU units (`1024`) or vCPUs (`1 vCPU`), written as CloudFormation
   * accepts them whatever the case, spacing or decimals (`1vcpu`, `1.0 vCPU` and `1024.0`
   * become `1 vCPU` and `1024`). The service rejects a value that is no valid pair with `memory`.
   * A token passes unchecked.
   */
  public static of(unit: string): Cpu {
    return new Cpu(canonicalCpu(unit));
  }

  private constructor(
    /** The value as CloudFormation receives it. */
    public readonly unit: string,
  ) {}
}

/**
 * The memory of each instance of the service.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/api/API_InstanceConfiguration.html
 */
export class Memory {
  /** 0.5 GB. */
  public static readonly HALF_GB = new Memory('0.5 GB');
  /** 1 GB. */
  public static readonly ONE_GB = new Memory('1 GB');
  /** 2 GB (App Runner's default). */
  public static readonly TWO_GB = new Memory('2 GB');
  /** 3 GB. */
  public static readonly THREE_GB = new Memory('3 GB');
  /** 4 GB. */
  public static readonly FOUR_GB = new Memory('4 GB');
  /** 6 GB. */
  public static readonly SIX_GB = new Memory('6 GB');
  /** 8 GB. */
  public static readonly EIGHT_GB = new Memory('8 GB');
  /** 10 GB. */
  public static readonly TEN_GB = new Memory('10 GB');
  /** 12 GB. */
  public static readonly TWELVE_GB = new Memory('12 GB');

  /**
   * Any other value: MB (`2048`) or GB (`2 GB`), written as CloudFormation accepts them
   * whatever the case, spacing or decimals (`2gb`, `2.0 GB` and `2048.0` become `2 GB` and
   * `2048`). The service rejects a value that is no valid pair with `cpu`.
   * A token passes unchecked.
   */
  public static of(unit: string): Memory {
    return new Memory(canonicalMemory(unit));
  }

  private constructor(
    /** The value as CloudFormation receives it. */
    public readonly unit: string,
  ) {}
}
