import { Resource } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { CustomDomain, CustomDomainOptions } from './custom-domain';
import type { RecommendedAlarms, RecommendedAlarmsOptions, WebServiceDashboardOptions } from './monitoring';
import { PAUSE_RESUME_ACTIONS, READ_ACTIONS, START_DEPLOYMENT_ACTIONS } from './private/actions';
import { cloudwatch as loadCloudwatch, lazy, logs as loadLogs } from './private/lazy';
import { logGroupName } from './private/log-groups';
import { IAppRunnerServiceRef } from './service-ref';
import { IWebService } from './web-service-contract';

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: an app that adds no alarm, dashboard, rule or domain does not load them.
const customDomain = lazy(() => require('./custom-domain') as typeof import('./custom-domain'));
const monitoring = lazy(() => require('./monitoring') as typeof import('./monitoring'));
const dashboard = lazy(() => require('./private/dashboard') as typeof import('./private/dashboard'));
const serviceEvents = lazy(() => require('./private/events') as typeof import('./private/events'));
const metrics = lazy(() => require('./private/metrics') as typeof import('./private/metrics'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * An App Runner web service, owned by this app or imported.
 */
export interface IAppRunnerWebService extends IAppRunnerServiceRef, IWebService {
  /**
   * The host name of the service's default domain, without scheme.
   * @attribute
   */
  readonly serviceUrl: string;

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
   * The number of requests being handled at once (App Runner's `Concurrency`).
   * @default - Maximum over 5 minutes
   */
  metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

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
 * What an owned App Runner service and an imported one share: everything that needs only the
 * service's attributes.
 */
export abstract class AppRunnerWebServiceBase extends Resource implements IAppRunnerWebService {
  public abstract readonly serviceArn: string;
  public abstract readonly serviceId: string;
  public abstract readonly serviceName: string;
  public abstract readonly serviceUrl: string;
  public abstract readonly serviceStatus: string;
  public abstract readonly grantPrincipal: iam.IPrincipal;

  /**
   * The most instances the service runs, when this app knows it (from its own auto scaling).
   * @internal
   */
  protected _scalingMaximum?: number;

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
    return metrics().serviceMetric(this, metricName, {}, props);
  }

  /**
   * The number of requests (`Requests`).
   * @default - Sum over 5 minutes
   */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'Requests', props);
  }

  /**
   * The number of requests answered with 2xx (`2xxStatusResponses`).
   * @default - Sum over 5 minutes
   */
  public metricHttp2xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, '2xxStatusResponses', props);
  }

  /**
   * The number of requests answered with 4xx (`4xxStatusResponses`); no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  public metricHttp4xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, '4xxStatusResponses', props);
  }

  /**
   * The number of requests answered with 5xx (`5xxStatusResponses`); no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  public metricHttp5xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, '5xxStatusResponses', props);
  }

  /**
   * The share of requests answered with 5xx, in percent: `100 * 5xx / Requests`, with missing
   * 5xx datapoints counted as 0, and no datapoint when there were no requests.
   * @default - over 5 minutes
   */
  public metricHttp5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return metrics().http5xxRate(this, props);
  }

  /**
   * The time from request to response, in milliseconds (`RequestLatency`).
   * @default - Average over 5 minutes
   */
  /** App Runner reports request latency in milliseconds. */
  public get requestLatencyUnit(): cloudwatch.Unit {
    return loadCloudwatch().Unit.MILLISECONDS;
  }

  public metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'RequestLatency', props);
  }

  /**
   * The number of instances serving (`ActiveInstances`).
   * @default - Maximum over 5 minutes
   */
  public metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'ActiveInstances', props);
  }

  /**
   * The number of requests being handled at once (`Concurrency`).
   * @default - Maximum over 5 minutes
   */
  public metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'Concurrency', props);
  }

  /**
   * CPU utilization of the service's instances, in percent (`CPUUtilization`).
   * @default - Average over 5 minutes
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'CPUUtilization', props);
  }

  /**
   * Memory utilization of the service's instances, in percent (`MemoryUtilization`).
   * @default - Average over 5 minutes
   */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metrics().appRunnerMetric(this, 'MemoryUtilization', props);
  }

  public addRecommendedAlarms(id: string, options: RecommendedAlarmsOptions = {}): RecommendedAlarms {
    return new (monitoring().RecommendedAlarms)(this, id, {
      ...options,
      service: this,
      scalingMaximum: options.scalingMaximum ?? this._scalingMaximum,
    });
  }

  public addDashboard(id: string, options: WebServiceDashboardOptions = {}): cloudwatch.Dashboard {
    return dashboard().createDashboard(this, id, this, options, period => this.metricConcurrency({ period }));
  }

  public onEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEvents().serviceEventRule(this, id, options);
  }

  public onStatusChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEvents().serviceEventRule(this, id, options, { detailType: [serviceEvents().SERVICE_STATUS_CHANGE] });
  }

  public onOperationStatusChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEvents().serviceEventRule(this, id, options, { detailType: [serviceEvents().OPERATION_STATUS_CHANGE] });
  }

  public onDeploymentFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEvents().serviceEventRule(this, id, options, {
      detailType: [serviceEvents().OPERATION_STATUS_CHANGE],
      detail: { operationStatus: ['DeploymentFailed'] },
    });
  }

  public onDeploymentSucceeded(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEvents().serviceEventRule(this, id, options, {
      detailType: [serviceEvents().OPERATION_STATUS_CHANGE],
      detail: { operationStatus: ['DeploymentCompletedSuccessfully'] },
    });
  }

  public addCustomDomain(id: string, options: CustomDomainOptions): CustomDomain {
    return new (customDomain().CustomDomain)(this, id, { ...options, service: this });
  }

  private logGroup(id: string, kind: 'service' | 'application'): logs.ILogGroup {
    const existing = this.node.tryFindChild(id) as logs.ILogGroup | undefined;
    return existing ?? loadLogs().LogGroup.fromLogGroupName(this, id, logGroupName(this, kind));
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

