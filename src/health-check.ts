import { Duration, Token } from 'aws-cdk-lib';
import { CfnService } from 'aws-cdk-lib/aws-apprunner';
import { validateIntegerRange } from './private/validation';

/**
 * Settings shared by TCP and HTTP health checks.
 */
export interface HealthCheckCommonOptions {
  /**
   * Time between health checks, 1-20 seconds.
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;

  /**
   * Time to wait for a health check response before deciding it failed, 1-20 seconds.
   * @default Duration.seconds(2)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive successful checks before App Runner decides the service is healthy, 1-20.
   * @default 1
   */
  readonly healthyThreshold?: number;

  /**
   * Consecutive failed checks before App Runner decides the service is unhealthy, 1-20.
   * @default 5
   */
  readonly unhealthyThreshold?: number;
}

/**
 * Settings of an HTTP health check.
 */
export interface HttpHealthCheckOptions extends HealthCheckCommonOptions {
  /**
   * The path App Runner requests; it must answer 2xx.
   * @default '/'
   */
  readonly path?: string;
}

/**
 * How a health check reaches the instance.
 */
export enum HealthCheckProtocol {
  /** An HTTP GET on a path that must answer 2xx. */
  HTTP = 'HTTP',
  /** A TCP connection to the port. */
  TCP = 'TCP',
}

/**
 * How App Runner decides that an instance is healthy.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/api/API_HealthCheckConfiguration.html
 */
export class HealthCheck {
  /**
   * An HTTP GET on `path` that must answer 2xx.
   */
  public static http(options: HttpHealthCheckOptions = {}): HealthCheck {
    const path = options.path;
    if (path !== undefined && !Token.isUnresolved(path) && !path.startsWith('/')) {
      throw new Error(`\`healthCheck.path\` must start with '/', got '${path}'`);
    }
    return new HealthCheck(HealthCheckProtocol.HTTP, options, path);
  }

  /**
   * A TCP connection to the port (App Runner's default check).
   */
  public static tcp(options: HealthCheckCommonOptions = {}): HealthCheck {
    return new HealthCheck(HealthCheckProtocol.TCP, options, undefined);
  }

  private constructor(
    /** HTTP or TCP. */
    public readonly protocol: HealthCheckProtocol,
    /** The interval, timeout and thresholds given; what is not given is the platform's default. */
    public readonly options: HealthCheckCommonOptions,
    /** The path of an HTTP check. */
    public readonly path: string | undefined,
  ) {
    validateSeconds('healthCheck.interval', options.interval);
    validateSeconds('healthCheck.timeout', options.timeout);
    validateIntegerRange('healthCheck.healthyThreshold', options.healthyThreshold, 1, 20);
    validateIntegerRange('healthCheck.unhealthyThreshold', options.unhealthyThreshold, 1, 20);
  }

  /**
   * The CloudFormation fragment of this health check.
   */
  public bind(): CfnService.HealthCheckConfigurationProperty {
    return {
      protocol: this.protocol,
      path: this.path,
      interval: this.options.interval?.toSeconds(),
      timeout: this.options.timeout?.toSeconds(),
      healthyThreshold: this.options.healthyThreshold,
      unhealthyThreshold: this.options.unhealthyThreshold,
    };
  }
}

function validateSeconds(prop: string, value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const seconds = value.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 20) {
    throw new Error(`\`${prop}\` must be a whole number of seconds between 1 and 20, got ${value.toHumanString()}`);
  }
}
