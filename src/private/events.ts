import * as events from 'aws-cdk-lib/aws-events';
import type { IAppRunnerServiceRef } from '../service-ref';

/*
 * App Runner sends its events to the default event bus with source `aws.apprunner` and the
 * service's ARN in `resources`; the detail types are listed in the EventBridge events reference
 * (events-ref-apprunner) and the operation statuses in the App Runner guide (monitor-ev).
 */

/** The event source of App Runner's events. */
const EVENT_SOURCE = 'aws.apprunner';
/** The detail type of a change of a service's status. */
export const SERVICE_STATUS_CHANGE = 'AppRunner Service Status Change';
/** The detail type of a change of an operation's status. */
export const OPERATION_STATUS_CHANGE = 'AppRunner Service Operation Status Change';

/**
 * A rule matching App Runner's events about `service`, narrowed by `pattern`, then by the
 * pattern the caller gave in `options` (merged, as every CDK `onEvent` does).
 */
export function serviceEventRule(
  service: IAppRunnerServiceRef,
  id: string,
  options: events.OnEventOptions,
  pattern: events.EventPattern = {},
): events.Rule {
  const rule = new events.Rule(service, id, {
    description: options.description,
    ruleName: options.ruleName,
    crossStackScope: options.crossStackScope,
  });
  rule.addEventPattern({ source: [EVENT_SOURCE], resources: [service.serviceArn], ...pattern });
  rule.addEventPattern(options.eventPattern);
  if (options.target) {
    rule.addTarget(options.target);
  }
  return rule;
}
