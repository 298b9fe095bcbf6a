import { createHash } from 'node:crypto';
import { Annotations, Aspects, CfnResource, IResource, Lazy, Resource, Stack, Tags, Token } from 'aws-cdk-lib';
import { CfnService, CfnVpcIngressConnection } from 'aws-cdk-lib/aws-apprunner';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AutoScalingConfiguration, AutoScalingOptions, IAutoScalingConfiguration } from './auto-scaling';
import { CustomDomain, CustomDomainOptions } from './custom-domain';
import { HealthCheck } from './health-check';
import { Cpu, Memory } from './instance-size';
import { RecommendedAlarms, RecommendedAlarmsOptions, WebServiceDashboardOptions } from './monitoring';
import { IObservabilityConfiguration, ObservabilityConfiguration } from './observability';
import { PAUSE_RESUME_ACTIONS, READ_ACTIONS, START_DEPLOYMENT_ACTIONS, ECR_DESCRIBE_ACTIONS, XRAY_WRITE_ACTIONS } from './private/actions';
import { arnResourceParts, nameInArn } from './private/arn';
import { createDashboard } from './private/dashboard';
import { OPERATION_STATUS_CHANGE, SERVICE_STATUS_CHANGE, serviceEventRule } from './private/events';
import { memoryInMb, validateInstanceSize } from './private/instance-pairs';
import { http5xxRate, serviceMetric } from './private/metrics';
import { explainCdkHelper, explainWildcard } from './private/nag';
import { APP_RUNNER_REGIONS } from './private/regions';
import { validateName } from './private/validation';
import { Secret } from './secret';
import { ConfigurationSource, ImageRepositoryType, Source, SourceConfig } from './source';
import { IVpcConnector, VpcConnector } from './vpc-connector';
import { WebAcl } from './web-acl';

/**
 * The IP versions of the public endpoint.
 */
export enum IpAddressType {
  /** IPv4 only. */
  IPV4 = 'IPV4',
  /** IPv4 and IPv6 (public endpoints only). */
  DUAL_STACK = 'DUAL_STACK',
}

/**
 * An App Runner web service, owned by this app or imported.
 */
export interface IAppRunnerWebService extends IResource, iam.IGrantable {
  /**
   * The ARN of the service.
   * @attribute
   */
  readonly serviceArn: string;

  /**
   * The ID App Runner gave the service (32 hexadecimal characters).
   * @attribute
   */
  readonly serviceId: string;

  /**
   * The name of the service.
   * @attribute
   */
  readonly serviceName: string;

  /**
   * The host name of the service's default domain, without scheme.
   * @attribute
   */
  readonly serviceUrl: string;

  /**
   * `https://` and the host name.
   */
  readonly url: string;

  /**
   * The status of the service when CloudFormation last read it (e.g. `RUNNING`).
   * @attribute
   */
  readonly serviceStatus: string;

  /**
   * The log group App Runner writes the service's event and deployment logs to
   * (`/aws/apprunner/<name>/<id>/service`).
   */
  readonly serviceLogGroup: logs.ILogGroup;

  /**
   * The log group App Runner writes the application's output to
   * (`/aws/apprunner/<name>/<id>/application`).
   */
  readonly applicationLogGroup: logs.ILogGroup;

