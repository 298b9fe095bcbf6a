import type { IAppRunnerServiceRef } from '../service-ref';

/** The name of one of the log groups App Runner creates for a service. */
export function logGroupName(service: IAppRunnerServiceRef, kind: 'service' | 'application'): string {
  return `/aws/apprunner/${service.serviceName}/${service.serviceId}/${kind}`;
}
