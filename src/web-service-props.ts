import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AutoScalingOptions, IAutoScalingConfiguration } from './auto-scaling';
import { CustomDomainOptions } from './custom-domain';
import { HealthCheck } from './health-check';
import { Cpu, Memory } from './instance-size';
import { IObservabilityConfiguration } from './observability';
import { Secret } from './secret';
import { Source } from './source';
import { IVpcConnector } from './vpc-connector';
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
   * replaces the service. A single-Region key, not an alias: the service's CloudFormation schema
   * takes the ARN of a key only (`key/<key id>`, not `alias/...` nor a multi-Region `key/mrk-...`).
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
