import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * The metrics of a web service by meaning: requests, responses by class, the 5xx rate,
 * latency, instances (or tasks) and their CPU and memory, whichever platform runs it. What the
 * recommended alarms and the dashboard are built from.
 */
export interface IWebServiceMetrics extends IConstruct {
  /**
   * The unit `metricRequestLatency` reports in: milliseconds for App Runner, seconds for a load
   * balancer's target response time.
   */
  readonly requestLatencyUnit: cloudwatch.Unit;

  /**
   * The number of requests.
   * @default - Sum over 5 minutes
   */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 2xx.
   * @default - Sum over 5 minutes
   */
  metricHttp2xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 4xx; no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  metricHttp4xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of requests answered with 5xx; no datapoint when there were none.
   * @default - Sum over 5 minutes
   */
  metricHttp5xxResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The share of requests answered with 5xx, in percent, with missing 5xx datapoints counted
   * as 0, and no datapoint when there were no requests.
   * @default - over 5 minutes
   */
  metricHttp5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression;

  /**
   * The time from request to response, in `requestLatencyUnit`.
   * @default - Average over 5 minutes
   */
  metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of instances (App Runner) or healthy tasks (ECS Express) serving.
   * @default - Maximum over 5 minutes
   */
  metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * CPU utilization of the service's instances, in percent.
   * @default - Average over 5 minutes
   */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Memory utilization of the service's instances, in percent.
   * @default - Average over 5 minutes
   */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
