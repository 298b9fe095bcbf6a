import { Annotations, Fn, Lazy, Resource, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnExpressGatewayService } from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AutoScalingOptions } from './auto-scaling';
import { HealthCheck, HealthCheckProtocol } from './health-check';
import { Cpu, Memory } from './instance-size';
import type { RecommendedAlarms, RecommendedAlarmsOptions, WebServiceDashboardOptions } from './monitoring';
import { DEFAULT_PORT } from './private/app-runner-defaults';
import { EnvironmentMap } from './private/environment';
import { ExpressMetricSource, albMetric, ecsMetric } from './private/express-metrics';
import { fargateSizeProblem } from './private/fargate';
import { cpuUnits, memoryMb } from './private/instance-units';
import { cloudwatch as loadCloudwatch, lazy } from './private/lazy';
import { explainManagedPolicy, explainWildcard } from './private/nag';
import { dependOnPolicies } from './private/policy-dependencies';
import { validateIntegerRange, withPath } from './private/validation';
import { Secret } from './secret';
import { Source } from './source';
import { IWebService } from './web-service-contract';

/* eslint-disable @typescript-eslint/no-require-imports */
const monitoring = lazy(() => require('./monitoring') as typeof import('./monitoring'));
const dashboard = lazy(() => require('./private/dashboard') as typeof import('./private/dashboard'));
const metrics = lazy(() => require('./private/metrics') as typeof import('./private/metrics'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** The AWS managed policy of the role ECS Express manages the load balancer, scaling and networking with. */
const INFRASTRUCTURE_POLICY = 'service-role/AmazonECSInfrastructureRoleforExpressGatewayServices';
/** Express allows up to this many services per load balancer; no task-count limit is documented: App Runner's default maximum is kept. */
const DEFAULT_MAX_TASKS = 25;

/**
 * The metric an Express service scales on (`ScalingTarget.AutoScalingMetric`).
 */
export enum ExpressScalingMetric {
  /** Average CPU utilization of the tasks, in percent (Express's default, target 60). */
  AVERAGE_CPU = 'AVERAGE_CPU',
  /** Average memory utilization of the tasks, in percent. */
  AVERAGE_MEMORY = 'AVERAGE_MEMORY',
  /**
   * Requests per task per minute (the load balancer's `RequestCountPerTarget`). The nearest
   * thing to App Runner's `maxConcurrency`: a target of about concurrency × 60 ÷ the average
   * request time in seconds.
   */
  REQUEST_COUNT_PER_TARGET = 'REQUEST_COUNT_PER_TARGET',
}

/**
 * An ECS Express Mode web service, owned by this app or imported.
 */
export interface IEcsExpressWebService extends IWebService {
  /**
   * The ARN of the ECS service.
   * @attribute
   */
  readonly serviceArn: string;

  /**
   * The name of the ECS service (the `ServiceName` dimension of its `AWS/ECS` metrics).
   */
  readonly serviceName: string;

  /**
   * The name of the cluster the service runs in.
   */
  readonly clusterName: string;
}

/**
 * Properties of an `EcsExpressWebService`: the same names as `AppRunnerWebServiceProps` where
 * the meaning carries over, so that moving a service is a change of class name.
 */
export interface EcsExpressWebServiceProps {
  /**
   * The image to run: `Source.fromAsset`, `fromDockerImageAsset`, `fromEcr`, `fromEcrPublic` or
   * `fromSampleServer`. Express runs images only: a code repository must be built into an image first.
   */
  readonly source: Source;

  /**
   * The ECS service name. A change replaces the service (and its URL).
   * @default - a name CloudFormation generates
   */
  readonly serviceName?: string;

  /**
   * The ECS cluster, by name or ARN. A change replaces the service.
   * @default 'default' (Express creates it when it does not exist)
   */
  readonly cluster?: string;

  /**
   * CPU of each task: the same `Cpu` values as App Runner's, as Fargate CPU units.
   * @default Cpu.ONE_VCPU
   */
  readonly cpu?: Cpu;

  /**
   * Memory of each task, a Fargate size for the CPU.
   * @default Memory.TWO_GB
   */
  readonly memory?: Memory;

  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets from Secrets Manager or SSM, as environment variables. ECS reads them with the
   * execution role, which is granted read (and `kms:Decrypt` where a customer key encrypts them).
   * @default - none
   */
  readonly secrets?: { [name: string]: Secret };

  /**
   * The health check: an HTTP path. Express checks over HTTP only, with the load balancer's
   * timing (not configurable here).
   * @default HealthCheck.http({ path: '/' })
   */
  readonly healthCheck?: HealthCheck;

  /**
   * Task counts: `minSize` (default 1) and `maxSize` (default 25). `maxConcurrency` has no
   * Express equivalent: use `scalingMetric: ExpressScalingMetric.REQUEST_COUNT_PER_TARGET`.
   * @default - 1 to 25 tasks
   */
  readonly autoScaling?: AutoScalingOptions;

  /**
   * What the service scales on.
   * @default ExpressScalingMetric.AVERAGE_CPU
   */
  readonly scalingMetric?: ExpressScalingMetric;

  /**
   * The value of `scalingMetric` scaling keeps the service at (percent, or requests per task per minute).
   * @default 60
   */
  readonly scalingTargetValue?: number;

  /**
   * The VPC of the tasks and the load balancer. Private subnets make the load balancer internal
   * (a private service).
   * @default - the account's default VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets, with `vpc`.
   * @default - the VPC's private subnets, else its public ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The tasks' security groups, with `vpc`.
   * @default - one is created
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The role the application's AWS calls use; grants to the service go to it.
   * @default - created when something is granted
   */
  readonly taskRole?: iam.IRole;

  /**
   * The role ECS pulls the image, writes the logs and reads the secrets with.
   * @default - created, with exactly those permissions
   */
  readonly executionRole?: iam.IRole;

  /**
   * The role Express manages the load balancer, scaling and networking with. A change replaces the service.
   * @default - created, with the AWS managed policy for Express
   */
  readonly infrastructureRole?: iam.IRole;

  /**
   * How long the container's log lines are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Tags of the service. A change replaces an Express service and gives it a new URL.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * Attributes of an Express service defined elsewhere.
 */
export interface EcsExpressWebServiceAttributes {
  /** The ARN of the ECS service (`arn:…:service/<cluster>/<service>`). */
  readonly serviceArn: string;
  /**
   * Its host name (the `Endpoint` attribute), for `url`.
   * @default - no `url`
   */
  readonly endpoint?: string;
  /**
   * The load balancer Express put the service behind, for the request metrics and alarms.
   * @default - no load balancer metrics
   */
  readonly loadBalancerArn?: string;
  /**
   * The service's target group, with `loadBalancerArn`.
   * @default - no load balancer metrics
   */
  readonly targetGroupArn?: string;
  /**
   * The service's task role, for grants to the service.
   * @default - grants to the service are not possible
   */
  readonly taskRole?: iam.IRole;
}

/**
 * What an owned Express service and an imported one share: metrics, alarms and a dashboard.
 */
export abstract class EcsExpressWebServiceBase extends Resource implements IEcsExpressWebService {
  public abstract readonly serviceArn: string;
  public abstract readonly serviceName: string;
  public abstract readonly clusterName: string;
  public abstract readonly url: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;
  /**
   * Where the service's metrics are.
   * @internal
   */
  protected abstract readonly _metricSource: ExpressMetricSource;
  /**
   * The most tasks the service scales to, for the recommended alarm on it.
   * @internal
   */
  protected _maxTasks?: number;

  /** The load balancer reports target response time in seconds. */
  public get requestLatencyUnit(): cloudwatch.Unit {
    return loadCloudwatch().Unit.SECONDS;
  }

  /** Requests the load balancer sent to the service (`RequestCount`). @default - Sum over 5 minutes */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'RequestCount', props);
  }

  /** Responses 2xx from the service (`HTTPCode_Target_2XX_Count`). @default - Sum over 5 minutes */
  public metricHttp2xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'HTTPCode_Target_2XX_Count', props);
  }

  /** Responses 4xx from the service (`HTTPCode_Target_4XX_Count`). @default - Sum over 5 minutes */
  public metricHttp4xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'HTTPCode_Target_4XX_Count', props);
  }

  /** Responses 5xx from the service (`HTTPCode_Target_5XX_Count`). @default - Sum over 5 minutes */
  public metricHttp5xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'HTTPCode_Target_5XX_Count', props);
  }

  /** The share of requests answered with 5xx, in percent. @default - over 5 minutes */
  public metricHttp5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return metrics().http5xxRate(this, props);
  }

  /** Time from request to response, in seconds (`TargetResponseTime`). @default - Average over 5 minutes */
  public metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'TargetResponseTime', props);
  }

  /** Healthy tasks behind the load balancer (`HealthyHostCount`). @default - Maximum over 5 minutes */
  public metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return albMetric(this._metricSource, 'HealthyHostCount', props);
  }

  /** CPU utilization of the tasks, in percent (`AWS/ECS` `CPUUtilization`). @default - Average over 5 minutes */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ecsMetric(this._metricSource, 'CPUUtilization', props);
  }

  /** Memory utilization of the tasks, in percent (`AWS/ECS` `MemoryUtilization`). @default - Average over 5 minutes */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ecsMetric(this._metricSource, 'MemoryUtilization', props);
  }

  public addRecommendedAlarms(id: string, options: RecommendedAlarmsOptions = {}): RecommendedAlarms {
    return new (monitoring().RecommendedAlarms)(this, id, { ...options, service: this, scalingMaximum: options.scalingMaximum ?? this._maxTasks });
  }

  public addDashboard(id: string, options: WebServiceDashboardOptions = {}): cloudwatch.Dashboard {
    return dashboard().createDashboard(this, id, this, options);
  }
}

