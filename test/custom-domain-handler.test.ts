// The custom-domain handler as code: its calls to App Runner and Route 53 are checked at the SDK
// client boundary (aws-sdk-client-mock), through create, update, delete, a validation that is
// pending and then succeeds, API errors and repeated polls.
import {
  AppRunnerClient,
  AssociateCustomDomainCommand,
  CustomDomainAssociationStatus,
  DescribeCustomDomainsResponse,
  DescribeCustomDomainsCommand,
  DescribeServiceCommand,
  DisassociateCustomDomainCommand,
} from '@aws-sdk/client-apprunner';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const handler = require('../assets/custom-domain-handler/index.js');

const apprunner = mockClient(AppRunnerClient);
const route53 = mockClient(Route53Client);

const SERVICE = 'arn:aws:apprunner:us-east-1:123456789012:service/shop/0123456789abcdef0123456789abcdef';
const TARGET = 'abcdefgh12.us-east-1.awsapprunner.com';
const PROPS = { ServiceArn: SERVICE, DomainName: 'shop.example.com', EnableWWWSubdomain: 'false', HostedZoneId: 'Z123' };
const PHYSICAL_ID = `${SERVICE}|shop.example.com`;
const VALIDATION = [
  { Name: '_a1.shop.example.com.', Type: 'CNAME', Value: '_b1.acm-validations.aws.', Status: 'PENDING_VALIDATION' },
  { Name: '_a2.shop.example.com.', Type: 'CNAME', Value: '_b2.acm-validations.aws.', Status: 'PENDING_VALIDATION' },
];

function serviceError(name: string, message = name): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** The association App Runner reports (older API versions spelled the status in lower case). */
function domain(status: string, fields: Record<string, unknown> = {}): DescribeCustomDomainsResponse {
  return {
    DNSTarget: TARGET,
    ServiceArn: SERVICE,
    VpcDNSTargets: [],
    CustomDomains: [{
      DomainName: 'shop.example.com',
      EnableWWWSubdomain: false,
      Status: status as CustomDomainAssociationStatus,
      ...fields,
    }],
  };
}

const NONE: DescribeCustomDomainsResponse = { DNSTarget: TARGET, ServiceArn: SERVICE, CustomDomains: [], VpcDNSTargets: [] };

function event(requestType: string, extra: Record<string, unknown> = {}) {
  return { RequestType: requestType, ResourceProperties: PROPS, PhysicalResourceId: PHYSICAL_ID, ...extra };
}

function changesOf(call: number) {
  return route53.commandCalls(ChangeResourceRecordSetsCommand)[call].args[0].input.ChangeBatch!.Changes!;
}

let logs: jest.SpyInstance;
beforeEach(() => {
  apprunner.reset();
  route53.reset();
  route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: '/hostedzone/Z123', Name: 'example.com.', CallerReference: 'x' }, DelegationSet: { NameServers: [] } });
  route53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: 'c', Status: 'PENDING', SubmittedAt: new Date() } });
  // An empty zone and an IPv4 service unless a test says otherwise.
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 1 });
  apprunner.on(DescribeServiceCommand).resolves({ Service: { NetworkConfiguration: { IpAddressType: 'IPV4' } } as any });
  process.env.AWS_REGION = 'us-east-1';
  logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => logs.mockRestore());

