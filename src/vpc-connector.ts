import { IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnVpcConnector } from 'aws-cdk-lib/aws-apprunner';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { nameInArn, parseAppRunnerArn } from './private/arn';
import { validateName, withPath } from './private/validation';

/**
 * An App Runner VPC connector: the subnets and security groups a service's outbound traffic
 * leaves through.
 */
export interface IVpcConnector extends IResource, ec2.IConnectable {
  /**
   * The ARN of the connector (with its revision).
   * @attribute
   */
  readonly vpcConnectorArn: string;

  /**
   * The name of the connector.
   * @attribute
   */
  readonly vpcConnectorName: string;
}

/**
 * Where a VPC connector sends traffic, and as whom.
 */
export interface VpcConnectorOptions {
  /**
   * The VPC to reach.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets the service's traffic leaves from. For the internet as well as the VPC, choose
   * subnets with a NAT gateway: App Runner gives the connector's network interfaces no public IP.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the connector's network interfaces. None, or an empty list, creates one.
   * @default - one security group, created for the connector, that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * Properties of a `VpcConnector`.
 */
export interface VpcConnectorProps extends VpcConnectorOptions {
  /**
   * The name, 4-40 characters of letters, digits, `-` and `_`, starting with a letter or digit.
   * A connector cannot change: any change replaces it, and the replacement fails with a fixed
   * name (CloudFormation creates the new connector before it deletes the old one).
   * @default - a name CloudFormation generates, so replacements work
   */
  readonly vpcConnectorName?: string;
}

/**
 * Attributes of an existing VPC connector.
 */
export interface VpcConnectorAttributes {
  /** The ARN of the connector. */
  readonly vpcConnectorArn: string;

  /**
   * The security groups of the connector, so that `connections` can open other resources to it.
   * @default - none: `connections` has no security group to add rules to
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * An App Runner VPC connector (`AWS::AppRunner::VpcConnector`), which one or more services use
 * to reach resources in a VPC. It cannot be updated: any change replaces it, and services
 * using it move to the replacement in the same deployment.
 */
export class VpcConnector extends Resource implements IVpcConnector {
  /**
   * An existing connector. The name is read from the ARN
   * (`arn:aws:apprunner:<region>:<account>:vpcconnector/<name>/<revision>/<id>`).
   */
  public static fromVpcConnectorAttributes(scope: Construct, id: string, attrs: VpcConnectorAttributes): IVpcConnector {
    return new ImportedVpcConnector(scope, id, attrs);
  }

  public readonly vpcConnectorArn: string;
  public readonly vpcConnectorName: string;

  /**
   * The revision App Runner gave the connector.
   * @attribute
   */
  public readonly vpcConnectorRevision: number;

  /**
   * The connector's security groups: `database.connections.allowDefaultPortFrom(connector)`.
   */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: VpcConnectorProps) {
    super(scope, id, { physicalName: props.vpcConnectorName });
    withPath(this, () => validateName('vpcConnectorName', props.vpcConnectorName, 40));
    // An empty list means "none given", as in aws-cdk-lib's own constructs: a new group.
    const securityGroups = props.securityGroups?.length ? props.securityGroups : [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'App Runner VPC connector: outbound traffic of the services using it',
      allowAllOutbound: true,
    })];
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    if (subnets.subnetIds.length === 0) {
      throw new Error(`${this.node.path}: \`vpcSubnets\` selects no subnet in the VPC: a VPC connector needs at least one`);
    }

    const resource = new CfnVpcConnector(this, 'Resource', {
      vpcConnectorName: props.vpcConnectorName,
      subnets: subnets.subnetIds,
      securityGroups: securityGroups.map(sg => sg.securityGroupId),
    });
    this.vpcConnectorArn = resource.attrVpcConnectorArn;
    this.vpcConnectorRevision = resource.attrVpcConnectorRevision;
    this.vpcConnectorName = props.vpcConnectorName ?? nameInArn(resource.attrVpcConnectorArn);
    this.connections = new ec2.Connections({ securityGroups });
  }
}

class ImportedVpcConnector extends Resource implements IVpcConnector {
  public readonly vpcConnectorArn: string;
  public readonly vpcConnectorName: string;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, attrs: VpcConnectorAttributes) {
    super(scope, id, { environmentFromArn: Token.isUnresolved(attrs.vpcConnectorArn) ? undefined : attrs.vpcConnectorArn });
    this.vpcConnectorArn = attrs.vpcConnectorArn;
    [this.vpcConnectorName] = parseAppRunnerArn(attrs.vpcConnectorArn, {
      prop: 'vpcConnectorArn',
      resourceType: 'vpcconnector',
      format: '<name>/<revision>/<id>',
      required: 1,
      read: 1,
    });
    this.connections = new ec2.Connections({ securityGroups: attrs.securityGroups });
  }
}
