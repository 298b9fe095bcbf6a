import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { HealthCheck } from '../src';
import { synthService } from './util';

describe('health checks', () => {
  test('HTTP with every setting', () => {
    const healthCheck = HealthCheck.http({
      path: '/healthz', interval: Duration.seconds(10), timeout: Duration.seconds(3), healthyThreshold: 2, unhealthyThreshold: 4,
    });
    synthService({ healthCheck }).template.hasResourceProperties('AWS::AppRunner::Service', {
      HealthCheckConfiguration: { Protocol: 'HTTP', Path: '/healthz', Interval: 10, Timeout: 3, HealthyThreshold: 2, UnhealthyThreshold: 4 },
    });
  });

  test('HTTP with defaults writes only the protocol', () => {
    synthService({ healthCheck: HealthCheck.http() }).template.hasResourceProperties('AWS::AppRunner::Service', {
      HealthCheckConfiguration: { Protocol: 'HTTP', Path: Match.absent(), Interval: Match.absent() },
    });
  });

  test('TCP has no path', () => {
    synthService({ healthCheck: HealthCheck.tcp({ interval: Duration.seconds(1) }) }).template.hasResourceProperties('AWS::AppRunner::Service', {
      HealthCheckConfiguration: { Protocol: 'TCP', Path: Match.absent(), Interval: 1 },
    });
  });

  test.each([1, 20])('accepts %s seconds and %s checks at the bounds', (n) => {
    const options = { interval: Duration.seconds(n), timeout: Duration.seconds(n), healthyThreshold: n, unhealthyThreshold: n };
    expect(HealthCheck.tcp(options).bind()).toEqual({ protocol: 'TCP', interval: n, timeout: n, healthyThreshold: n, unhealthyThreshold: n });
  });

  test.each([
    ['interval', { interval: Duration.seconds(21) }, '`healthCheck.interval` must be a whole number of seconds between 1 and 20, got 21 seconds'],
    ['interval', { interval: Duration.millis(500) }, '`healthCheck.interval` must be a whole number of seconds between 1 and 20, got 500 millis'],
    ['timeout', { timeout: Duration.seconds(0) }, '`healthCheck.timeout` must be a whole number of seconds between 1 and 20, got 0 seconds'],
    ['timeout', { timeout: Duration.minutes(1) }, '`healthCheck.timeout` must be a whole number of seconds between 1 and 20, got 1 minute'],
    ['healthyThreshold', { healthyThreshold: 0 }, '`healthCheck.healthyThreshold` must be an integer between 1 and 20, got 0'],
    ['unhealthyThreshold', { unhealthyThreshold: 21 }, '`healthCheck.unhealthyThreshold` must be an integer between 1 and 20, got 21'],
    ['unhealthyThreshold', { unhealthyThreshold: 2.5 }, '`healthCheck.unhealthyThreshold` must be an integer between 1 and 20, got 2.5'],
  ])('fails when %s is out of range (%o)', (_prop, options, message) => {
    expect(() => HealthCheck.http(options)).toThrow(message);
    expect(() => HealthCheck.tcp(options)).toThrow(message);
  });

  test('fails when the path does not start with /', () => {
    expect(() => HealthCheck.http({ path: 'healthz' })).toThrow("`healthCheck.path` must start with '/', got 'healthz'");
  });
});
