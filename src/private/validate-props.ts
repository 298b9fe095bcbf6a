import { Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { validateInstanceSize } from './instance-pairs';
import { validateName } from './validation';
import { IpAddressType, type AppRunnerWebServiceProps } from '../web-service-props';

/** The checks of an `AppRunnerWebService`'s props that need no construct: one prop, or two together. */
export function validateProps(props: AppRunnerWebServiceProps): void {
  validateName('serviceName', props.serviceName, 40);
  validateInstanceSize(props.cpu, props.memory);
  if (props.publiclyAccessible === false && props.ipAddressType === IpAddressType.DUAL_STACK) {
    throw new Error('`ipAddressType` DUAL_STACK needs a public endpoint, but `publiclyAccessible` is false');
  }
  if (props.autoScaling && props.autoScalingConfiguration) {
    throw new Error('give either `autoScaling` or `autoScalingConfiguration`, not both');
  }
  if (props.tracing !== undefined && props.observabilityConfiguration) {
    throw new Error('give either `tracing` or `observabilityConfiguration`, not both');
  }
  if (props.privateEndpoint && props.publiclyAccessible === true) {
    throw new Error('`privateEndpoint` makes the service private, but `publiclyAccessible` is true');
  }
  if (props.privateEndpoint && props.ipAddressType === IpAddressType.DUAL_STACK) {
    throw new Error('`ipAddressType` DUAL_STACK needs a public endpoint, but `privateEndpoint` makes the service private');
  }
  if (props.vpcConnector && props.vpc) {
    throw new Error('give either `vpc` (a connector is created) or `vpcConnector`, not both');
  }
  if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
    throw new Error('`vpcSubnets` and `securityGroups` configure the connector created for `vpc`; give `vpc` too');
  }
  validateName('privateEndpoint.vpcIngressConnectionName', props.privateEndpoint?.vpcIngressConnectionName, 40);
  if (props.privateEndpoint?.vpcEndpoint && (props.privateEndpoint.vpcSubnets || props.privateEndpoint.securityGroups)) {
    throw new Error('`privateEndpoint.vpcSubnets` and `privateEndpoint.securityGroups` configure a created endpoint; an existing `vpcEndpoint` keeps its own');
  }
  if (props.kmsKey && isAlias(props.kmsKey)) {
    throw new Error('`kmsKey` must be a KMS key, not an alias: App Runner accepts a key ARN only');
  }
  const keyArn = props.kmsKey?.keyArn;
  if (keyArn !== undefined && !Token.isUnresolved(keyArn) && !KEY_ARN.test(keyArn)) {
    const what = /:alias\//.test(keyArn) ? 'an alias ARN'
      : /:key\/mrk-/.test(keyArn) ? 'a multi-Region key, which the AWS::AppRunner::Service schema does not accept'
        : 'not a key ARN';
    throw new Error(`\`kmsKey\` must be the ARN of a single-Region KMS key (arn:aws:kms:<region>:<account>:key/<key id>), got '${keyArn}': ${what}`);
  }
}

/** A key ARN as the AWS::AppRunner::Service schema's EncryptionConfiguration.KmsKey pattern has it. */
const KEY_ARN = /^arn:aws(-[\w]+)*:kms:[a-z-]+-[0-9]:[0-9]{12}:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isAlias(key: kms.IKey): boolean {
  return 'aliasName' in key;
}
