import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { WebServiceDashboardOptions } from '../monitoring';
import type { IWebServiceMetrics } from '../web-service-metrics';

/** A dashboard of the service's metrics (with App Runner's concurrency, of the dashboard's period, when given). */
export function createDashboard(
  scope: Construct, id: string, service: IWebServiceMetrics, options: WebServiceDashboardOptions,
  concurrency?: (period: Duration) => cloudwatch.IMetric,
): cloudwatch.Dashboard {
  const period = options.period ?? Duration.minutes(1);
  const dashboard = new cloudwatch.Dashboard(scope, id, { dashboardName: options.dashboardName });
  if (options.alarms && options.alarms.length > 0) {
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: options.alarms, width: 24 }));
  }
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Requests and responses',
      left: [
        service.metricRequests({ period }),
        service.metricHttp2xxResponses({ period }),
        service.metricHttp4xxResponses({ period }),
        service.metricHttp5xxResponses({ period }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: '5xx responses (%)',
      left: [service.metricHttp5xxRate({ period })],
      leftYAxis: { min: 0, max: 100 },
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: `Request latency (${service.requestLatencyUnit === cloudwatch.Unit.SECONDS ? 's' : 'ms'})`,
      left: ['p50', 'p90', 'p99'].map(statistic => service.metricRequestLatency({ period, statistic, label: statistic })),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: concurrency ? 'Instances and concurrency' : 'Instances',
      left: [service.metricActiveInstances({ period })],
      right: concurrency ? [concurrency(period)] : [],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'CPU and memory (%)',
      left: [service.metricCpuUtilization({ period }), service.metricMemoryUtilization({ period })],
      leftYAxis: { min: 0, max: 100 },
      width: 24,
    }),
  );
  return dashboard;
}