  /**
   * Grants `actions` on this service to `grantee`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading the service's configuration and its operations
   * (`apprunner:DescribeService`, `apprunner:ListOperations`).
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants starting a deployment (`apprunner:StartDeployment`), plus what `grantRead` gives,
   * so a pipeline can follow the deployment it started.
   */
  grantStartDeployment(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants pausing and resuming the service (`apprunner:PauseService`,
   * `apprunner:ResumeService`), plus what `grantRead` gives.
   */
  grantPauseResume(grantee: iam.IGrantable): iam.Grant;

  /**
   * A metric of this service in the `AWS/AppRunner` namespace, with the service's dimensions
   * (`ServiceName`, `ServiceID`).
   *
   * @default - statistic Average over 5 minutes
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests (`Requests`).
   * @default - Sum over 5 minutes
   */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 2xx (`2xxStatusResponses`).
   * @default - Sum over 5 minutes
   */
  metricHttp2xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 4xx (`4xxStatusResponses`); no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  metricHttp4xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 5xx (`5xxStatusResponses`); no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  metricHttp5xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The share of requests answered with 5xx, in percent: `100 * 5xx / Requests`, with missing
   * 5xx datapoints counted as 0, and no datapoint when there were no requests.
   * @default - over 5 minutes
   */
  metricHttp5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression;

  /**
   * The time from request to response, in milliseconds (`RequestLatency`).
   * @default - Average over 5 minutes
   */
  metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of instances serving (`ActiveInstances`).
   * @default - Maximum over 5 minutes
   */
  metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests being handled at once (`Concurrency`).
   * @default - Maximum over 5 minutes
   */
  metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * CPU utilization of the service's instances, in percent (`CPUUtilization`).
   * @default - Average over 5 minutes
   */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Memory utilization of the service's instances, in percent (`MemoryUtilization`).
   * @default - Average over 5 minutes
   */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Creates the alarms every service should have: 5xx rate, p99 latency, CPU, memory, and
   * instances at the scaling maximum.
   */
  addRecommendedAlarms(id: string, options?: RecommendedAlarmsOptions): RecommendedAlarms;

  /**
   * Creates a CloudWatch dashboard of the service's metrics.
   */
  addDashboard(id: string, options?: WebServiceDashboardOptions): cloudwatch.Dashboard;

  /**
   * An EventBridge rule for every event App Runner sends about this service.
   */
  onEvent(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for changes of the service's status
   * (`AppRunner Service Status Change`, e.g. to `RUNNING` or `DELETE_FAILED`).
   */
  onStatusChange(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for changes of the status of operations on the service
   * (`AppRunner Service Operation Status Change`: deployments, updates, pause, resume).
   */
  onOperationStatusChange(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for failed deployments (operation status `DeploymentFailed`).
   */
  onDeploymentFailed(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for successful deployments (operation status `DeploymentCompletedSuccessfully`).
   */
  onDeploymentSucceeded(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Links a custom domain to the service (up to five per service).
   */
  addCustomDomain(id: string, options: CustomDomainOptions): CustomDomain;
}

/**
 * What an owned service and an imported one share: everything that needs only the attributes.
 */
abstract class AppRunnerWebServiceBase extends Resource implements IAppRunnerWebService {
  public abstract readonly serviceArn: string;
  public abstract readonly serviceId: string;
  public abstract readonly serviceName: string;
  public abstract readonly serviceUrl: string;
  public abstract readonly serviceStatus: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;

  public get url(): string {
    return `https://${this.serviceUrl}`;
  }

  public get serviceLogGroup(): logs.ILogGroup {
    return this.logGroup('ServiceLogGroup', 'service');
  }

  public get applicationLogGroup(): logs.ILogGroup {
    return this.logGroup('ApplicationLogGroup', 'application');
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.serviceArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...READ_ACTIONS);
  }

  public grantStartDeployment(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...START_DEPLOYMENT_ACTIONS, ...READ_ACTIONS);
  }

  public grantPauseResume(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...PAUSE_RESUME_ACTIONS, ...READ_ACTIONS);
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, metricName, {}, props);
  }

  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'Requests', { statistic: 'Sum' }, props);
  }

  public metricHttp2xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, '2xxStatusResponses', { statistic: 'Sum' }, props);
  }

  public metricHttp4xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, '4xxStatusResponses', { statistic: 'Sum' }, props);
  }

  public metricHttp5xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, '5xxStatusResponses', { statistic: 'Sum' }, props);
  }

  public metricHttp5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return http5xxRate(this, props);
  }

  public metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'RequestLatency', { statistic: 'Average', unit: cloudwatch.Unit.MILLISECONDS }, props);
  }

  public metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'ActiveInstances', { statistic: 'Maximum' }, props);
  }

  public metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'Concurrency', { statistic: 'Maximum' }, props);
  }

  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'CPUUtilization', { statistic: 'Average', unit: cloudwatch.Unit.PERCENT }, props);
  }

  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetric(this, 'MemoryUtilization', { statistic: 'Average', unit: cloudwatch.Unit.PERCENT }, props);
  }

  public addRecommendedAlarms(id: string, options: RecommendedAlarmsOptions = {}): RecommendedAlarms {
    return new RecommendedAlarms(this, id, {
      ...options,
      service: this,
      scalingMaximum: options.scalingMaximum ?? knownScalingMaximum(this),
    });
  }

  public addDashboard(id: string, options: WebServiceDashboardOptions = {}): cloudwatch.Dashboard {
    return createDashboard(this, id, this, options);
  }

  public onEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, options);
  }

  public onStatusChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, options, { detailType: [SERVICE_STATUS_CHANGE] });
  }

  public onOperationStatusChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, options, { detailType: [OPERATION_STATUS_CHANGE] });
  }

  public onDeploymentFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, options, {
      detailType: [OPERATION_STATUS_CHANGE],
      detail: { operationStatus: ['DeploymentFailed'] },
    });
  }

  public onDeploymentSucceeded(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, options, {
      detailType: [OPERATION_STATUS_CHANGE],
      detail: { operationStatus: ['DeploymentCompletedSuccessfully'] },
    });
  }

  public addCustomDomain(id: string, options: CustomDomainOptions): CustomDomain {
    return new CustomDomain(this, id, { ...options, service: this });
  }

  private logGroup(id: string, kind: 'service' | 'application'): logs.ILogGroup {
    const existing = this.node.tryFindChild(id) as logs.ILogGroup | undefined;
    return existing ?? logs.LogGroup.fromLogGroupName(this, id, logGroupNameOf(this, kind));
  }
}

