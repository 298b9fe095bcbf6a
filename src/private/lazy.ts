/* eslint-disable @typescript-eslint/no-require-imports */
// Modules that only some apps need (custom domains, alarms, dashboards, events, WAF, log groups),
// loaded on first use: a synth that does not use a feature does not load its modules. Types come
// from `import type` where they are used; values from these loaders.

/** `load()` on the first call, the same module after. */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const cloudwatch = lazy(() => require('aws-cdk-lib/aws-cloudwatch') as typeof import('aws-cdk-lib/aws-cloudwatch'));
export const cloudwatchActions = lazy(() => require('aws-cdk-lib/aws-cloudwatch-actions') as typeof import('aws-cdk-lib/aws-cloudwatch-actions'));
export const ecrAssets = lazy(() => require('aws-cdk-lib/aws-ecr-assets') as typeof import('aws-cdk-lib/aws-ecr-assets'));
export const logs = lazy(() => require('aws-cdk-lib/aws-logs') as typeof import('aws-cdk-lib/aws-logs'));
export const route53 = lazy(() => require('aws-cdk-lib/aws-route53') as typeof import('aws-cdk-lib/aws-route53'));
export const wafv2 = lazy(() => require('aws-cdk-lib/aws-wafv2') as typeof import('aws-cdk-lib/aws-wafv2'));
