import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { explainCdkHelper } from './nag';

// The custom-domain handler's Lambda functions and the Provider framework around them, one per
// stack. Loaded only by a stack with a custom domain.

const PROVIDER_ID = 'AppRunnerCustomDomainProvider';

/** One provider per stack, shared by all custom domains in it. */
export function providerFor(scope: Construct, timeout: Duration): CustomDomainProvider {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(PROVIDER_ID) as CustomDomainProvider | undefined;
  if (existing) {
    if (existing.totalTimeout.toSeconds() !== timeout.toSeconds()) {
      throw new Error(`all custom domains of a stack share one \`validationTimeout\`; this stack already uses ${existing.totalTimeout.toHumanString()}`);
    }
    return existing;
  }
  return new CustomDomainProvider(stack, PROVIDER_ID, timeout);
}

export class CustomDomainProvider extends Construct {
  public readonly provider: cr.Provider;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, public readonly totalTimeout: Duration) {
    super(scope, id);
    const code = lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'custom-domain-handler'));
    const role = this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'App Runner custom domains: associates domains and writes their DNS records',
    });
    const handler = (handlerId: string, entry: string) => {
      // A log group per function, written by this role only (rather than the managed policy's logs:* on every group).
      const logGroup = new logs.LogGroup(this, `${handlerId}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
      logGroup.grantWrite(role);
      return new lambda.Function(this, handlerId, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: `index.${entry}`,
        code,
        role,
        logGroup,
        timeout: Duration.minutes(1),
        description: `App Runner custom domains: ${entry}`,
      });
    };
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: handler('OnEvent', 'onEvent'),
      isCompleteHandler: handler('IsComplete', 'isComplete'),
      queryInterval: Duration.seconds(30),
      totalTimeout,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        level: sfn.LogLevel.ALL,
        destination: new logs.LogGroup(this, 'WaiterLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      },
    });
    explainCdkHelper(this.provider, 'the CDK Provider framework');
  }
}
