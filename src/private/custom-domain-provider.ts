import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { explainCdkHelper, explainWildcard } from './nag';

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
  private recordChangesAllowed = false;

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

    // Every service of this account and Region, not the current service's ARN: when a service is
    // replaced or a domain moves to another service, CloudFormation updates this policy before it
    // deletes the old association, which the handler must still be allowed to remove.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [
        'apprunner:AssociateCustomDomain', 'apprunner:DisassociateCustomDomain', 'apprunner:DescribeCustomDomains', 'apprunner:DescribeService',
      ],
      resources: [Stack.of(this).formatArn({ service: 'apprunner', resource: 'service', resourceName: '*' })],
    }));
    explainWildcard(role.node.findChild('DefaultPolicy'),
      'custom domains: the services of this account and Region, so that an association of a replaced service can still be removed',
      [{ regex: '/^Resource::arn:<AWS::Partition>:apprunner:.+:service\\/\\*$/g' }]);
  }

  /**
   * Route 53 for the domains with a hosted zone. Any zone of the account, not the current one:
   * after a zone move (or a domain's removal) the handler deletes records in the old zone with
   * the policy of the new deployment. Narrowed by what the handler writes instead: CNAME, A and
   * AAAA records, by UPSERT and DELETE only (and it deletes a record only where it still holds what
   * the handler wrote). Record names cannot narrow it: a changed domain's old records are removed
   * by the policy that names the new domain.
   */
  public allowRecordChanges(): void {
    if (this.recordChangesAllowed) return;
    this.recordChangesAllowed = true;
    const zones = Stack.of(this).formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: '*' });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: [zones],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zones],
      conditions: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
        },
      },
    }));
    explainWildcard(this.role.node.findChild('DefaultPolicy'),
      'custom domains: any hosted zone, so that records in a zone the domain moved away from can be removed; limited to CNAME, A and AAAA records by UPSERT and DELETE',
      ['Resource::arn:<AWS::Partition>:route53:::hostedzone/*']);
  }
}
