import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { IpAddressType, VpcConnector, WebAcl } from '../src';
import { newStack, synthService } from './util';

// The RDS instance reads its own deprecated properties while synthesizing; that is not ours to report.
process.env.JSII_DEPRECATED = 'quiet';

function stackWithVpc(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { stack, vpc };
}

const CONNECTOR_ARN = 'arn:aws:apprunner:us-east-1:123456789012:vpcconnector/shared/1/0123456789abcdef0123456789abcdef';
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/01234567-89ab-cdef-0123-456789abcdef';

describe('VPC egress', () => {
  test('`vpc` creates a connector in the private subnets with its own security group, and the service egresses through it', () => {
    const { stack, vpc } = stackWithVpc();
    synthService({ vpc }, stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::AppRunner::VpcConnector', 1);
    const privateSubnets = vpc.privateSubnets.map(s => stack.resolve(s.subnetId));
    template.hasResourceProperties('AWS::AppRunner::VpcConnector', {
      Subnets: privateSubnets,
      SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebVpcConnectorSecurityGroup'), 'GroupId'] }],
    });
    // Without a name, a change replaces the connector cleanly (CloudFormation names the new one).
    expect(Object.values(template.findResources('AWS::AppRunner::VpcConnector'))[0].Properties.VpcConnectorName).toBeUndefined();
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: {
        EgressConfiguration: {
          EgressType: 'VPC',
          VpcConnectorArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebVpcConnector'), 'VpcConnectorArn'] },
        },
      },
    });
  });

  test('`connections` works both ways with an RDS database', () => {
    const { stack, vpc } = stackWithVpc();
    const { service } = synthService({ vpc }, stack);
    const db = new rds.DatabaseInstance(stack, 'Db', {
      vpc,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    });
    // The database lets the service in...
    db.connections.allowDefaultPortFrom(service);
    // ...and the service may reach the database (it also egresses everywhere by default).
    service.connections.allowToDefaultPort(db);
    const template = Template.fromStack(stack);
    const serviceSg = { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebVpcConnectorSecurityGroup'), 'GroupId'] };
    const dbSg = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Db'), 'Endpoint.Port'] },
      GroupId: dbSg,
      SourceSecurityGroupId: serviceSg,
    });
    expect(service.connections.securityGroups).toHaveLength(1);
  });

  test('with closed outbound security groups, allowTo opens exactly the RDS database\'s port, both ways', () => {
    const { stack, vpc } = stackWithVpc();
    const sg = new ec2.SecurityGroup(stack, 'ServiceSg', { vpc, allowAllOutbound: false });
    const { service } = synthService({ vpc, securityGroups: [sg], vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, stack);
    const dbSg = new ec2.SecurityGroup(stack, 'DbSg', { vpc });
    const db = new rds.DatabaseInstance(stack, 'Db', {
      vpc,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      securityGroups: [dbSg],
    });
    service.connections.allowToDefaultPort(db);
    const template = Template.fromStack(stack);
    const dbPort = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Db[A-F0-9]{8}$'), 'Endpoint.Port'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      IpProtocol: 'tcp',
      FromPort: dbPort,
      ToPort: dbPort,
      GroupId: { 'Fn::GetAtt': ['ServiceSg2632F788', 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': ['DbSg495F8305', 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: dbPort,
      ToPort: dbPort,
      GroupId: { 'Fn::GetAtt': ['DbSg495F8305', 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': ['ServiceSg2632F788', 'GroupId'] },
    });
  });

  test('a shared connector serves several services, and its import reads the name from the ARN', () => {
    const { stack, vpc } = stackWithVpc();
    const connector = new VpcConnector(stack, 'Shared', { vpc });
    synthService({ vpcConnector: connector }, stack);
    const imported = VpcConnector.fromVpcConnectorAttributes(stack, 'Imported', { vpcConnectorArn: CONNECTOR_ARN });
    expect(imported.vpcConnectorName).toBe('shared');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::AppRunner::VpcConnector', 1);
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: { EgressConfiguration: { VpcConnectorArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Shared'), 'VpcConnectorArn'] } } },
    });
  });

  test('the alpha\'s behaviour: an empty list of security groups creates one, as none does', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const connector = new VpcConnector(stack, 'Connector', { vpc, securityGroups: [] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::AppRunner::VpcConnector', {
      SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ConnectorSecurityGroup'), 'GroupId'] }],
    });
    expect(connector.connections.securityGroups).toHaveLength(1);
  });

  test('a service without VPC egress has no connections, and says why', () => {
    const { service } = synthService();
    expect(() => service.connections).toThrow(/has no VPC egress, so no security groups: give `vpc` or `vpcConnector`/);
  });

  test.each([
    ['vpc and vpcConnector', (vpc: ec2.IVpc, stack: Stack) => ({
      vpc, vpcConnector: VpcConnector.fromVpcConnectorAttributes(stack, 'C', { vpcConnectorArn: CONNECTOR_ARN }),
    }), /either `vpc` \(a connector is created\) or `vpcConnector`, not both/],
    ['securityGroups without vpc', (vpc: ec2.IVpc, stack: Stack) => ({
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
    }), /`vpcSubnets` and `securityGroups` configure the connector created for `vpc`; give `vpc` too/],
    ['subnets that select nothing', (vpc: ec2.IVpc) => ({
      vpc, vpcSubnets: { subnetGroupName: 'nothing-here' },
    }), /There are no subnet groups with name 'nothing-here'|selects no subnet/],
  ])('rejects %s', (_, make, message) => {
    const { stack, vpc } = stackWithVpc();
    expect(() => synthService(make(vpc, stack), stack)).toThrow(message);
  });

  test('rejects a connector name App Runner would refuse, and a malformed ARN', () => {
    const { stack, vpc } = stackWithVpc();
    expect(() => new VpcConnector(stack, 'Bad', { vpc, vpcConnectorName: 'a b' }))
      .toThrow("`vpcConnectorName` must be 4-40 characters of letters, digits, '-' and '_', starting with a letter or digit, got 'a b'");
    expect(() => VpcConnector.fromVpcConnectorAttributes(stack, 'Bad2', { vpcConnectorArn: 'arn:aws:apprunner:us-east-1:123456789012:service/x/y' }))
      .toThrow(/`vpcConnectorArn` must be arn:aws:apprunner:<region>:<account>:vpcconnector/);
  });
});

