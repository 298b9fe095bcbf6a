import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { parseAppRunnerArn } from './arn';
import { AppRunnerWebServiceAttributes, AppRunnerWebServiceBase } from '../web-service-base';

/** A service of another app (or this one, by ARN): everything that needs only its attributes. */
export class ImportedWebService extends AppRunnerWebServiceBase {
  public readonly serviceArn: string;
  public readonly serviceId: string;
  public readonly serviceName: string;
  public readonly grantPrincipal: iam.IPrincipal;
  private readonly knownServiceUrl?: string;

  constructor(scope: Construct, id: string, attrs: AppRunnerWebServiceAttributes) {
    super(scope, id, { environmentFromArn: Token.isUnresolved(attrs.serviceArn) ? undefined : attrs.serviceArn });
    this.serviceArn = attrs.serviceArn;
    [this.serviceName, this.serviceId] = parseAppRunnerArn(attrs.serviceArn, {
      prop: 'serviceArn',
      resourceType: 'service',
      format: '<name>/<id>',
      required: 2,
      most: 2,
      read: 2,
    });
    this.knownServiceUrl = attrs.serviceUrl;
    this.grantPrincipal = attrs.instanceRole ?? new iam.UnknownPrincipal({ resource: this });
  }

  public get serviceUrl(): string {
    if (this.knownServiceUrl === undefined) {
      throw new Error(`the URL of imported service ${this.node.path} is unknown: pass \`serviceUrl\` to AppRunnerWebService.fromServiceAttributes`);
    }
    return this.knownServiceUrl;
  }

  public get serviceStatus(): string {
    throw new Error(`the status of imported service ${this.node.path} is not available at synth time`);
  }
}
