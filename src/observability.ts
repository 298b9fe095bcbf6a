import { IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnObservabilityConfiguration } from 'aws-cdk-lib/aws-apprunner';
import { Construct } from 'constructs';
import { nameInArn, parseAppRunnerArn } from './private/arn';
import { validateName, withPath } from './private/validation';

/**
 * The tracing back end of an observability configuration.
 */
export enum TraceVendor {
  /** AWS X-Ray, fed by the AWS Distro for OpenTelemetry in the application. */
  AWSXRAY = 'AWSXRAY',
}

/**
 * An App Runner observability configuration.
 */
export interface IObservabilityConfiguration extends IResource {
  /**
   * The ARN.
   * @attribute
   */
  readonly observabilityConfigurationArn: string;

  /**
   * The name.
   * @attribute
   */
  readonly observabilityConfigurationName: string;
}

/**
 * Properties of an `ObservabilityConfiguration`.
 */
export interface ObservabilityConfigurationProps {
  /**
   * The name, 4-32 characters; `DefaultConfiguration` is reserved.
   * @default - a name CloudFormation generates
   */
  readonly observabilityConfigurationName?: string;

  /**
   * The tracing back end.
   * @default TraceVendor.AWSXRAY
   */
  readonly traceVendor?: TraceVendor;
}

/**
 * An observability configuration (`AWS::AppRunner::ObservabilityConfiguration`):
 * tracing for the services that use it. Every property change replaces it.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/monitor-xray.html
 */
export class ObservabilityConfiguration extends Resource implements IObservabilityConfiguration {
  /**
   * An existing configuration, by ARN (`.../observabilityconfiguration/<name>/<revision>/<id>`).
   */
  public static fromArn(scope: Construct, id: string, observabilityConfigurationArn: string): IObservabilityConfiguration {
    const [name] = parseAppRunnerArn(observabilityConfigurationArn, {
      prop: 'observabilityConfigurationArn',
      resourceType: 'observabilityconfiguration',
      format: '<name>[/<revision>[/<id>]]',
      required: 1,
      read: 1,
    });
    return new ImportedObservabilityConfiguration(scope, id, observabilityConfigurationArn, name);
  }

  public readonly observabilityConfigurationArn: string;
  public readonly observabilityConfigurationName: string;

  constructor(scope: Construct, id: string, props: ObservabilityConfigurationProps = {}) {
    super(scope, id, { physicalName: props.observabilityConfigurationName });
    withPath(this, () => {
      validateName('observabilityConfigurationName', props.observabilityConfigurationName, 32);
      if (props.observabilityConfigurationName === 'DefaultConfiguration') {
        throw new Error("`observabilityConfigurationName` 'DefaultConfiguration' is reserved by App Runner");
      }
    });
    const resource = new CfnObservabilityConfiguration(this, 'Resource', {
      observabilityConfigurationName: props.observabilityConfigurationName,
      traceConfiguration: { vendor: props.traceVendor ?? TraceVendor.AWSXRAY },
    });
    this.observabilityConfigurationArn = resource.attrObservabilityConfigurationArn;
    this.observabilityConfigurationName = props.observabilityConfigurationName
      ?? nameInArn(resource.attrObservabilityConfigurationArn);
  }
}

class ImportedObservabilityConfiguration extends Resource implements IObservabilityConfiguration {
  constructor(
    scope: Construct,
    id: string,
    public readonly observabilityConfigurationArn: string,
    public readonly observabilityConfigurationName: string,
  ) {
    super(scope, id, { environmentFromArn: Token.isUnresolved(observabilityConfigurationArn) ? undefined : observabilityConfigurationArn });
  }
}