describe('create', () => {
  test('onEvent names the association by service and domain and calls nothing', async () => {
    await expect(handler.onEvent(event('Create', { PhysicalResourceId: undefined }))).resolves.toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(apprunner.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
  });

  test('associates, writes the records while validation is pending, and completes once active', async () => {
    // Poll 1: no association yet -> associate.
    apprunner.on(DescribeCustomDomainsCommand).resolvesOnce(NONE)
      // Poll 2: creating, validation records not known yet -> only the domain's own record.
      .resolvesOnce(domain('creating'))
      // Poll 3: pending validation with records -> records written, still waiting.
      .resolvesOnce(domain('pending_certificate_dns_validation', { CertificateValidationRecords: VALIDATION }))
      // Poll 4: active -> done.
      .resolvesOnce(domain('active', { CertificateValidationRecords: VALIDATION.map(r => ({ ...r, Status: 'SUCCESS' })) }));
    apprunner.on(AssociateCustomDomainCommand).resolves({});

    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)[0].args[0].input)
      .toEqual({ ServiceArn: SERVICE, DomainName: 'shop.example.com', EnableWWWSubdomain: false });

    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
    expect(changesOf(0).map(c => c.ResourceRecordSet!.Name)).toEqual(['shop.example.com.']);
    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
    expect(changesOf(1)).toEqual([
      { Action: 'UPSERT', ResourceRecordSet: { Name: '_a1.shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: '_b1.acm-validations.aws.' }] } },
      { Action: 'UPSERT', ResourceRecordSet: { Name: '_a2.shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: '_b2.acm-validations.aws.' }] } },
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: TARGET }] } },
    ]);

    await expect(handler.isComplete(event('Create'))).resolves.toEqual({
      IsComplete: true,
      Data: {
        DNSTarget: TARGET,
        DomainName: 'shop.example.com',
        Status: 'active',
        ValidationRecords: '_a1.shop.example.com. CNAME _b1.acm-validations.aws.; _a2.shop.example.com. CNAME _b2.acm-validations.aws.',
      },
    });
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)).toHaveLength(1);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(3);
  });

  test('the zone apex gets an alias A record to App Runner\'s zone of the Region, www a CNAME', async () => {
    process.env.AWS_REGION = 'eu-west-1';
    const props = { ...PROPS, DomainName: 'Example.com.', EnableWWWSubdomain: 'true' };
    apprunner.on(DescribeCustomDomainsCommand).resolves({
      DNSTarget: TARGET,
      CustomDomains: [{ DomainName: 'example.com', EnableWWWSubdomain: true, Status: 'PENDING_CERTIFICATE_DNS_VALIDATION', CertificateValidationRecords: [] }],
    });
    await expect(handler.isComplete({ ...event('Create'), ResourceProperties: props })).resolves.toEqual({ IsComplete: false });
    expect(changesOf(0)).toEqual([
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'example.com.', Type: 'A', AliasTarget: { HostedZoneId: 'Z087551914Z2PCAU0QHMW', DNSName: TARGET, EvaluateTargetHealth: false } } },
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'www.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: TARGET }] } },
    ]);
  });

  test('without a zone, completes as soon as the records are known, and touches no DNS', async () => {
    const props = { ...PROPS, HostedZoneId: undefined };
    apprunner.on(DescribeCustomDomainsCommand).resolvesOnce(domain('creating'))
      .resolvesOnce(domain('pending_certificate_dns_validation', { CertificateValidationRecords: VALIDATION }));
    await expect(handler.isComplete({ ...event('Create'), ResourceProperties: props })).resolves.toEqual({ IsComplete: false });
    const done = await handler.isComplete({ ...event('Create'), ResourceProperties: props });
    expect(done.IsComplete).toBe(true);
    expect(done.Data.ValidationRecords).toContain('_a1.shop.example.com. CNAME _b1.acm-validations.aws.');
    expect(done.Data.DNSTarget).toBe(TARGET);
    expect(route53.calls()).toHaveLength(0);
  });

  test('a repeated poll after a lost answer does not associate twice', async () => {
    // The association exists already (an earlier poll made it): no second AssociateCustomDomain.
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('PENDING_CERTIFICATE_DNS_VALIDATION', { CertificateValidationRecords: VALIDATION }));
    await handler.isComplete(event('Create'));
    await handler.isComplete(event('Create'));
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)).toHaveLength(0);
  });

  test('an association made concurrently ("already associated") is not an error', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolvesOnce(NONE).resolves(domain('CREATING'));
    apprunner.on(AssociateCustomDomainCommand).rejects(serviceError('InvalidRequestException', 'Domain shop.example.com is already associated with this service'));
    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
  });

  test('a domain held by another service fails at once, saying what to do', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(NONE);
    apprunner.on(AssociateCustomDomainCommand).rejects(serviceError('InvalidRequestException', 'Domain shop.example.com is already associated'));
    await expect(handler.isComplete(event('Create'))).rejects
      .toThrow(/shop.example.com is associated with another App Runner service .*deploy without the custom domain and add it back/);
  });

  test('finds the domain on a later page of DescribeCustomDomains', async () => {
    apprunner.on(DescribeCustomDomainsCommand, { NextToken: undefined }).resolves({ ...NONE, NextToken: 'page2' });
    apprunner.on(DescribeCustomDomainsCommand, { NextToken: 'page2' }).resolves(domain('ACTIVE', { CertificateValidationRecords: VALIDATION }));
    const done = await handler.isComplete(event('Create'));
    expect(done.IsComplete).toBe(true);
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)).toHaveLength(0);
  });
});

