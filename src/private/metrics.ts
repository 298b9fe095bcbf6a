import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IAppRunnerServiceRef } from '../service-ref';
import type { IWebServiceMetrics } from '../web-service-metrics';

/**
 * The namespace App Runner publishes its metrics in.
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/monitor-cw.html
 */
const APP_RUNNER_METRICS_NAMESPACE = 'AWS/AppRunner';

/**
 * The service-level dimensions of every App Runner metric.
 *
 * No AWS page lists them. `ServiceName` + `ServiceID` is the set that public dashboards and
 * metric libraries built against live services use; CloudWatch matches a metric only on its full
 * dimension set, so `ServiceName` alone would match nothing.
 */
function serviceDimensions(service: IAppRunnerServiceRef): cloudwatch.DimensionsMap {
  return { ServiceName: service.serviceName, ServiceID: service.serviceId };
}

/** The statistic and unit of each App Runner metric this library offers a method for. */
const METRIC_DEFAULTS = {
  'Requests': { statistic: 'Sum' },
  '2xxStatusResponses': { statistic: 'Sum' },
  '4xxStatusResponses': { statistic: 'Sum' },
  '5xxStatusResponses': { statistic: 'Sum' },
  'RequestLatency': { statistic: 'Average', unit: cloudwatch.Unit.MILLISECONDS },
  'ActiveInstances': { statistic: 'Maximum' },
  'Concurrency': { statistic: 'Maximum' },
  'CPUUtilization': { statistic: 'Average', unit: cloudwatch.Unit.PERCENT },
  'MemoryUtilization': { statistic: 'Average', unit: cloudwatch.Unit.PERCENT },
} satisfies Record<string, cloudwatch.MetricOptions>;

/** A named App Runner metric of `service`, with its statistic and unit under what the caller gave. */
export function appRunnerMetric(
  service: IAppRunnerServiceRef,
  metricName: keyof typeof METRIC_DEFAULTS,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return serviceMetric(service, metricName, METRIC_DEFAULTS[metricName], props);
}

/** A metric of `service` with `defaults` under what the caller gave. */
export function serviceMetric(
  service: IAppRunnerServiceRef,
  metricName: string,
  defaults: cloudwatch.MetricOptions,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: APP_RUNNER_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: serviceDimensions(service),
    ...defaults,
    ...props,
  }).attachTo(service);
}

/** The share of requests answered with 5xx, in percent. */
export function http5xxRate(service: IWebServiceMetrics, props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
  const period = props.period ?? Duration.minutes(5);
  return new cloudwatch.MathExpression({
    // 5xx counts are sparse: no datapoint when there were none, so they are filled with 0.
    // Without requests there is no rate (no datapoint), rather than a division by zero.
    expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests)',
    usingMetrics: {
      requests: service.metricRequests({ period }),
      errors: service.metricHttp5xxResponses({ period }),
    },
    label: props.label ?? '5xx responses (%)',
    period,
    color: props.color,
    searchAccount: props.searchAccount,
    searchRegion: props.searchRegion,
  });
}