/**
 * Attributes of an existing service.
 */
export interface AppRunnerWebServiceAttributes {
  /** The ARN of the service (`arn:aws:apprunner:<region>:<account>:service/<name>/<id>`). */
  readonly serviceArn: string;

  /**
   * The host name of the service's default domain (e.g. `abc123.us-east-1.awsapprunner.com`).
   * @default - unknown: reading `serviceUrl` or `url` throws
   */
  readonly serviceUrl?: string;

  /**
   * The service's instance role, so that grants to the service reach it.
   * @default - unknown: grants to the service add nothing and leave a warning
   */
  readonly instanceRole?: iam.IRole;
}

/**
 * How a private service is reached from a VPC.
 */
export interface PrivateEndpointOptions {
  /**
   * The VPC the service is reached from.
   */
  readonly vpc: ec2.IVpc;

  /**
   * An existing interface endpoint for App Runner requests
   * (`com.amazonaws.<region>.apprunner.requests`) in `vpc`; one endpoint can serve many services.
   * @default - an endpoint created for this service, without private DNS
   */
  readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;

  /**
   * The subnets of the created endpoint.
   * @default - one subnet per Availability Zone of the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the created endpoint; clients need HTTPS (443) to it.
   * @default - a new security group that allows HTTPS from the VPC's CIDR
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The name of the VPC ingress connection, 4-40 characters of letters, digits, `-` and `_`,
   * starting with a letter or digit.
   * @default - a name CloudFormation generates
   */
  readonly vpcIngressConnectionName?: string;
}

/**
 * Properties of an `AppRunnerWebService`.
 */
export interface AppRunnerWebServiceProps {
  /**
   * What the service runs: `Source.fromAsset(...)`, `Source.fromEcr(...)`,
   * `Source.fromEcrPublic(...)`, `Source.fromDockerImageAsset(...)` or `Source.fromCodeRepository(...)`.
   */
  readonly source: Source;

  /**
   * The name of the service, 4-40 characters of letters, digits, `-` and `_`, starting with a letter
   * or digit; unique per account and Region. Changing it replaces the service.
   * @default - a name CloudFormation generates
   */
  readonly serviceName?: string;

  /**
   * Virtual CPUs per instance. With `memory`, one of the 11 pairs App Runner accepts.
   * @default Cpu.ONE_VCPU
   */
  readonly cpu?: Cpu;

  /**
   * Memory per instance. With `cpu`, one of the 11 pairs App Runner accepts.
   * @default Memory.TWO_GB
   */
  readonly memory?: Memory;

  /**
   * Plain environment variables. Names may not be empty, start with `AWSAPPRUNNER` or be `PORT`.
   * Values are visible in the service configuration: use `secrets` for anything sensitive.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Environment variables read from Secrets Manager or SSM Parameter Store when an instance
   * starts. The instance role gets read access to each.
   * @default - none
   */
  readonly secrets?: { [name: string]: Secret };

  /**
   * The role the running code assumes for its AWS calls (trust: `tasks.apprunner.amazonaws.com`).
   * @default - a role is created when something needs one (a grant, a secret, tracing,
   *   `addToRolePolicy`); otherwise the service runs without one
   */
  readonly instanceRole?: iam.IRole;

  /**
   * The role App Runner uses to pull a private ECR image (trust: `build.apprunner.amazonaws.com`).
   * Only for `Source.fromAsset`, `Source.fromDockerImageAsset` and `Source.fromEcr`; the service
   * grants it pull rights on the repository.
   * @default - for private ECR and asset sources, a role shared by the services of this stack that
   *   pull from the same repository, allowed to pull from that repository only
   */
  readonly accessRole?: iam.IRole;

  /**
   * How App Runner decides that an instance is healthy.
   * @default - App Runner's default: TCP on the port, every 5 s, timeout 2 s, healthy after 1, unhealthy after 5
   */
  readonly healthCheck?: HealthCheck;