describe('errors', () => {
  test('a failed association fails the deployment with App Runner\'s status', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('CREATE_FAILED'));
    await expect(handler.isComplete(event('Create'))).rejects.toThrow('App Runner reports custom domain shop.example.com as create_failed');
  });

  test('a failed validation record fails the deployment, naming the record', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('pending_certificate_dns_validation', {
      CertificateValidationRecords: [{ ...VALIDATION[0], Status: 'FAILED' }],
    }));
    await expect(handler.isComplete(event('Create'))).rejects.toThrow(/certificate validation failed for _a1.shop.example.com./);
  });

  test('a permission error fails the deployment; throttling only delays the next poll', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(NONE);
    apprunner.on(AssociateCustomDomainCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform apprunner:AssociateCustomDomain'));
    await expect(handler.isComplete(event('Create'))).rejects.toThrow('not authorized to perform apprunner:AssociateCustomDomain');

    apprunner.reset();
    apprunner.on(DescribeCustomDomainsCommand).rejects(serviceError('ThrottlingException'));
    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
  });

  test('a Route 53 error while writing records fails the deployment', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('pending_certificate_dns_validation', { CertificateValidationRecords: VALIDATION }));
    route53.on(ChangeResourceRecordSetsCommand).rejects(serviceError('InvalidChangeBatch', 'RRSet of type CNAME with DNS name shop.example.com. is not permitted'));
    await expect(handler.isComplete(event('Create'))).rejects.toThrow(/is not permitted/);
  });

  test('an apex in a Region without a known App Runner zone is an error, not a wrong record', async () => {
    process.env.AWS_REGION = 'sa-east-1';
    apprunner.on(DescribeCustomDomainsCommand).resolves({ DNSTarget: TARGET, CustomDomains: [{ DomainName: 'example.com', EnableWWWSubdomain: false, Status: 'CREATING' }] });
    await expect(handler.isComplete({ ...event('Create'), ResourceProperties: { ...PROPS, DomainName: 'example.com' } }))
      .rejects.toThrow('no App Runner hosted zone ID known for Region sa-east-1');
  });
});

/** A zone that holds `records` (Route 53's answer to a ListResourceRecordSets from a name and type). */
function zoneHolding(records: any[]) {
  route53.on(ListResourceRecordSetsCommand).callsFake(input => {
    const start = records.findIndex(r => r.Name === input.StartRecordName && r.Type === input.StartRecordType);
    return { ResourceRecordSets: start === -1 ? [] : [records[start]], IsTruncated: false, MaxItems: 1 };
  });
}