/**
 * A web service on Amazon ECS Express Mode (`AWS::ECS::ExpressGatewayService`), App Runner's
 * successor: an image, Fargate tasks, an HTTPS load balancer, scaling and logs, with the same
 * sources, sizes, environment, secrets, health check and scaling options as `AppRunnerWebService`,
 * and the same grants, URL, metrics, alarms and dashboard (`IWebService`).
 */
export class EcsExpressWebService extends EcsExpressWebServiceBase implements ec2.IConnectable {
  /**
   * An Express service defined elsewhere, by ARN: ECS metrics; no URL, load balancer metrics or grants.
   */
  public static fromServiceArn(scope: Construct, id: string, serviceArn: string): IEcsExpressWebService {
    return EcsExpressWebService.fromServiceAttributes(scope, id, { serviceArn });
  }

  /**
   * An Express service defined elsewhere, with what is known of it.
   */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: EcsExpressWebServiceAttributes): IEcsExpressWebService {
    return new ImportedEcsExpressWebService(scope, id, attrs);
  }

  public readonly serviceArn: string;
  public readonly serviceName: string;
  public readonly clusterName: string;
  /** The service's host name (the `Endpoint` attribute). */
  public readonly endpoint: string;
  public readonly url: string;
  /** The load balancer Express put the service behind (shared with up to 24 other services). */
  public readonly loadBalancerArn: string;
  /** The role ECS pulls, logs and reads secrets with. */
  public readonly executionRole: iam.IRole;
  /** The role Express manages the load balancer, scaling and networking with. */
  public readonly infrastructureRole: iam.IRole;
  /** The container's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The tasks' security groups (with `vpc`). */
  public readonly connections: ec2.Connections;
  /** @internal */
  protected readonly _metricSource: ExpressMetricSource;
  private _taskRole?: iam.IRole;
  private readonly environment: EnvironmentMap;

  constructor(scope: Construct, id: string, props: EcsExpressWebServiceProps) {
    super(scope, id, { physicalName: props.serviceName });
    const settings = withPath(this, () => checkProps(props));
    const bound = props.source.bind(this);
    const image = withPath(this, () => {
      if (!bound.image) {
        throw new Error('`source`: ECS Express runs images only; build the code into an image first (Source.fromAsset with its Dockerfile)');
      }
      return bound.image;
    });

    this.executionRole = props.executionRole ?? new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'ECS pulls the image, writes the logs and reads the secrets of this service with it',
    });
    this.infrastructureRole = props.infrastructureRole ?? new iam.Role(this, 'InfrastructureRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(INFRASTRUCTURE_POLICY)],
      description: 'ECS Express manages the load balancer, scaling and networking of this service with it',
    });
    // Created only when something is granted to the service (see grantPrincipal).
    this._taskRole = props.taskRole;

    if (!props.infrastructureRole) {
      explainManagedPolicy(this.infrastructureRole, 'ECS Express manages the load balancer, certificates, scaling and networking with the '
        + 'AWS managed infrastructure policy for Express, as AWS documents it; AWS keeps it in step with what Express creates');
    }
    bound.ecrRepository?.grantPull(this.executionRole);
    if (bound.ecrRepository && !props.executionRole) {
      explainWildcard(this.executionRole.node.findChild('DefaultPolicy'),
        'ecr:GetAuthorizationToken has no resource-level permissions; the pull actions are scoped to the repository');
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.logGroup.grantWrite(this.executionRole);

    this.environment = new EnvironmentMap(this.node.path, () => undefined);
    for (const [name, value] of Object.entries(image.environment ?? {})) this.environment.setVariable(name, value, 'the source');
    if (image.instanceMemoryVariable) {
      this.environment.setVariable(image.instanceMemoryVariable, String(settings.memory), 'the source (the task memory)');
    }
    for (const [name, value] of Object.entries(props.environment ?? {})) this.environment.setVariable(name, value, '`environment`');
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      this.environment.setSecret(name, secret, '`secrets`');
      secret.grantRead(this.executionRole);
    }

    const securityGroups = props.vpc
      ? props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: 'Tasks of the ECS Express service' })]
      : [];
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(image.port ?? DEFAULT_PORT) });

    const resource = new CfnExpressGatewayService(this, 'Resource', {
      serviceName: props.serviceName,
      cluster: props.cluster,
      cpu: String(settings.cpu),
      memory: String(settings.memory),
      executionRoleArn: this.executionRole.roleArn,
      infrastructureRoleArn: this.infrastructureRole.roleArn,
      taskRoleArn: Lazy.string({ produce: () => this._taskRole?.roleArn }),
      healthCheckPath: settings.healthCheckPath,
      primaryContainer: {
        image: image.imageIdentifier,
        containerPort: image.port ?? DEFAULT_PORT,
        command: image.startCommand ? ['/bin/sh', '-c', image.startCommand] : undefined,
        environment: this.environment.renderVariables(),
        secrets: this.environment.renderSecrets('valueFrom'),
        awsLogsConfiguration: { logGroup: this.logGroup.logGroupName, logStreamPrefix: 'ecs' },
      },
      scalingTarget: {
        minTaskCount: settings.minTasks,
        maxTaskCount: settings.maxTasks,
        autoScalingMetric: props.scalingMetric ?? ExpressScalingMetric.AVERAGE_CPU,
        autoScalingTargetValue: props.scalingTargetValue ?? 60,
      },
      networkConfiguration: props.vpc ? {
        subnets: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
        securityGroups: securityGroups.map(group => group.securityGroupId),
      } : undefined,
      tags: Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    if (props.tags && Object.keys(props.tags).length > 0) {
      Annotations.of(this).addWarningV2('cdk-apprunner-web-service:expressTagsReplace',
        'a change of the tags replaces an ECS Express service and gives it a new URL; put a custom domain in front before changing them');
    }
    // Its permissions exist before it starts, and are removed only after it is gone.
    dependOnPolicies(this, resource, () => [this.executionRole, this.infrastructureRole, this._taskRole]);

    this._maxTasks = settings.maxTasks;
    this.serviceArn = resource.ref;
    this.endpoint = resource.attrEndpoint;
    this.url = `https://${resource.attrEndpoint}`;
    this.loadBalancerArn = resource.attrEcsManagedResourceArnsIngressPathLoadBalancerArn;
    [this.clusterName, this.serviceName] = clusterAndService(this.serviceArn);
    this._metricSource = {
      scope: this,
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      loadBalancerArn: this.loadBalancerArn,
      // Express routes the service's traffic to its first target group.
      targetGroupArn: Fn.select(0, resource.attrEcsManagedResourceArnsIngressPathTargetGroupArns),
    };
  }

  /**
   * The task role, once one was given or created (see `grantPrincipal`).
   */
  public get taskRole(): iam.IRole | undefined {
    return this._taskRole;
  }

  /**
   * The task role (the permissions of the running code); reading this creates it when none
   * exists yet, so that `table.grantReadWriteData(service)` and every other CDK grant work.
   */
  public get grantPrincipal(): iam.IPrincipal {
    this._taskRole ??= new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Task role of an ECS Express service: the permissions of the running code',
    });
    return this._taskRole;
  }
}

