import { IResource } from 'aws-cdk-lib';

/**
 * The identity of an App Runner service: what a resource that refers to a service needs
 * (its ARN, name and ID), without the service's behaviour.
 */
export interface IAppRunnerServiceRef extends IResource {
  /**
   * The ARN of the service.
   * @attribute
   */
  readonly serviceArn: string;

  /**
   * The ID App Runner gave the service (32 hexadecimal characters).
   * @attribute
   */
  readonly serviceId: string;

  /**
   * The name of the service.
   * @attribute
   */
  readonly serviceName: string;
}
