/**
 * IAM actions behind the named grants. Each acts on the service ARN.
 *
 * Source: Service Authorization Reference, "Actions, resources, and condition keys
 * for AWS App Runner" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsapprunner.html).
 */
export const READ_ACTIONS = ['apprunner:DescribeService', 'apprunner:ListOperations'];
export const START_DEPLOYMENT_ACTIONS = ['apprunner:StartDeployment'];
export const PAUSE_RESUME_ACTIONS = ['apprunner:PauseService', 'apprunner:ResumeService'];

/**
 * What the access role needs on the image's repository beyond a pull: App Runner
 * describes images to notice new pushes for automatic deployments.
 */
export const ECR_DESCRIBE_ACTIONS = ['ecr:DescribeImages'];

/**
 * What the instance role needs to send traces: the content of the AWS managed policy
 * AWSXRayDaemonWriteAccess, which the App Runner guide asks for
 * (https://docs.aws.amazon.com/apprunner/latest/dg/monitor-xray.html). X-Ray has no
 * resource-level permissions for these actions.
 */
export const XRAY_WRITE_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];
