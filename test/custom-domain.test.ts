import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AppRunnerWebService, CustomDomain, Source } from '../src';
import { newStack, synthService } from './util';

const ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/shop/0123456789abcdef0123456789abcdef';

describe('custom domain wiring', () => {
  test('a custom resource with the service, domain, www flag and zone, run by the shipped handler through the Provider framework', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const { service } = synthService({ customDomain: { domainName: 'shop.example.com', hostedZone: zone, enableWwwSubdomain: true } }, stack);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('Custom::AppRunnerCustomDomain', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppRunnerCustomDomainProviderframeworkonEvent'), 'Arn'] },
      ServiceArn: { 'Fn::GetAtt': ['Web3C8945DB', 'ServiceArn'] },
      DomainName: 'shop.example.com',
      EnableWWWSubdomain: 'true',
      HostedZoneId: { Ref: Match.stringLikeRegexp('^Zone') },
    });
    // The two handlers of the package, on a current Node runtime, with the SDK from the runtime.
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.onEvent', Runtime: 'nodejs24.x' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.isComplete', Runtime: 'nodejs24.x' });
    // The wait: a state machine polling isComplete every 30 s for at most 55 minutes.
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const definition = JSON.stringify(Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0].Properties.DefinitionString);
    expect(definition).toContain('\\"IntervalSeconds\\":30');
    expect(definition).toContain('\\"MaxAttempts\\":110');

    // Grants that outlive a replaced service and a zone move (the old association and records are
    // removed under the new deployment's policy): services of this account and Region; zones of
    // the account, but only CNAME, A and AAAA records, by UPSERT and DELETE.
    const zones = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/*']] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['apprunner:AssociateCustomDomain', 'apprunner:DisassociateCustomDomain', 'apprunner:DescribeCustomDomains', 'apprunner:DescribeService'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apprunner:us-east-1:123456789012:service/*']] },
          },
          { Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], Effect: 'Allow', Resource: zones },
          {
            Action: 'route53:ChangeResourceRecordSets',
            Effect: 'Allow',
            Resource: zones,
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
                'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
              },
            },
          },
        ]),
      },
    });
    // The handler's policy exists before the resource runs and is removed after it.
    const resource = Object.values(template.findResources('Custom::AppRunnerCustomDomain'))[0];
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find(id => id.startsWith('AppRunnerCustomDomainProviderHandlerRole'));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([policyId]));
    expect(service.customDomain).toBeDefined();
    // With a zone, nothing for the user to do by hand: no outputs.
    expect(Object.keys(template.toJSON().Outputs ?? {})).toHaveLength(0);
  });

  test('says once per service, at synth, which changes replace the service and how to keep the domain through one', () => {
    const { stack, service } = synthService({ customDomain: { domainName: 'shop.example.com' } });
    service.addCustomDomain('Second', { domainName: 'www.example.com' });
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('replaces the App Runner service'));
    expect(infos).toHaveLength(1);
    expect(infos[0].entry.data).toContain('Remove the custom domain in one deployment, make the change, then add the domain back.');
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('without a zone, the records to create are stack outputs', () => {
    const { stack, service } = synthService({ customDomain: { domainName: 'shop.example.com' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::AppRunnerCustomDomain', { EnableWWWSubdomain: 'false', HostedZoneId: Match.absent() });
    const outputs = template.toJSON().Outputs;
    expect(Object.values(outputs).map((o: any) => o.Value)).toEqual(expect.arrayContaining([
      expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^WebCustomDomain/), 'ValidationRecords'] }),
      expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^WebCustomDomain/), 'DNSTarget'] }),
    ]));
    expect(stack.resolve(service.customDomain!.dnsTarget)['Fn::GetAtt'][1]).toBe('DNSTarget');
    // No Route 53 permissions without a zone.
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('route53:');
  });

  test('several domains and services of a stack share one provider; an imported service takes a domain too', () => {
    const stack = newStack();
    const zone = route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const { service } = synthService({ customDomain: { domainName: 'example.com', hostedZone: zone } }, stack);
    service.addCustomDomain('Api', { domainName: 'api.example.com', hostedZone: zone });
    AppRunnerWebService.fromServiceArn(stack, 'Imported', ARN).addCustomDomain('Old', { domainName: 'old.example.com' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AppRunnerCustomDomain', 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // onEvent and isComplete, and the framework's onEvent, isComplete and onTimeout: once per stack.
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.hasResourceProperties('Custom::AppRunnerCustomDomain', { ServiceArn: ARN, DomainName: 'old.example.com' });
  });

  test.each([
    [{ domainName: 'shop example.com' }, /`customDomain.domainName` must be a domain name/],
    [{ domainName: 'localhost' }, /`customDomain.domainName` must be a domain name/],
    [{ domainName: 'shop.*.example.com' }, /may only have a wildcard as its first label/],
    [{ domainName: '*.example.com', enableWwwSubdomain: true }, /`customDomain.enableWwwSubdomain` is not possible for the wildcard '\*.example.com'/],
    [{ domainName: 'shop.example.org', zone: true }, /`customDomain.domainName` 'shop.example.org' is not in the hosted zone 'example.com'/],
    [{ domainName: 'shop.example.com', validationTimeout: Duration.minutes(90) }, /`customDomain.validationTimeout` must be between 1 and 55 minutes, got 1 hour 30 minutes/],
  ])('rejects %o', (options, message) => {
    const stack = newStack();
    const { zone, ...rest } = options as any;
    const hostedZone = zone ? new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' }) : undefined;
    expect(() => synthService({ customDomain: { ...rest, hostedZone } }, stack)).toThrow(message);
  });

  test('rejects a private hosted zone, which App Runner does not support', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'example.com', vpc });
    expect(() => synthService({ customDomain: { domainName: 'shop.example.com', hostedZone: zone } }, stack))
      .toThrow('`customDomain.hostedZone` must be a public hosted zone: App Runner does not support private hosted zones');
  });

  test('rejects two different timeouts in one stack (one provider)', () => {
    const stack = newStack();
    const { service } = synthService({ customDomain: { domainName: 'a.example.com', validationTimeout: Duration.minutes(20) } }, stack);
    expect(() => new CustomDomain(stack, 'B', { service, domainName: 'b.example.com' }))
      .toThrow(/all custom domains of a stack share one `validationTimeout`; this stack already uses 20 minutes/);
  });
});

describe('a hosted zone whose name is unknown', () => {
  test('a zone imported by ID is used without the in-zone check', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z123');
    synthService({ customDomain: { domainName: 'shop.example.org', hostedZone: zone } }, stack);
    Template.fromStack(stack).hasResourceProperties('Custom::AppRunnerCustomDomain', { DomainName: 'shop.example.org', HostedZoneId: 'Z123' });
  });

  test('any other error of the zone is passed on', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    Object.defineProperty(zone, 'zoneName', { get: () => { throw new Error('broken zone'); } });
    expect(() => synthService({ customDomain: { domainName: 'shop.example.com', hostedZone: zone } }, stack)).toThrow('broken zone');
  });
});

describe('the five-domain limit', () => {
  const domain = (name: string) => ({ domainName: name });

  const fiveDomains = () => {
    const stack = newStack();
    const { service } = synthService({ customDomain: domain('a.example.com') }, stack);
    for (const name of ['b', 'c', 'd', 'e']) service.addCustomDomain(name.toUpperCase(), domain(`${name}.example.com`));
    return { stack, service };
  };

  test('five domains on one service synthesize; a sixth fails synth, naming the service and every domain', () => {
    expect(() => Template.fromStack(fiveDomains().stack)).not.toThrow();
    const { stack, service } = fiveDomains();
    new CustomDomain(stack, 'Sixth', { service, domainName: 'f.example.com' });
    expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Web\] has 6 custom domains \(Stack\/Web\/CustomDomain, .*Stack\/Sixth\); App Runner allows 5 per service/);
  });

  test('the same domain twice fails synth, whatever its case', () => {
    const stack = newStack();
    const { service } = synthService({ customDomain: domain('shop.example.com') }, stack);
    service.addCustomDomain('Again', domain('Shop.Example.com.'));
    expect(() => Template.fromStack(stack)).toThrow("[Stack/Web] has the custom domain 'shop.example.com' more than once");
  });

  test('five on each of two services is fine', () => {
    const stack = newStack();
    for (const id of ['One', 'Two']) {
      const service = new AppRunnerWebService(stack, id, { source: Source.fromEcrPublic('public.ecr.aws/a/b:1') });
      for (const name of ['a', 'b', 'c', 'd', 'e']) service.addCustomDomain(name, domain(`${name}.${id.toLowerCase()}.example.com`));
    }
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
