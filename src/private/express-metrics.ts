import { Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

// The metrics of an ECS Express service: CPU and memory from `AWS/ECS` (by cluster and service),
// requests, responses, latency and healthy tasks from `AWS/ApplicationELB` (by the load
// balancer and the service's target group: Express puts up to 25 services behind one load
// balancer, so the load balancer alone would count its neighbours too).
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html

/** Where an Express service's metrics are: the names and ARNs they are keyed by. */
export interface ExpressMetricSource {
  readonly scope: IConstruct;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Undefined for a service imported without them: its load balancer metrics are unknown. */
  readonly loadBalancerArn?: string;
  readonly targetGroupArn?: string;
}

const ALB_DEFAULTS = {
  RequestCount: { statistic: 'Sum' },
  HTTPCode_Target_2XX_Count: { statistic: 'Sum' },
  HTTPCode_Target_4XX_Count: { statistic: 'Sum' },
  HTTPCode_Target_5XX_Count: { statistic: 'Sum' },
  TargetResponseTime: { statistic: 'Average', unit: cloudwatch.Unit.SECONDS },
  HealthyHostCount: { statistic: 'Maximum' },
} satisfies Record<string, cloudwatch.MetricOptions>;

/** A load balancer metric of the service's target group. */
export function albMetric(
  source: ExpressMetricSource, metricName: keyof typeof ALB_DEFAULTS, props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  if (!source.loadBalancerArn || !source.targetGroupArn) {
    throw new Error(`${source.scope.node.path}: the load balancer metrics (${metricName}) need the service's load balancer and target group: `
      + 'import it with EcsExpressWebService.fromServiceAttributes and give `loadBalancerArn` and `targetGroupArn`');
  }
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensionsMap: {
      LoadBalancer: loadBalancerDimension(source.loadBalancerArn),
      TargetGroup: targetGroupDimension(source.targetGroupArn),
    },
    ...ALB_DEFAULTS[metricName],
    ...props,
  }).attachTo(source.scope);
}

/** A metric of the service's tasks in `AWS/ECS`. */
export function ecsMetric(
  source: ExpressMetricSource, metricName: 'CPUUtilization' | 'MemoryUtilization', props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ECS',
    metricName,
    dimensionsMap: { ClusterName: source.clusterName, ServiceName: source.serviceName },
    statistic: 'Average',
    unit: cloudwatch.Unit.PERCENT,
    ...props,
  }).attachTo(source.scope);
}

/** `app/<name>/<id>`: the part of a load balancer ARN after `loadbalancer/`. */
function loadBalancerDimension(arn: string): string {
  if (!Token.isUnresolved(arn)) {
    const match = /:loadbalancer\/(.+)$/.exec(arn);
    if (!match) throw new Error(`'${arn}' is no load balancer ARN (arn:…:elasticloadbalancing:…:loadbalancer/app/<name>/<id>)`);
    return match[1];
  }
  return Fn.select(1, Fn.split(':loadbalancer/', arn));
}

/** `targetgroup/<name>/<id>`: the last part of a target group ARN. */
function targetGroupDimension(arn: string): string {
  if (!Token.isUnresolved(arn)) {
    const match = /:(targetgroup\/.+)$/.exec(arn);
    if (!match) throw new Error(`'${arn}' is no target group ARN (arn:…:elasticloadbalancing:…:targetgroup/<name>/<id>)`);
    return match[1];
  }
  return Fn.select(5, Fn.split(':', arn));
}