const OUR_RECORDS = [
  { Name: '_a1.shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: '_b1.acm-validations.aws.' }] },
  { Name: '_a2.shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: '_b2.acm-validations.aws.' }] },
  { Name: 'shop.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: TARGET }] },
];

describe('update', () => {
  test('onEvent calls nothing; a new domain is a new physical ID (CloudFormation then deletes the old association)', async () => {
    const result = await handler.onEvent(event('Update', {
      ResourceProperties: { ...PROPS, DomainName: 'store.example.com' },
      OldResourceProperties: PROPS,
    }));
    expect(result).toEqual({ PhysicalResourceId: `${SERVICE}|store.example.com` });
    expect(apprunner.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
  });

  test('another hosted zone: in the polls, the old zone\'s records are removed (where they still point at the service) and the new zone\'s written', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('ACTIVE', { CertificateValidationRecords: VALIDATION }));
    // Old zone: one record is someone else's now (kept); the new zone is empty.
    const oldZone = [OUR_RECORDS[0], { ...OUR_RECORDS[1], ResourceRecords: [{ Value: 'elsewhere.example.net.' }] }, OUR_RECORDS[2]];
    route53.on(ListResourceRecordSetsCommand).callsFake(input => {
      const records = input.HostedZoneId === 'Z123' ? oldZone : [];
      const found = records.find(r => r.Name === input.StartRecordName && r.Type === input.StartRecordType);
      return { ResourceRecordSets: found ? [found] : [], IsTruncated: false, MaxItems: 1 };
    });
    const update = event('Update', { ResourceProperties: { ...PROPS, HostedZoneId: 'Z999' }, OldResourceProperties: PROPS });

    expect(await handler.onEvent(update)).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    const done = await handler.isComplete(update);
    expect(done.IsComplete).toBe(true);
    const calls = route53.commandCalls(ChangeResourceRecordSetsCommand).map(c => c.args[0].input);
    expect(calls.map(c => [c.HostedZoneId, c.ChangeBatch!.Changes!.map(ch => `${ch.Action} ${ch.ResourceRecordSet!.Name}`)])).toEqual([
      ['Z123', ['DELETE _a1.shop.example.com.', 'DELETE shop.example.com.']],
      ['Z999', ['UPSERT _a1.shop.example.com.', 'UPSERT _a2.shop.example.com.', 'UPSERT shop.example.com.']],
    ]);
  });

  test('a repeated poll writes nothing when the records are in place', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('PENDING_CERTIFICATE_DNS_VALIDATION', { CertificateValidationRecords: VALIDATION }));
    zoneHolding(OUR_RECORDS);
    await expect(handler.isComplete(event('Create'))).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event('Update', { OldResourceProperties: PROPS }))).resolves.toEqual({ IsComplete: false });
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });

  test('only the record that differs is written', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('PENDING_CERTIFICATE_DNS_VALIDATION', { CertificateValidationRecords: VALIDATION }));
    zoneHolding([OUR_RECORDS[0], OUR_RECORDS[1], { ...OUR_RECORDS[2], ResourceRecords: [{ Value: 'old-target.awsapprunner.com' }] }]);
    await handler.isComplete(event('Create'));
    expect(changesOf(0).map(c => `${c.Action} ${c.ResourceRecordSet!.Name}`)).toEqual(['UPSERT shop.example.com.']);
  });

  test('a domain change: the new association is made, and the old one\'s delete (with its own properties) removes it', async () => {
    const store = { ...PROPS, DomainName: 'store.example.com' };
    apprunner.on(DescribeCustomDomainsCommand).resolves({ ...NONE });
    apprunner.on(AssociateCustomDomainCommand).resolves({});
    await handler.isComplete(event('Update', { ResourceProperties: store, OldResourceProperties: PROPS, PhysicalResourceId: `${SERVICE}|store.example.com` }));
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)[0].args[0].input.DomainName).toBe('store.example.com');

    // CloudFormation's cleanup: a Delete for the old physical ID, with the old properties.
    apprunner.reset();
    apprunner.on(DescribeServiceCommand).resolves({ Service: {} as any });
    apprunner.on(DescribeCustomDomainsCommand).resolvesOnce(domain('ACTIVE', { CertificateValidationRecords: VALIDATION })).resolves(NONE);
    apprunner.on(DisassociateCustomDomainCommand).resolves({});
    zoneHolding(OUR_RECORDS);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)[0].args[0].input.DomainName).toBe('shop.example.com');
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
  });

  test('turning on www: disassociates, waits, associates again with www', async () => {
    const withWww = { ...PROPS, EnableWWWSubdomain: 'true' };
    const update = { ...event('Update'), ResourceProperties: withWww, OldResourceProperties: PROPS };
    apprunner.on(DescribeCustomDomainsCommand)
      .resolvesOnce(domain('ACTIVE', { CertificateValidationRecords: VALIDATION }))
      .resolvesOnce(domain('DELETING'))
      .resolvesOnce(NONE);
    apprunner.on(DisassociateCustomDomainCommand).resolves({});
    apprunner.on(AssociateCustomDomainCommand).resolves({});

    expect(await handler.onEvent(update)).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    await expect(handler.isComplete(update)).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(1);
    await expect(handler.isComplete(update)).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(update)).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(AssociateCustomDomainCommand)[0].args[0].input.EnableWWWSubdomain).toBe(true);
  });
});