  /**
   * Creates an auto scaling configuration for this service. Use `autoScalingConfiguration`
   * instead to share one.
   * @default - the account's default auto scaling configuration
   */
  readonly autoScaling?: AutoScalingOptions;

  /**
   * An existing auto scaling configuration. Not together with `autoScaling`.
   * @default - the account's default auto scaling configuration
   */
  readonly autoScalingConfiguration?: IAutoScalingConfiguration;

  /**
   * Creates an X-Ray observability configuration and lets the instance role write traces.
   * The application must be instrumented with the AWS Distro for OpenTelemetry.
   * @default false
   */
  readonly tracing?: boolean;

  /**
   * An existing observability configuration; the instance role may then write traces.
   * Not together with `tracing`.
   * @default - no observability configuration
   */
  readonly observabilityConfiguration?: IObservabilityConfiguration;

  /**
   * Whether the service answers on the internet. A private service needs a VPC ingress connection.
   * @default true
   */
  readonly publiclyAccessible?: boolean;

  /**
   * Makes the service reachable from a VPC only: creates (or takes) the interface VPC endpoint
   * for App Runner requests and the VPC ingress connection, and turns the public endpoint off.
   * @default - no private endpoint
   */
  readonly privateEndpoint?: PrivateEndpointOptions;

  /**
   * The VPC the service's outbound traffic goes to: creates a VPC connector in `vpcSubnets`
   * with `securityGroups`. The service then reaches the internet only through the VPC (a NAT
   * gateway). Use `vpcConnector` instead to share one connector.
   * @default - outbound traffic goes to the internet directly
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of the VPC connector created for `vpc`.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the VPC connector created for `vpc`.
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * An existing VPC connector for the service's outbound traffic. Not together with `vpc`.
   * @default - the connector created for `vpc`, if any
   */
  readonly vpcConnector?: IVpcConnector;

  /**
   * A custom domain for the service; `addCustomDomain` adds more.
   * @default - only the domain App Runner gives the service
   */
  readonly customDomain?: CustomDomainOptions;

  /**
   * A regional AWS WAF web ACL that filters the service's requests.
   * @default - no web ACL
   */
  readonly webAcl?: WebAcl;

  /**
   * The IP versions of the public endpoint. Dual stack needs a public endpoint.
   * @default IpAddressType.IPV4
   */
  readonly ipAddressType?: IpAddressType;

  /**
   * A customer managed KMS key that encrypts the service's copy of source and logs. Changing it
   * replaces the service. A key, not an alias: App Runner takes a key ARN only.
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * Whether App Runner deploys by itself when the image tag or branch gets a new push.
   * Not possible for ECR Public.
   * @default - App Runner's default: true for private ECR in this account and for code repositories,
   *   false otherwise
   */
  readonly autoDeploymentsEnabled?: boolean;

  /**
   * How long CloudWatch keeps the service's logs: applied to both log groups App Runner writes
   * (`serviceLogGroup` and `applicationLogGroup`) by a custom resource that sets the retention
   * of the existing groups (creating them when App Runner has not yet), so nothing App Runner
   * created is replaced. The groups outlive the service.
   * @default - App Runner's default: logs never expire
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Tags for the service and everything it owns (the shared access role, used by other services
   * too, carries the stack's tags only). App Runner replaces a service whose tags change.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * An AWS App Runner web service (`AWS::AppRunner::Service`), with the roles, auto scaling and
 * observability configuration it needs.
 *
 * @example
 * new AppRunnerWebService(this, 'Web', {
 *   source: Source.fromEcrPublic('public.ecr.aws/aws-containers/hello-app-runner:latest', { port: 8000 }),
 * });
 */
export class AppRunnerWebService extends AppRunnerWebServiceBase implements ec2.IConnectable {
  /**
   * An existing service, by ARN. Its URL is unknown (see `fromServiceAttributes`) and grants to it
   * reach no role; grants on it work.
   */
  public static fromServiceArn(scope: Construct, id: string, serviceArn: string): IAppRunnerWebService {
    return AppRunnerWebService.fromServiceAttributes(scope, id, { serviceArn });
  }

  /**
   * An existing service, with the attributes you know.
   */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: AppRunnerWebServiceAttributes): IAppRunnerWebService {
    return new ImportedWebService(scope, id, attrs);
  }

  public readonly serviceArn: string;
  public readonly serviceId: string;
  public readonly serviceName: string;
  public readonly serviceUrl: string;
  public readonly serviceStatus: string;

  /**
   * The role App Runner pulls the image with; undefined for ECR Public and code repositories.
   */
  public readonly accessRole?: iam.IRole;

