/**
 * Regions where App Runner runs.
 *
 * Source: AWS General Reference, "AWS App Runner endpoints and quotas"
 * (https://docs.aws.amazon.com/general/latest/gr/apprunner.html), read 2026-11-26.
 */
export const APP_RUNNER_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
];