describe('records', () => {
  test('a validation record App Runner lists twice is written once (Route 53 refuses a batch naming it twice)', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('PENDING_CERTIFICATE_DNS_VALIDATION', {
      CertificateValidationRecords: [...VALIDATION, { ...VALIDATION[0], Name: '_A1.shop.example.com' }],
    }));
    await handler.isComplete(event('Create'));
    expect(changesOf(0).map(c => c.ResourceRecordSet!.Name)).toEqual(['_a1.shop.example.com.', '_a2.shop.example.com.', 'shop.example.com.']);
  });

  test('the apex of a dual-stack service gets an AAAA alias as well', async () => {
    apprunner.on(DescribeServiceCommand).resolves({ Service: { NetworkConfiguration: { IpAddressType: 'DUAL_STACK' } } as any });
    apprunner.on(DescribeCustomDomainsCommand).resolves({
      DNSTarget: TARGET,
      CustomDomains: [{ DomainName: 'example.com', EnableWWWSubdomain: false, Status: 'CREATING', CertificateValidationRecords: [] }],
    });
    await handler.isComplete({ ...event('Create'), ResourceProperties: { ...PROPS, DomainName: 'example.com' } });
    expect(changesOf(0).map(c => `${c.ResourceRecordSet!.Type} ${c.ResourceRecordSet!.AliasTarget?.DNSName}`)).toEqual([`A ${TARGET}`, `AAAA ${TARGET}`]);
  });
});