  /**
   * The auto scaling configuration, when one was given or created.
   */
  public readonly autoScalingConfiguration?: IAutoScalingConfiguration;

  /**
   * The observability configuration, when one was given or created.
   */
  public readonly observabilityConfiguration?: IObservabilityConfiguration;

  /**
   * The VPC connector of the service's outbound traffic, when one was given or created.
   */
  public readonly vpcConnector?: IVpcConnector;

  /**
   * The custom domain of the `customDomain` prop.
   */
  public readonly customDomain?: CustomDomain;

  /**
   * The interface endpoint a private service is reached through.
   */
  public readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;

  /**
   * The ARN of the VPC ingress connection of a private service.
   */
  public readonly vpcIngressConnectionArn?: string;

  /**
   * The domain name a private service answers on inside the VPC (from its VPC ingress connection).
   */
  public readonly privateDomainName?: string;

  private _instanceRole?: iam.IRole;
  private readonly source: SourceConfig;
  private readonly variables = new Map<string, string>();
  private readonly secrets = new Map<string, Secret>();

  constructor(scope: Construct, id: string, props: AppRunnerWebServiceProps) {
    super(scope, id, { physicalName: props.serviceName });

    validateName('serviceName', props.serviceName, 40);
    validateInstanceSize(props.cpu, props.memory);
    if (props.publiclyAccessible === false && props.ipAddressType === IpAddressType.DUAL_STACK) {
      throw new Error('`ipAddressType` DUAL_STACK needs a public endpoint, but `publiclyAccessible` is false');
    }
    if (props.autoScaling && props.autoScalingConfiguration) {
      throw new Error('give either `autoScaling` or `autoScalingConfiguration`, not both');
    }
    if (props.tracing !== undefined && props.observabilityConfiguration) {
      throw new Error('give either `tracing` or `observabilityConfiguration`, not both');
    }
    if (props.privateEndpoint && props.publiclyAccessible === true) {
      throw new Error('`privateEndpoint` makes the service private, but `publiclyAccessible` is true');
    }
    if (props.privateEndpoint && props.ipAddressType === IpAddressType.DUAL_STACK) {
      throw new Error('`ipAddressType` DUAL_STACK needs a public endpoint, but `privateEndpoint` makes the service private');
    }
    if (props.vpcConnector && props.vpc) {
      throw new Error('give either `vpc` (a connector is created) or `vpcConnector`, not both');
    }
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      throw new Error('`vpcSubnets` and `securityGroups` configure the connector created for `vpc`; give `vpc` too');
    }
    validateName('privateEndpoint.vpcIngressConnectionName', props.privateEndpoint?.vpcIngressConnectionName, 40);
    if (props.privateEndpoint?.vpcEndpoint && (props.privateEndpoint.vpcSubnets || props.privateEndpoint.securityGroups)) {
      throw new Error('`privateEndpoint.vpcSubnets` and `privateEndpoint.securityGroups` configure a created endpoint; an existing `vpcEndpoint` keeps its own');
    }
    if (props.kmsKey && isAlias(props.kmsKey)) {
      throw new Error('`kmsKey` must be a KMS key, not an alias: App Runner accepts a key ARN only');
    }

    this.source = props.source.bind(this);
    const image = this.source.image;
    const code = this.source.code;
    if (!image === !code) {
      throw new Error('a source must give exactly one of `image` and `code` from bind()');
    }
    const isPublicImage = image?.imageRepositoryType === ImageRepositoryType.ECR_PUBLIC;
    if (isPublicImage && props.autoDeploymentsEnabled) {
      throw new Error('`autoDeploymentsEnabled` is not possible for an ECR Public image');
    }

