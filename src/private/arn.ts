import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib';

/** The form of one kind of App Runner ARN, for reading and checking it. */
interface AppRunnerArnShape {
  /** The prop the ARN was given in, as errors name it. */
  readonly prop: string;
  /** The resource type after the account (`service`, `vpcconnector`, ...). */
  readonly resourceType: string;
  /** The parts after the type, as errors show them (`<name>/<id>`, `<name>[/<revision>[/<id>]]`). */
  readonly format: string;
  /** How many parts after the type must be there. */
  readonly required: number;
  /**
   * How many parts after the type may be there.
   * @default - any number
   */
  readonly most?: number;
  /** How many parts the caller reads (tokens for an ARN that is a token). */
  readonly read: number;
}

/**
 * The slash-separated parts of an App Runner ARN's resource after its type
 * (`arn:<partition>:apprunner:<region>:<account>:<type>/<part 0>/<part 1>/...`), the first
 * `shape.read` of them. A concrete ARN must be an App Runner ARN of `shape.resourceType` with
 * at least `shape.required` non-empty parts; for a token, the parts are tokens.
 */
export function parseAppRunnerArn(arn: string, shape: AppRunnerArnShape): string[] {
  if (Token.isUnresolved(arn)) {
    const parts = Fn.split('/', arn);
    return Array.from({ length: shape.read }, (_, i) => Fn.select(i + 1, parts));
  }
  const fail = () => new Error(
    `\`${shape.prop}\` must be arn:aws:apprunner:<region>:<account>:${shape.resourceType}/${shape.format}, got '${arn}'`);
  if (!arn.startsWith('arn:')) {
    throw fail();
  }
  const components = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  const parts = (components.resourceName ?? '').split('/');
  const present = components.resourceName === undefined ? 0 : parts.length;
  if (components.service !== 'apprunner' || components.resource !== shape.resourceType
    || present < shape.required || present > (shape.most ?? Infinity) || parts.slice(0, shape.required).some(part => part === '')) {
    throw fail();
  }
  return parts.slice(0, shape.read);
}

/** The name in the ARN of an App Runner resource this app creates (a token). */
export function nameInArn(arn: string): string {
  return Fn.select(1, Fn.split('/', arn));
}
