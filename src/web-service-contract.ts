import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { RecommendedAlarms, RecommendedAlarmsOptions, WebServiceDashboardOptions } from './monitoring';
import type { IWebServiceMetrics } from './web-service-metrics';

/**
 * A web service whichever platform runs it: App Runner (`AppRunnerWebService`) or ECS Express
 * Mode (`EcsExpressWebService`). Application code written against it — grants to the service,
 * its URL, its metrics, recommended alarms and a dashboard — works unchanged with either.
 */
export interface IWebService extends IWebServiceMetrics, iam.IGrantable {
  /**
   * The service's URL: `https://` and its host name.
   */
  readonly url: string;

  /**
   * Creates the alarms every service should have: 5xx rate, p99 latency, CPU, memory, and
   * instances (or tasks) at the scaling maximum.
   */
  addRecommendedAlarms(id: string, options?: RecommendedAlarmsOptions): RecommendedAlarms;

  /**
   * Creates a CloudWatch dashboard of the service's metrics.
   */
  addDashboard(id: string, options?: WebServiceDashboardOptions): cloudwatch.Dashboard;
}