    this._instanceRole = props.instanceRole;
    this.accessRole = this.createAccessRole(props.accessRole);
    this.vpcConnector = props.vpcConnector ?? (props.vpc && new VpcConnector(this, 'VpcConnector', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
    }));
    const publiclyAccessible = props.privateEndpoint ? false : props.publiclyAccessible;

    if (props.autoScaling) {
      this.autoScalingConfiguration = new AutoScalingConfiguration(this, 'AutoScaling', props.autoScaling);
    } else {
      this.autoScalingConfiguration = props.autoScalingConfiguration;
    }
    if (props.tracing) {
      this.observabilityConfiguration = new ObservabilityConfiguration(this, 'Observability');
    } else {
      this.observabilityConfiguration = props.observabilityConfiguration;
    }
    if (this.observabilityConfiguration) {
      // A policy of its own, so the wildcard X-Ray requires can be explained to policy checkers
      // without covering the grants users add to the instance role.
      const tracingPolicy = new iam.Policy(this, 'TracingPolicy', {
        statements: [new iam.PolicyStatement({ actions: XRAY_WRITE_ACTIONS, resources: ['*'] })],
      });
      tracingPolicy.attachToRole(this.ensureInstanceRole());
      explainWildcard(tracingPolicy, 'X-Ray has no resource-level permissions for writing traces and sampling rules');
    }

    for (const [name, value] of Object.entries(image?.environment ?? {})) {
      this.addEnvironment(name, value);
    }
    const memoryMb = memoryInMb(props.memory);
    if (image?.instanceMemoryVariable && memoryMb !== undefined) {
      this.addEnvironment(image.instanceMemoryVariable, String(memoryMb));
    }
    for (const [name, value] of Object.entries(props.environment ?? {})) {
      this.addEnvironment(name, value);
    }
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      this.addSecret(name, secret);
    }

    const resource = new CfnService(this, 'Resource', {
      serviceName: props.serviceName,
      sourceConfiguration: {
        authenticationConfiguration: this.accessRole || code
          ? { accessRoleArn: this.accessRole?.roleArn, connectionArn: code?.connectionArn }
          : undefined,
        autoDeploymentsEnabled: props.autoDeploymentsEnabled,
        imageRepository: image && {
          imageIdentifier: image.imageIdentifier,
          imageRepositoryType: image.imageRepositoryType,
          imageConfiguration: {
            port: String(image.port ?? 8080),
            startCommand: image.startCommand,
            runtimeEnvironmentVariables: this.renderVariables(),
            runtimeEnvironmentSecrets: this.renderSecrets(),
          },
        },
        codeRepository: code && {
          repositoryUrl: code.repositoryUrl,
          sourceCodeVersion: { type: 'BRANCH', value: code.branch },
          sourceDirectory: code.sourceDirectory,
          codeConfiguration: {
            configurationSource: code.configuration.configurationSource,
            codeConfigurationValues: code.configuration.values && {
              runtime: code.configuration.values.runtime.name,
              buildCommand: code.configuration.values.buildCommand,
              startCommand: code.configuration.values.startCommand,
              port: String(code.configuration.values.port ?? 8080),
              runtimeEnvironmentVariables: this.renderVariables(),
              runtimeEnvironmentSecrets: this.renderSecrets(),
            },
          },
        },
      },
      // Lazy: the instance role may be created after this, by a grant.
      instanceConfiguration: Lazy.any({
        produce: (): CfnService.InstanceConfigurationProperty | undefined => {
          if (!props.cpu && !props.memory && !this._instanceRole) {
            return undefined;
          }
          return { cpu: props.cpu?.unit, memory: props.memory?.unit, instanceRoleArn: this._instanceRole?.roleArn };
        },
      }),
      healthCheckConfiguration: props.healthCheck?.bind(),
      autoScalingConfigurationArn: this.autoScalingConfiguration?.autoScalingConfigurationArn,
      observabilityConfiguration: this.observabilityConfiguration && {
        observabilityEnabled: true,
        observabilityConfigurationArn: this.observabilityConfiguration.observabilityConfigurationArn,
      },
      networkConfiguration: publiclyAccessible === undefined && props.ipAddressType === undefined && !this.vpcConnector ? undefined : {
        ingressConfiguration: publiclyAccessible === undefined
          ? undefined
          : { isPubliclyAccessible: publiclyAccessible },
        egressConfiguration: this.vpcConnector && { egressType: 'VPC', vpcConnectorArn: this.vpcConnector.vpcConnectorArn },
        ipAddressType: props.ipAddressType,
      },
      encryptionConfiguration: props.kmsKey && { kmsKey: props.kmsKey.keyArn },
    });
    // The first deployment pulls the image at once, and the code's first calls follow: the roles'
    // policies must exist by then. The roles themselves are ordered by their ARNs already, and
    // grants may still add policies after this constructor, so the dependencies are added last.
    Aspects.of(resource).add({
      visit: (node) => {
        if (node !== resource) return;
        const tracingPolicy = this.node.tryFindChild('TracingPolicy');
        for (const owner of [this.accessRole, this._instanceRole, tracingPolicy]) {
          for (const policy of owner?.node.findAll() ?? []) {
            const isRole = policy === owner?.node.defaultChild && owner !== tracingPolicy;
            if (CfnResource.isCfnResource(policy) && !isRole && Stack.of(policy) === Stack.of(resource)) {
              resource.addDependency(policy);
            }
          }
        }
      },
    });

    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }

    this.serviceArn = resource.attrServiceArn;
    this.serviceId = resource.attrServiceId;
    this.serviceUrl = resource.attrServiceUrl;
    this.serviceStatus = resource.attrStatus;
    this.serviceName = props.serviceName ?? nameInArn(resource.attrServiceArn);

    if (props.privateEndpoint) {
      const endpoint = props.privateEndpoint.vpcEndpoint ?? new ec2.InterfaceVpcEndpoint(this, 'RequestsEndpoint', {
        vpc: props.privateEndpoint.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.APP_RUNNER_REQUESTS,
        subnets: props.privateEndpoint.vpcSubnets,
        securityGroups: props.privateEndpoint.securityGroups,
        // App Runner answers on the ingress connection's own domain name, not on private DNS.
        privateDnsEnabled: false,
      });
      this.vpcEndpoint = endpoint;
      const ingress = new CfnVpcIngressConnection(this, 'VpcIngressConnection', {
        serviceArn: this.serviceArn,
        vpcIngressConnectionName: props.privateEndpoint.vpcIngressConnectionName,
        ingressVpcConfiguration: { vpcId: props.privateEndpoint.vpc.vpcId, vpcEndpointId: endpoint.vpcEndpointId },
      });
      this.vpcIngressConnectionArn = ingress.attrVpcIngressConnectionArn;
      this.privateDomainName = ingress.attrDomainName;
    }

    if (props.customDomain) {
      this.customDomain = this.addCustomDomain('CustomDomain', props.customDomain);
    }

    if (props.webAcl) {
      props.webAcl.associate(this, 'WebAclAssociation', this.serviceArn);
    }

    if (props.logRetention !== undefined) {
      for (const kind of ['service', 'application'] as const) {
        new logs.LogRetention(this, kind === 'service' ? 'ServiceLogRetention' : 'ApplicationLogRetention', {
          logGroupName: logGroupNameOf(this, kind),
          retention: props.logRetention,
        });
      }
      // The log-retention function is aws-cdk-lib's, one per stack.
      const singleton = Stack.of(this).node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
      if (singleton) {
        explainCdkHelper(singleton, "aws-cdk-lib's log-retention function");
      }
    }

    this.warnOnUnsupportedRegion();
  }

  /**
   * The security groups of the service's VPC connector, so that
   * `database.connections.allowDefaultPortFrom(service)` works. Only for a service with VPC egress.
   */
  public get connections(): ec2.Connections {
    if (!this.vpcConnector) {
      throw new Error(`service ${this.node.path} has no VPC egress, so no security groups: give \`vpc\` or \`vpcConnector\``);
    }
    return this.vpcConnector.connections;
  }

  /**
   * The instance role, once one was given or created (see `grantPrincipal`).
   */
  public get instanceRole(): iam.IRole | undefined {
    return this._instanceRole;
  }

  /**
   * The instance role; reading this creates it when none exists yet, so that
   * `table.grantReadWriteData(service)` and every other CDK grant work.
   */
  public get grantPrincipal(): iam.IPrincipal {
    return this.ensureInstanceRole();
  }

  /**
   * Adds a statement to the instance role's policy (creating the role if needed).
   */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.ensureInstanceRole().addToPrincipalPolicy(statement);
  }

  /**
   * Adds a plain environment variable.
   */
  public addEnvironment(name: string, value: string): void {
    this.checkVariableName(name);
    this.variables.set(name, value);
  }

  /**
   * Adds an environment variable read from Secrets Manager or SSM Parameter Store, and grants
   * the instance role read access to it.
   */
  public addSecret(name: string, secret: Secret): void {
    this.checkVariableName(name);
    this.secrets.set(name, secret);
    secret.grantRead(this);
  }

  private ensureInstanceRole(): iam.IRole {
    if (!this._instanceRole) {
      this._instanceRole = new iam.Role(this, 'InstanceRole', {
        assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
        description: 'Instance role of an App Runner service: the permissions of the running code',
      });
    }
    return this._instanceRole;
  }

  private createAccessRole(given: iam.IRole | undefined): iam.IRole | undefined {
    const repository = this.source.ecrRepository;
    if (!repository) {
      if (given) {
        throw new Error('`accessRole` is only for private ECR and asset sources; this source needs none');
      }
      return undefined;
    }
    if (given) {
      repository.grantPull(given);
      repository.grant(given, ...ECR_DESCRIBE_ACTIONS);
      return given;
    }
    return sharedAccessRole(this, repository);
  }

  private checkVariableName(name: string): void {
    const code = this.source.code;
    if (code && code.configuration.configurationSource === ConfigurationSource.REPOSITORY) {
      throw new Error(
        `environment variable '${name}' cannot be set: the source takes its configuration from apprunner.yaml; ` +
        'set it there, or use CodeConfiguration.fromApi',
      );
    }
    if (Token.isUnresolved(name)) {
      return;
    }
    if (name === '') {
      throw new Error('environment variable names must not be empty');
    }
    if (name.toUpperCase().startsWith('AWSAPPRUNNER')) {
      throw new Error(`environment variable '${name}' is reserved: names starting with AWSAPPRUNNER belong to App Runner`);
    }
    if (name === 'PORT') {
      throw new Error("environment variable 'PORT' is reserved: App Runner sets it to the source's `port`");
    }
    if (this.variables.has(name) || this.secrets.has(name)) {
      const kind = this.variables.has(name) ? 'a plain variable' : 'a secret';
      throw new Error(`environment variable '${name}' is already defined as ${kind}; each name may be used once across environment and secrets`);
    }
  }

  private renderVariables(): CfnService.KeyValuePairProperty[] | undefined {
    return Lazy.any({
      produce: () => [...this.variables].map(([name, value]) => ({ name, value })),
    }, { omitEmptyArray: true }) as any;
  }

  private renderSecrets(): CfnService.KeyValuePairProperty[] | undefined {
    return Lazy.any({
      produce: () => [...this.secrets].map(([name, secret]) => ({ name, value: secret.arn })),
    }, { omitEmptyArray: true }) as any;
  }

  private warnOnUnsupportedRegion(): void {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && !APP_RUNNER_REGIONS.includes(region)) {
      Annotations.of(this).addWarningV2('cdk-apprunner-web-service:unsupportedRegion',
        `App Runner does not run in ${region}; a deployment there fails with "Unrecognized resource types". ` +
        `It runs in: ${APP_RUNNER_REGIONS.join(', ')}.`);
    }
  }
}

