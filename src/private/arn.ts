import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib';

/**
 * The slash-separated parts of an App Runner ARN's resource after its type
 * (`arn:<partition>:apprunner:<region>:<account>:<type>/<part 0>/<part 1>/...`; only the
 * resource part of these ARNs has slashes). For a concrete ARN, all of them (aws-cdk-lib's
 * `Arn.split` rejects what is not an ARN); for a token, the first `tokenParts`, as tokens.
 */
export function arnResourceParts(arn: string, tokenParts: number): string[] {
  if (Token.isUnresolved(arn)) {
    const parts = Fn.split('/', arn);
    return Array.from({ length: tokenParts }, (_, i) => Fn.select(i + 1, parts));
  }
  return (Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '').split('/');
}

/** The name in an App Runner ARN (the first part of its resource after the type). */
export function nameInArn(arn: string): string {
  return arnResourceParts(arn, 1)[0];
}
