/*
 * What App Runner does when a setting is left out, and its fixed limits: each fact written once.
 * Sources: the ImageConfiguration, HealthCheckConfiguration and AutoScalingConfiguration API
 * references, and the App Runner endpoints and quotas page.
 */

/** The port App Runner sends requests to when a source names none. */
export const DEFAULT_PORT = 8080;

/** App Runner's default quota of instances per service (the highest `maxSize` without an increase). */
export const INSTANCES_PER_SERVICE_QUOTA = 25;

/** App Runner's health check when a service configures none, and the defaults of each field. */
export const HEALTH_CHECK_DEFAULTS = {
  protocol: 'TCP',
  path: '/',
  intervalSeconds: 5,
  timeoutSeconds: 2,
  healthyThreshold: 1,
  unhealthyThreshold: 5,
} as const;