class ImportedWebService extends AppRunnerWebServiceBase {
  public readonly serviceArn: string;
  public readonly serviceId: string;
  public readonly serviceName: string;
  public readonly grantPrincipal: iam.IPrincipal;
  private readonly knownServiceUrl?: string;

  constructor(scope: Construct, id: string, attrs: AppRunnerWebServiceAttributes) {
    super(scope, id);
    this.serviceArn = attrs.serviceArn;
    // arn:<partition>:apprunner:<region>:<account>:service/<name>/<id>
    const parts = arnResourceParts(attrs.serviceArn, 2);
    if (!Token.isUnresolved(attrs.serviceArn) && (parts.length !== 2 || !parts[0] || !parts[1] || !attrs.serviceArn.includes(':service/'))) {
      throw new Error(`\`serviceArn\` must be arn:aws:apprunner:<region>:<account>:service/<name>/<id>, got '${attrs.serviceArn}'`);
    }
    [this.serviceName, this.serviceId] = parts;
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

/**
 * The access role of the services in `scope`'s stack that pull from `repository`: one role per
 * stack and repository, with pull rights on that repository only, so sharing it grants no service
 * more than its own role would. (Every role is a slow, serial step of a deployment.)
 */
function sharedAccessRole(scope: Construct, repository: ecr.IRepository): iam.IRole {
  const stack = Stack.of(scope);
  const key = createHash('sha256').update(JSON.stringify(stack.resolve(repository.repositoryArn))).digest('hex').slice(0, 8);
  const id = `AppRunnerAccessRole${key}`;
  const existing = stack.node.tryFindChild(id) as iam.IRole | undefined;
  if (existing) {
    return existing;
  }
  const role = new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
    description: 'Access role of the App Runner services of this stack that pull from one ECR repository',
  });
  repository.grantPull(role);
  repository.grant(role, ...ECR_DESCRIBE_ACTIONS);
  explainWildcard(role.node.findChild('DefaultPolicy'), 'ecr:GetAuthorizationToken has no resource-level permissions; the pull actions are scoped to the repository');
  return role;
}

/** The name of one of the log groups App Runner creates for a service. */
function logGroupNameOf(service: IAppRunnerWebService, kind: 'service' | 'application'): string {
  return `/aws/apprunner/${service.serviceName}/${service.serviceId}/${kind}`;
}

/** The `maxSize` of the service's own auto scaling configuration, when this app knows it. */
function knownScalingMaximum(service: IAppRunnerWebService): number | undefined {
  const configuration = service instanceof AppRunnerWebService ? service.autoScalingConfiguration : undefined;
  const maxSize = configuration instanceof AutoScalingConfiguration ? configuration.maxSize : undefined;
  return maxSize !== undefined && !Token.isUnresolved(maxSize) ? maxSize : undefined;
}

function isAlias(key: kms.IKey): boolean {
  return 'aliasName' in key;
}