describe('delete', () => {
  test('onEvent calls nothing; the polls remove the records, disassociate, and complete once the association is gone', async () => {
    apprunner.on(DescribeCustomDomainsCommand)
      .resolvesOnce(domain('ACTIVE', { CertificateValidationRecords: VALIDATION }))
      .resolvesOnce(domain('DELETING'))
      .resolvesOnce(NONE);
    apprunner.on(DisassociateCustomDomainCommand).resolves({});
    zoneHolding(OUR_RECORDS);

    await expect(handler.onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(apprunner.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(changesOf(0).map(c => [c.Action, c.ResourceRecordSet!.Name])).toEqual([
      ['DELETE', '_a1.shop.example.com.'],
      ['DELETE', '_a2.shop.example.com.'],
      ['DELETE', 'shop.example.com.'],
    ]);
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)[0].args[0].input)
      .toEqual({ ServiceArn: SERVICE, DomainName: 'shop.example.com' });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(1);
  });

  test('while the domain is still being created, the disassociation App Runner refuses is asked again at the next poll', async () => {
    apprunner.on(DescribeCustomDomainsCommand)
      .resolvesOnce(domain('CREATING'))
      .resolvesOnce(domain('PENDING_CERTIFICATE_DNS_VALIDATION'))
      .resolvesOnce(domain('DELETING'))
      .resolves(NONE);
    apprunner.on(DisassociateCustomDomainCommand)
      .rejectsOnce(serviceError('InvalidStateException', 'custom domain is in CREATING state'))
      .resolves({});
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(2);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
  });

  test('throttling and a vanished zone do not fail it: the next poll goes on', async () => {
    apprunner.on(DescribeCustomDomainsCommand)
      .rejectsOnce(serviceError('ThrottlingException'))
      .resolvesOnce(domain('ACTIVE', { CertificateValidationRecords: VALIDATION }))
      .resolves(NONE);
    route53.on(GetHostedZoneCommand).rejects(serviceError('NoSuchHostedZone', 'No hosted zone found with ID: Z123'));
    route53.on(ListResourceRecordSetsCommand).rejects(serviceError('NoSuchHostedZone', 'No hosted zone found with ID: Z123'));
    apprunner.on(DisassociateCustomDomainCommand).resolves({});
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(1);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
  });

  test('after the service was replaced and deleted: the association went with it, the delete completes', async () => {
    apprunner.on(DescribeCustomDomainsCommand).rejects(serviceError('ResourceNotFoundException', 'service not found'));
    await expect(handler.onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: PHYSICAL_ID });
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(0);
  });

  test('rollback of a failed create: the records written so far and the association are removed', async () => {
    // The create associated and wrote records, then validation failed.
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('pending_certificate_dns_validation', {
      CertificateValidationRecords: [{ ...VALIDATION[0], Status: 'FAILED' }, VALIDATION[1]],
    }));
    await expect(handler.isComplete(event('Create'))).rejects.toThrow(/certificate validation failed/);
    // CloudFormation rolls back with a Delete for the physical ID onEvent returned.
    apprunner.reset();
    apprunner.on(DescribeServiceCommand).resolves({ Service: {} as any });
    apprunner.on(DescribeCustomDomainsCommand)
      .resolvesOnce(domain('PENDING_CERTIFICATE_DNS_VALIDATION', { CertificateValidationRecords: VALIDATION }))
      .resolves(NONE);
    apprunner.on(DisassociateCustomDomainCommand).resolves({});
    zoneHolding([OUR_RECORDS[1], OUR_RECORDS[2]]);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(changesOf(0).map(c => `${c.Action} ${c.ResourceRecordSet!.Name}`)).toEqual(['DELETE _a2.shop.example.com.', 'DELETE shop.example.com.']);
    expect(apprunner.commandCalls(DisassociateCustomDomainCommand)).toHaveLength(1);
    await expect(handler.isComplete(event('Delete'))).resolves.toEqual({ IsComplete: true });
  });

  test('after a failed create (no association of ours) calls nothing', async () => {
    const failed = { ...event('Delete'), PhysicalResourceId: 'some-request-id' };
    await expect(handler.onEvent(failed)).resolves.toEqual({ PhysicalResourceId: 'some-request-id' });
    await expect(handler.isComplete(failed)).resolves.toEqual({ IsComplete: true });
    expect(apprunner.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
  });

  test('a disassociation error other than "gone" or "not now" fails the delete', async () => {
    apprunner.on(DescribeCustomDomainsCommand).resolves(domain('ACTIVE'));
    apprunner.on(DisassociateCustomDomainCommand).rejects(serviceError('AccessDeniedException', 'denied'));
    await expect(handler.isComplete(event('Delete'))).rejects.toThrow('denied');
  });
});

test('the zone IDs of App Runner\'s domains cover every App Runner Region', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { APP_RUNNER_REGIONS } = require('../src/private/regions');
  expect(Object.keys(handler.APP_RUNNER_HOSTED_ZONE_IDS).sort()).toEqual([...APP_RUNNER_REGIONS].sort());
});