describe('private endpoint', () => {
  test('creates the requests endpoint without private DNS, the ingress connection, and turns the public endpoint off', () => {
    const { stack, vpc } = stackWithVpc();
    const { service } = synthService({ privateEndpoint: { vpc } }, stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-1.apprunner.requests',
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: false,
    });
    template.hasResourceProperties('AWS::AppRunner::VpcIngressConnection', {
      ServiceArn: { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] },
      IngressVpcConfiguration: { VpcId: stack.resolve(vpc.vpcId), VpcEndpointId: { Ref: Match.stringLikeRegexp('^WebRequestsEndpoint') } },
    });
    template.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: { IngressConfiguration: { IsPubliclyAccessible: false } },
    });
    const domainName = stack.resolve(service.privateDomainName);
    expect(domainName['Fn::GetAtt'][0]).toMatch(/^WebVpcIngressConnection/);
    expect(domainName['Fn::GetAtt'][1]).toBe('DomainName');
  });

  test('takes an existing endpoint (one endpoint for many services)', () => {
    const { stack, vpc } = stackWithVpc();
    const endpoint = vpc.addInterfaceEndpoint('Requests', { service: ec2.InterfaceVpcEndpointAwsService.APP_RUNNER_REQUESTS, privateDnsEnabled: false });
    synthService({ privateEndpoint: { vpc, vpcEndpoint: endpoint, vpcIngressConnectionName: 'shop-ingress' } }, stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::AppRunner::VpcIngressConnection', {
      VpcIngressConnectionName: 'shop-ingress',
      IngressVpcConfiguration: { VpcEndpointId: { Ref: Match.stringLikeRegexp('^VpcRequests') } },
    });
  });

  test.each([
    ['a public endpoint', { publiclyAccessible: true }, /`privateEndpoint` makes the service private, but `publiclyAccessible` is true/],
    ['dual stack', { ipAddressType: IpAddressType.DUAL_STACK }, /DUAL_STACK needs a public endpoint, but `privateEndpoint` makes the service private/],
  ])('rejects a private endpoint with %s', (_, extra, message) => {
    const { stack, vpc } = stackWithVpc();
    expect(() => synthService({ privateEndpoint: { vpc }, ...extra }, stack)).toThrow(message);
  });

  test('rejects subnets for an endpoint it does not create, and a bad connection name', () => {
    const { stack, vpc } = stackWithVpc();
    const endpoint = vpc.addInterfaceEndpoint('Requests', { service: ec2.InterfaceVpcEndpointAwsService.APP_RUNNER_REQUESTS });
    const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    expect(() => synthService({ privateEndpoint: { vpc, vpcEndpoint: endpoint, vpcSubnets } }, stack))
      .toThrow(/configure a created endpoint; an existing `vpcEndpoint` keeps its own/);
    expect(() => synthService({ privateEndpoint: { vpc, vpcIngressConnectionName: 'x' } }, stackWithVpc().stack))
      .toThrow(/`privateEndpoint.vpcIngressConnectionName` must be 4-40 characters/);
  });
});

describe('WAF', () => {
  test('a regional CfnWebACL of the app is associated with the service', () => {
    const stack = newStack();
    const acl = new wafv2.CfnWebACL(stack, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    });
    synthService({ webAcl: WebAcl.fromCfnWebAcl(acl) }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] },
      WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] },
    });
  });

  test('an existing regional ACL by ARN', () => {
    const { template } = synthService({ webAcl: WebAcl.fromWebAclArn(WEB_ACL_ARN) });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL_ARN });
  });

  test('rejects a CloudFront (global) ACL, by construct or by ARN, an ARN of something else, and another Region', () => {
    const stack = newStack();
    const global = new wafv2.CfnWebACL(stack, 'Global', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    });
    expect(() => WebAcl.fromCfnWebAcl(global)).toThrow("`webAcl` must have scope REGIONAL to protect an App Runner service, got 'CLOUDFRONT' (Stack/Global)");
    expect(() => WebAcl.fromWebAclArn('arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/0123'))
      .toThrow(/names a global \(CloudFront\) web ACL; an App Runner service needs a REGIONAL one/);
    expect(() => WebAcl.fromWebAclArn('arn:aws:wafv2:us-east-1:123456789012:regional/ipset/shop/0123'))
      .toThrow(/`webAclArn` must be arn:aws:wafv2:<region>:<account>:regional\/webacl\/<name>\/<id>/);
    expect(() => synthService({ webAcl: WebAcl.fromWebAclArn(WEB_ACL_ARN.replace('us-east-1', 'eu-west-1')) }))
      .toThrow('`webAcl` is in eu-west-1, but the service is in us-east-1: a web ACL protects resources of its own Region only');
  });
});
