import { Annotations, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnAutoScalingConfiguration } from 'aws-cdk-lib/aws-apprunner';
import { Construct } from 'constructs';
import { INSTANCES_PER_SERVICE_QUOTA } from './private/app-runner-defaults';
import { nameInArn, parseAppRunnerArn } from './private/arn';
import { isConcrete, validateIntegerMinimum, validateIntegerRange, validateName, withPath } from './private/validation';

/** App Runner's default quota of instances per service; raisable on request. */

/**
 * How many instances serve, and how many requests each takes at once.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-autoscaling.html
 */
export interface AutoScalingOptions {
  /**
   * The fewest instances kept provisioned, 1-25.
   * @default 1
   */
  readonly minSize?: number;

  /**
   * The most instances, at least `minSize`. Above 25 needs a quota increase (a warning, not an error).
   * @default 25
   */
  readonly maxSize?: number;

  /**
   * Concurrent requests per instance before App Runner scales out, 1-200.
   * @default 100
   */
  readonly maxConcurrency?: number;
}

/**
 * An App Runner auto scaling configuration.
 */
export interface IAutoScalingConfiguration extends IResource {
  /**
   * The ARN (with revision, when known).
   * @attribute
   */
  readonly autoScalingConfigurationArn: string;

  /**
   * The name.
   * @attribute
   */
  readonly autoScalingConfigurationName: string;

  /**
   * The revision; undefined when an imported ARN names none (App Runner then uses the latest).
   * @attribute
   */
  readonly autoScalingConfigurationRevision?: number;
}

/**
 * Properties of an `AutoScalingConfiguration`.
 */
export interface AutoScalingConfigurationProps extends AutoScalingOptions {
  /**
   * The name, 4-32 characters of letters, digits, `-` and `_`, starting with a letter or digit.
   * Every revision of a name counts towards a quota of 5.
   * @default - a name CloudFormation generates
   */
  readonly autoScalingConfigurationName?: string;
}

/**
 * Attributes of an existing auto scaling configuration.
 */
export interface AutoScalingConfigurationAttributes {
  /** The name. */
  readonly autoScalingConfigurationName: string;

  /**
   * The revision.
   * @default - none: services use the latest revision
   */
  readonly autoScalingConfigurationRevision?: number;
}

/**
 * An auto scaling configuration (`AWS::AppRunner::AutoScalingConfiguration`) that
 * several services can share. Every property change replaces it.
 */
export class AutoScalingConfiguration extends Resource implements IAutoScalingConfiguration {
  /**
   * An existing configuration, by ARN. The ARN may end with the name
   * (`.../autoscalingconfiguration/<name>`), with the revision (`.../<name>/<revision>`)
   * or with the full ID (`.../<name>/<revision>/<id>`). An ARN that is a token must carry
   * a revision.
   */
  public static fromArn(scope: Construct, id: string, autoScalingConfigurationArn: string): IAutoScalingConfiguration {
    const [name, revisionPart] = parseAppRunnerArn(autoScalingConfigurationArn, {
      prop: 'autoScalingConfigurationArn',
      resourceType: 'autoscalingconfiguration',
      format: '<name>[/<revision>[/<id>]]',
      required: 1,
      read: 2,
    });
    let revision: number | undefined;
    if (Token.isUnresolved(autoScalingConfigurationArn)) {
      revision = Token.asNumber(revisionPart);
    } else if (revisionPart !== undefined) {
      revision = Number(revisionPart);
      if (!Number.isInteger(revision) || revision < 1) {
        throw new Error(`the revision in \`autoScalingConfigurationArn\` must be a positive integer, got '${revisionPart}' in '${autoScalingConfigurationArn}'`);
      }
    }
    return new ImportedAutoScalingConfiguration(scope, id, autoScalingConfigurationArn, name, revision);
  }

  /**
   * An existing configuration, by name and (optionally) revision.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: AutoScalingConfigurationAttributes): IAutoScalingConfiguration {
    const suffix = attrs.autoScalingConfigurationRevision === undefined
      ? attrs.autoScalingConfigurationName
      : `${attrs.autoScalingConfigurationName}/${attrs.autoScalingConfigurationRevision}`;
    const arn = Stack.of(scope).formatArn({
      service: 'apprunner',
      resource: 'autoscalingconfiguration',
      resourceName: suffix,
    });
    return new ImportedAutoScalingConfiguration(
      scope, id, arn, attrs.autoScalingConfigurationName, attrs.autoScalingConfigurationRevision);
  }

  public readonly autoScalingConfigurationArn: string;
  public readonly autoScalingConfigurationName: string;
  public readonly autoScalingConfigurationRevision?: number;

  /**
   * The most instances a service using this configuration runs.
   */
  public readonly maxSize: number;

  constructor(scope: Construct, id: string, props: AutoScalingConfigurationProps = {}) {
    super(scope, id, { physicalName: props.autoScalingConfigurationName });
    withPath(this, () => {
      validateName('autoScalingConfigurationName', props.autoScalingConfigurationName, 32);
      validateAutoScaling(this, props);
    });

    const resource = new CfnAutoScalingConfiguration(this, 'Resource', {
      autoScalingConfigurationName: props.autoScalingConfigurationName,
      minSize: props.minSize,
      maxSize: props.maxSize,
      maxConcurrency: props.maxConcurrency,
    });
    this.autoScalingConfigurationArn = resource.attrAutoScalingConfigurationArn;
    this.autoScalingConfigurationName = props.autoScalingConfigurationName
      ?? nameInArn(resource.attrAutoScalingConfigurationArn);
    this.autoScalingConfigurationRevision = resource.attrAutoScalingConfigurationRevision;
    this.maxSize = props.maxSize ?? INSTANCES_PER_SERVICE_QUOTA;
  }
}

class ImportedAutoScalingConfiguration extends Resource implements IAutoScalingConfiguration {
  constructor(
    scope: Construct,
    id: string,
    public readonly autoScalingConfigurationArn: string,
    public readonly autoScalingConfigurationName: string,
    public readonly autoScalingConfigurationRevision: number | undefined,
  ) {
    super(scope, id, { environmentFromArn: Token.isUnresolved(autoScalingConfigurationArn) ? undefined : autoScalingConfigurationArn });
  }
}

function validateAutoScaling(scope: Construct, props: AutoScalingOptions): void {
  validateIntegerRange('autoScaling.minSize', props.minSize, 1, INSTANCES_PER_SERVICE_QUOTA);
  validateIntegerMinimum('autoScaling.maxSize', props.maxSize, 1);
  validateIntegerRange('autoScaling.maxConcurrency', props.maxConcurrency, 1, 200);
  const min = props.minSize ?? 1;
  const max = props.maxSize ?? INSTANCES_PER_SERVICE_QUOTA;
  if (isConcrete(min) && isConcrete(max) && min > max) {
    const which = props.maxSize === undefined ? ' (the default)' : '';
    throw new Error(`\`autoScaling.minSize\` (${min}) must not exceed \`autoScaling.maxSize\` (${max}${which})`);
  }
  if (isConcrete(props.maxSize) && props.maxSize > INSTANCES_PER_SERVICE_QUOTA) {
    Annotations.of(scope).addWarningV2('cdk-apprunner-web-service:maxSizeAboveQuota',
      `autoScaling.maxSize is ${props.maxSize}; App Runner's default quota is ${INSTANCES_PER_SERVICE_QUOTA} instances per service. ` +
      'Make sure the quota was raised for this account and Region, or the deployment fails.');
  }
}