class ImportedEcsExpressWebService extends EcsExpressWebServiceBase {
  public readonly serviceArn: string;
  public readonly serviceName: string;
  public readonly clusterName: string;
  public readonly grantPrincipal: iam.IPrincipal;
  /** @internal */
  protected readonly _metricSource: ExpressMetricSource;
  private readonly endpoint?: string;

  constructor(scope: Construct, id: string, attrs: EcsExpressWebServiceAttributes) {
    super(scope, id);
    this.serviceArn = attrs.serviceArn;
    [this.clusterName, this.serviceName] = withPath(this, () => clusterAndService(attrs.serviceArn));
    this.endpoint = attrs.endpoint;
    this.grantPrincipal = attrs.taskRole ?? new iam.UnknownPrincipal({ resource: this });
    this._metricSource = {
      scope: this,
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      loadBalancerArn: attrs.loadBalancerArn,
      targetGroupArn: attrs.targetGroupArn,
    };
  }

  public get url(): string {
    if (this.endpoint === undefined) {
      throw new Error(`${this.node.path}: the URL of an imported Express service needs its \`endpoint\` (EcsExpressWebService.fromServiceAttributes)`);
    }
    return `https://${this.endpoint}`;
  }
}

/** The settings of the props, checked: what Express cannot do is an error that names the prop and the alternative. */
function checkProps(props: EcsExpressWebServiceProps) {
  const cpu = units('cpu', (props.cpu ?? Cpu.ONE_VCPU).unit, cpuUnits);
  const memory = units('memory', (props.memory ?? Memory.TWO_GB).unit, memoryMb);
  if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memory)) {
    const problem = fargateSizeProblem(cpu, memory);
    if (problem) throw new Error(`\`cpu\` and \`memory\`: ${problem}`);
  }
  const healthCheck = props.healthCheck ?? HealthCheck.http({ path: '/' });
  if (healthCheck.protocol !== HealthCheckProtocol.HTTP) {
    throw new Error('`healthCheck`: ECS Express checks over HTTP only; use HealthCheck.http({ path }) with a path that answers 200');
  }
  const timing = (['interval', 'timeout', 'healthyThreshold', 'unhealthyThreshold'] as const).filter(option => healthCheck.options[option] !== undefined);
  if (timing.length > 0) {
    throw new Error(`\`healthCheck\`: ECS Express does not expose ${timing.join(', ')} (the load balancer's defaults apply); give only the path`);
  }
  if (props.autoScaling?.maxConcurrency !== undefined) {
    throw new Error('`autoScaling.maxConcurrency` has no ECS Express equivalent; use `scalingMetric: ExpressScalingMetric.REQUEST_COUNT_PER_TARGET` '
      + 'with `scalingTargetValue` ≈ concurrency × 60 ÷ the average request time in seconds (requests per task per minute)');
  }
  const minTasks = props.autoScaling?.minSize ?? 1;
  const maxTasks = props.autoScaling?.maxSize ?? DEFAULT_MAX_TASKS;
  validateIntegerRange('autoScaling.minSize', minTasks, 1, 1000);
  validateIntegerRange('autoScaling.maxSize', maxTasks, 1, 1000);
  if (!Token.isUnresolved(minTasks) && !Token.isUnresolved(maxTasks) && minTasks > maxTasks) {
    throw new Error(`\`autoScaling.minSize\` (${minTasks}) must not exceed \`autoScaling.maxSize\` (${maxTasks})`);
  }
  if (props.scalingTargetValue !== undefined && !Token.isUnresolved(props.scalingTargetValue)
    && !(Number.isInteger(props.scalingTargetValue) && props.scalingTargetValue > 0)) {
    throw new Error(`\`scalingTargetValue\` must be a positive integer, got ${props.scalingTargetValue}`);
  }
  if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
    throw new Error('`vpcSubnets` and `securityGroups` need `vpc`');
  }
  return { cpu, memory, healthCheckPath: healthCheck.path ?? '/', minTasks, maxTasks };
}

function units(prop: string, value: string, parse: (v: string) => number | undefined): number {
  const n = parse(value);
  if (n === undefined) throw new Error(`\`${prop}\` '${value}' is no size ECS Express can take`);
  return n;
}

/** The cluster and service names in an ECS service ARN (`…:service/<cluster>/<service>`). */
function clusterAndService(arn: string): [string, string] {
  if (!Token.isUnresolved(arn)) {
    const match = /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/([^/]+)\/([^/]+)$/.exec(arn);
    if (!match) throw new Error(`'${arn}' is no ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<service>)`);
    return [match[1], match[2]];
  }
  const parts = Fn.split('/', arn);
  return [Fn.select(1, parts), Fn.select(2, parts)];
}

