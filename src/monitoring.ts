import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { INSTANCES_PER_SERVICE_QUOTA } from './private/app-runner-defaults';
import { cloudwatch as loadCloudwatch, cloudwatchActions } from './private/lazy';
import { withPath } from './private/validation';
import type { IWebServiceMetrics } from './web-service-metrics';

/**
 * Thresholds and actions of `addRecommendedAlarms`.
 */
export interface RecommendedAlarmsOptions {
  /**
   * An SNS topic notified when an alarm goes into ALARM and back to OK.
   * @default - no action: the alarms are visible in CloudWatch only
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * A prefix for the alarm names.
   * @default - names CloudFormation generates
   */
  readonly alarmNamePrefix?: string;

  /**
   * The length of each evaluated period.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How many consecutive periods must breach before an alarm fires.
   * @default 2
   */
  readonly evaluationPeriods?: number;

  /**
   * The share of requests answered with 5xx, in percent, above which the alarm fires.
   * @default 5
   */
  readonly http5xxRatePercent?: number;

  /**
   * The p99 request latency above which the alarm fires.
   * @default Duration.seconds(2)
   */
  readonly latencyP99?: Duration;

  /**
   * The average CPU utilization, in percent, above which the alarm fires.
   * @default 80
   */
  readonly cpuUtilizationPercent?: number;

  /**
   * The average memory utilization, in percent, above which the alarm fires.
   * @default 80
   */
  readonly memoryUtilizationPercent?: number;

  /**
   * The scaling maximum: the alarm fires when the service runs this many instances, so it can
   * no longer scale out.
   * @default - the `maxSize` of the service's own auto scaling configuration when it is known,
   *   otherwise 25 (App Runner's default)
   */
  readonly scalingMaximum?: number;
}

/**
 * Properties of `RecommendedAlarms`.
 */
export interface RecommendedAlarmsProps extends RecommendedAlarmsOptions {
  /**
   * The service to watch.
   */
  readonly service: IWebServiceMetrics;
}

/**
 * The alarms `addRecommendedAlarms` creates. Each alarm treats missing data as not breaching:
 * App Runner sends no 5xx or latency datapoints without requests, and none at all while the
 * service is paused.
 */
export class RecommendedAlarms extends Construct {
  /** Too many requests answered with 5xx. */
  public readonly http5xxRate: cloudwatch.Alarm;
  /** The slowest 1% of requests too slow. */
  public readonly latencyP99: cloudwatch.Alarm;
  /** CPU utilization too high. */
  public readonly cpuUtilization: cloudwatch.Alarm;
  /** Memory utilization too high. */
  public readonly memoryUtilization: cloudwatch.Alarm;
  /** The service runs at its scaling maximum. */
  public readonly activeInstancesAtMaximum: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RecommendedAlarmsProps) {
    super(scope, id);
    const { service, ...options } = props;
    const period = options.period ?? Duration.minutes(5);
    const { evaluationPeriods, scalingMaximum, latency, rate, cpu, memory } = withPath(this, () => thresholds(options));

    const { Alarm, ComparisonOperator, TreatMissingData } = loadCloudwatch();
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number,
      comparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD): cloudwatch.Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods,
        alarmDescription: description,
        alarmName: options.alarmNamePrefix && `${options.alarmNamePrefix}-${alarmId}`,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (options.alarmTopic) {
        const action = new (cloudwatchActions().SnsAction)(options.alarmTopic);
        created.addAlarmAction(action);
        created.addOkAction(action);
      }
      return created;
    };

    this.http5xxRate = alarm('Http5xxRate', `More than ${rate}% of requests answered with 5xx`,
      service.metricHttp5xxRate({ period }), rate);
    // The threshold in the unit the service's latency metric reports in (ms or s).
    const inSeconds = service.requestLatencyUnit === loadCloudwatch().Unit.SECONDS;
    const latencyThreshold = inSeconds ? latency.toMilliseconds() / 1000 : latency.toMilliseconds();
    this.latencyP99 = alarm('LatencyP99', `p99 request latency above ${latency.toMilliseconds()} ms`,
      service.metricRequestLatency({ period, statistic: 'p99' }), latencyThreshold);
    this.cpuUtilization = alarm('CpuUtilization', `Average CPU utilization above ${cpu}%`,
      service.metricCpuUtilization({ period }), cpu);
    this.memoryUtilization = alarm('MemoryUtilization', `Average memory utilization above ${memory}%`,
      service.metricMemoryUtilization({ period }), memory);
    this.activeInstancesAtMaximum = alarm('ActiveInstancesAtMaximum',
      `The service runs its maximum of ${scalingMaximum} instances and cannot scale out further`,
      service.metricActiveInstances({ period }), scalingMaximum,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
  }

  /** The five alarms. */
  public get alarms(): cloudwatch.Alarm[] {
    return [this.http5xxRate, this.latencyP99, this.cpuUtilization, this.memoryUtilization, this.activeInstancesAtMaximum];
  }
}

/** The thresholds of the recommended alarms: what was given, else the defaults; checked. */
function thresholds(options: RecommendedAlarmsOptions) {
  const percent = (prop: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!(v > 0 && v <= 100)) {
      throw new Error(`\`${prop}\` must be a percentage above 0 and at most 100, got ${v}`);
    }
    return v;
  };
  const evaluationPeriods = options.evaluationPeriods ?? 2;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new Error(`\`evaluationPeriods\` must be a positive integer, got ${evaluationPeriods}`);
  }
  const scalingMaximum = options.scalingMaximum ?? INSTANCES_PER_SERVICE_QUOTA;
  if (!Number.isInteger(scalingMaximum) || scalingMaximum < 1) {
    throw new Error(`\`scalingMaximum\` must be a positive integer, got ${scalingMaximum}`);
  }
  const latency = options.latencyP99 ?? Duration.seconds(2);
  if (latency.toMilliseconds() <= 0) {
    throw new Error(`\`latencyP99\` must be above 0, got ${latency.toHumanString()}`);
  }
  return {
    evaluationPeriods,
    scalingMaximum,
    latency,
    rate: percent('http5xxRatePercent', options.http5xxRatePercent, 5),
    cpu: percent('cpuUtilizationPercent', options.cpuUtilizationPercent, 80),
    memory: percent('memoryUtilizationPercent', options.memoryUtilizationPercent, 80),
  };
}

/**
 * Options of `addDashboard`.
 */
export interface WebServiceDashboardOptions {
  /**
   * The name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period of every graph.
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Alarms to show as a row of alarm states above the graphs (for example the `alarms` of
   * `addRecommendedAlarms`).
   * @default - no alarm row
   */
  readonly alarms?: cloudwatch.IAlarm[];
}

