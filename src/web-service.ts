import { Annotations, Lazy, Resource, Stack, Tags, Token } from 'aws-cdk-lib';
import { CfnService, CfnVpcIngressConnection } from 'aws-cdk-lib/aws-apprunner';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, Dependable } from 'constructs';
import { AutoScalingConfiguration, IAutoScalingConfiguration } from './auto-scaling';
import { ConfigurationSource } from './code-configuration';
import type { CustomDomain } from './custom-domain';
import type { IObservabilityConfiguration } from './observability';
import { accessRoleFor } from './private/access-role';
import { XRAY_WRITE_ACTIONS } from './private/actions';
import { nameInArn } from './private/arn';
import { EnvironmentMap } from './private/environment';
import { memoryInMb } from './private/instance-pairs';
import { lazy, logs as loadLogs } from './private/lazy';
import { logGroupName } from './private/log-groups';
import { explainCdkHelper, explainWildcard } from './private/nag';
import { dependOnPolicies } from './private/policy-dependencies';
import { APP_RUNNER_REGIONS } from './private/regions';
import { renderSourceConfiguration } from './private/render-source';
import { validateProps } from './private/validate-props';
import { withPath } from './private/validation';
import { Secret } from './secret';
import { ImageRepositoryType, SourceConfig } from './source';
import type { IVpcConnector } from './vpc-connector';
import { AppRunnerWebServiceAttributes, AppRunnerWebServiceBase, IAppRunnerWebService } from './web-service-base';
import { AppRunnerWebServiceProps, PrivateEndpointOptions } from './web-service-props';

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: only a service with VPC egress or tracing, or an import, needs them.
const observability = lazy(() => require('./observability') as typeof import('./observability'));
const vpcConnector = lazy(() => require('./vpc-connector') as typeof import('./vpc-connector'));
const imported = lazy(() => require('./private/imported-web-service') as typeof import('./private/imported-web-service'));
/* eslint-enable @typescript-eslint/no-require-imports */

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
    return new (imported().ImportedWebService)(scope, id, attrs);
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
  private readonly environment: EnvironmentMap;

  constructor(scope: Construct, id: string, props: AppRunnerWebServiceProps) {
    super(scope, id, { physicalName: props.serviceName });
    withPath(this, () => validateProps(props));

    this.source = props.source.bind(this);
    const { image, code } = this.source;
    if (!image === !code) {
      throw new Error(`${this.node.path}: a source must give exactly one of \`image\` and \`code\` from bind()`);
    }
    if (image?.imageRepositoryType === ImageRepositoryType.ECR_PUBLIC && props.autoDeploymentsEnabled) {
      throw new Error(`${this.node.path}: \`autoDeploymentsEnabled\` is not possible for an ECR Public image`);
    }
    this.environment = new EnvironmentMap(this.node.path, (name) => this.reservedName(name));

    this._instanceRole = props.instanceRole;
    if (this.source.ecrRepository) {
      this.accessRole = accessRoleFor(this, this.source.ecrRepository, props.accessRole);
    } else if (props.accessRole) {
      throw new Error(`${this.node.path}: \`accessRole\` is only for private ECR and asset sources; this source needs none`);
    }
    this.vpcConnector = props.vpcConnector ?? (props.vpc && new (vpcConnector().VpcConnector)(this, 'VpcConnector', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
    }));

    this.autoScalingConfiguration = props.autoScaling
      ? new AutoScalingConfiguration(this, 'AutoScaling', props.autoScaling)
      : props.autoScalingConfiguration;
    // The alarms' scaling maximum, when this app made the configuration (inline or shared).
    if (this.autoScalingConfiguration instanceof AutoScalingConfiguration && !Token.isUnresolved(this.autoScalingConfiguration.maxSize)) {
      this._scalingMaximum = this.autoScalingConfiguration.maxSize;
    }
    this.observabilityConfiguration = props.tracing
      ? new (observability().ObservabilityConfiguration)(this, 'Observability')
      : props.observabilityConfiguration;
    const tracingPolicy = this.observabilityConfiguration && this.allowTracing();

    for (const [name, value] of Object.entries(image?.environment ?? {})) {
      this.environment.setVariable(name, value, 'the source');
    }
    const memoryMb = memoryInMb(props.memory);
    if (image?.instanceMemoryVariable && memoryMb !== undefined) {
      this.environment.setVariable(image.instanceMemoryVariable, String(memoryMb), 'the source (the instance memory)');
    }
    for (const [name, value] of Object.entries(props.environment ?? {})) {
      this.environment.setVariable(name, value, '`environment`');
    }
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      this.setSecret(name, secret, '`secrets`');
    }

    const publiclyAccessible = props.privateEndpoint ? false : props.publiclyAccessible;
    const resource = new CfnService(this, 'Resource', {
      serviceName: props.serviceName,
      sourceConfiguration: renderSourceConfiguration(this.source, {
        accessRoleArn: this.accessRole?.roleArn,
        autoDeploymentsEnabled: props.autoDeploymentsEnabled,
        variables: this.environment.renderVariables(),
        secrets: this.environment.renderSecrets(),
      }),
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
    // policies must exist by then (the roles themselves are ordered by their ARNs already).
    dependOnPolicies(this, resource, () => [this.accessRole, this._instanceRole, tracingPolicy]);

    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }

    this.serviceArn = resource.attrServiceArn;
    this.serviceId = resource.attrServiceId;
    this.serviceUrl = resource.attrServiceUrl;
    this.serviceStatus = resource.attrStatus;
    this.serviceName = props.serviceName ?? nameInArn(resource.attrServiceArn);

    if (props.privateEndpoint) {
      [this.vpcEndpoint, this.vpcIngressConnectionArn, this.privateDomainName] = this.createPrivateEndpoint(props.privateEndpoint);
    }
    if (props.customDomain) {
      this.customDomain = this.addCustomDomain('CustomDomain', props.customDomain);
    }
    if (props.webAcl) {
      props.webAcl.associate(this, 'WebAclAssociation', this.serviceArn);
    }
    if (props.logRetention !== undefined) {
      this.setLogRetention(props.logRetention);
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
    this.environment.setVariable(name, value, 'addEnvironment()');
  }

  /**
   * Adds an environment variable read from Secrets Manager or SSM Parameter Store, and grants
   * the instance role read access to it.
   */
  public addSecret(name: string, secret: Secret): void {
    this.setSecret(name, secret, 'addSecret()');
  }

  private setSecret(name: string, secret: Secret, setBy: string): void {
    this.environment.setSecret(name, secret, setBy);
    secret.grantRead(this);
  }

  /** Why App Runner keeps `name` for itself, or undefined when it is free for the service. */
  private reservedName(name: string): string | undefined {
    const code = this.source.code;
    if (code && code.configuration.configurationSource === ConfigurationSource.REPOSITORY) {
      return 'cannot be set: the source takes its configuration from apprunner.yaml; set it there, or use CodeConfiguration.fromApi';
    }
    if (name.toUpperCase().startsWith('AWSAPPRUNNER')) {
      return 'is reserved: names starting with AWSAPPRUNNER belong to App Runner';
    }
    if (name === 'PORT') {
      return "is reserved: App Runner sets it to the source's `port`";
    }
    return undefined;
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

  /**
   * Lets the instance role write traces. A role of this app gets a policy of its own, so that the
   * wildcard X-Ray requires can be explained to policy checkers without covering the grants users
   * add. A role imported as immutable is left alone, with a warning: its owner must add them.
   */
  private allowTracing(): iam.Policy | undefined {
    const role = this.ensureInstanceRole();
    const statement = new iam.PolicyStatement({ actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
    if (!Resource.isOwnedResource(role)) {
      // An immutable role answers "added" but has no policy to wait for: nothing was written.
      const result = role.addToPrincipalPolicy(statement);
      if (!result.statementAdded || !result.policyDependable || Dependable.of(result.policyDependable).dependencyRoots.length === 0) {
        Annotations.of(this).addWarningV2('cdk-apprunner-web-service:tracingOnImmutableRole',
          `tracing needs ${XRAY_WRITE_ACTIONS.join(', ')} on the instance role, which was imported as immutable: add them to that role`);
      }
      return undefined;
    }
    const tracingPolicy = new iam.Policy(this, 'TracingPolicy', { statements: [statement] });
    tracingPolicy.attachToRole(role);
    explainWildcard(tracingPolicy, 'X-Ray has no resource-level permissions for writing traces and sampling rules');
    return tracingPolicy;
  }

  /** The interface endpoint and the VPC ingress connection of a private service. */
  private createPrivateEndpoint(options: PrivateEndpointOptions): [ec2.IInterfaceVpcEndpoint, string, string] {
    const endpoint = options.vpcEndpoint ?? new ec2.InterfaceVpcEndpoint(this, 'RequestsEndpoint', {
      vpc: options.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.APP_RUNNER_REQUESTS,
      subnets: options.vpcSubnets,
      securityGroups: options.securityGroups,
      // App Runner answers on the ingress connection's own domain name, not on private DNS.
      privateDnsEnabled: false,
    });
    const ingress = new CfnVpcIngressConnection(this, 'VpcIngressConnection', {
      serviceArn: this.serviceArn,
      vpcIngressConnectionName: options.vpcIngressConnectionName,
      ingressVpcConfiguration: { vpcId: options.vpc.vpcId, vpcEndpointId: endpoint.vpcEndpointId },
    });
    return [endpoint, ingress.attrVpcIngressConnectionArn, ingress.attrDomainName];
  }

  /** Retention of both log groups App Runner writes, through aws-cdk-lib's LogRetention. */
  private setLogRetention(retention: logs.RetentionDays): void {
    const stack = Stack.of(this);
    const before = new Set(stack.node.children);
    for (const kind of ['service', 'application'] as const) {
      new (loadLogs().LogRetention)(this, kind === 'service' ? 'ServiceLogRetention' : 'ApplicationLogRetention', {
        logGroupName: logGroupName(this, kind),
        retention,
      });
    }
    // The log-retention function is aws-cdk-lib's, one per stack: the first LogRetention adds it.
    for (const singleton of stack.node.children.filter(child => !before.has(child))) {
      explainCdkHelper(singleton, "aws-cdk-lib's log-retention function");
    }
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
