import { IResolvable, Lazy, Token } from 'aws-cdk-lib';
import type { Secret } from '../secret';

/** One name of the environment, with what it holds and who set it. */
interface Entry {
  readonly value: string | Secret;
  /** Who set it, as an error message names it (e.g. "`environment`", "the source"). */
  readonly setBy: string;
}

/**
 * Why a name cannot be set (`is reserved: ...`, `cannot be set: ...`), or undefined when it can.
 */
type ReservedName = (name: string) => string | undefined;

/**
 * The environment of a service: plain variables and secrets, filled by several producers (the
 * source, the instance size, the props, `addEnvironment`/`addSecret`). Each name may be set
 * once; a second setting fails and names both producers.
 */
export class EnvironmentMap {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly servicePath: string,
    private readonly reserved: ReservedName,
  ) {}

  public setVariable(name: string, value: string, setBy: string): void {
    this.set(name, { value, setBy });
  }

  public setSecret(name: string, secret: Secret, setBy: string): void {
    this.set(name, { value: secret, setBy });
  }

  /** The plain variables as name/value pairs, read when the template is written. */
  public renderVariables(): IResolvable {
    return this.lazy(entry => typeof entry.value === 'string' ? entry.value : undefined);
  }

  /**
   * The secrets as name/ARN pairs, read when the template is written; the ARN under `valueKey`
   * (App Runner: `value`, ECS: `valueFrom`).
   */
  public renderSecrets(valueKey = 'value'): IResolvable {
    return this.lazy(entry => typeof entry.value === 'string' ? undefined : entry.value.arn, valueKey);
  }

  // Lazy: variables and secrets may still be added after the service is created (addEnvironment).
  private lazy(valueOf: (entry: Entry) => string | undefined, valueKey = 'value'): IResolvable {
    return Lazy.any({
      produce: () => [...this.entries]
        .map(([name, entry]) => ({ name, [valueKey]: valueOf(entry) }))
        .filter(pair => pair[valueKey] !== undefined),
    }, { omitEmptyArray: true });
  }

  private set(name: string, entry: Entry): void {
    if (Token.isUnresolved(name)) {
      this.entries.set(name, entry);
      return;
    }
    if (name === '') {
      throw new Error(`${this.servicePath}: environment variable names must not be empty (an empty name in ${entry.setBy})`);
    }
    const reason = this.reserved(name);
    if (reason) {
      throw new Error(`${this.servicePath}: environment variable '${name}' ${reason} (set by ${entry.setBy})`);
    }
    const existing = this.entries.get(name);
    if (existing) {
      throw new Error(
        `${this.servicePath}: environment variable '${name}' is set twice, by ${existing.setBy} and by ${entry.setBy}; ` +
        'each name may be set once across the source, `environment` and `secrets`',
      );
    }
    this.entries.set(name, entry);
  }
}
