'use strict';
// Custom resource handler (CDK Provider framework: onEvent + isComplete) that links a custom
// domain to an App Runner service, which CloudFormation cannot do. It associates the domain,
// writes the certificate-validation records and the domain's own record into a Route 53 hosted
// zone when it has one, waits until App Runner reports the domain ACTIVE, and on delete removes
// the records it wrote and disassociates the domain.
//
// onEvent only names the association; every call to App Runner and Route 53 is made by isComplete,
// which reconciles: each poll reads the association and takes the steps that bring it closer to
// what the properties ask for (and, on delete, to nothing). A transient error only delays the
// next poll, and repeating a poll is harmless: records are written only when they differ,
// removed only where they still hold what this handler wrote.
//
// The Lambda runtime provides AWS SDK v3; nothing is bundled.

const {
  AppRunnerClient,
  AssociateCustomDomainCommand,
  DescribeCustomDomainsCommand,
  DescribeServiceCommand,
  DisassociateCustomDomainCommand,
} = require('@aws-sdk/client-apprunner');
const {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} = require('@aws-sdk/client-route-53');

/**
 * Route 53 hosted zone IDs of App Runner's domains, per Region: the alias target of a zone apex.
 * Source: docs.aws.amazon.com/general/latest/gr/apprunner.html ("Route 53 Hosted Zone ID").
 */
const APP_RUNNER_HOSTED_ZONE_IDS = {
  'us-east-1': 'Z01915732ZBZKC8D32TPT',
  'us-east-2': 'Z0224347AD7KVHMLOX31',
  'us-west-2': 'Z02243383FTQ64HJ5772Q',
  'ap-south-1': 'Z00855883LBHKTIC4ODF2',
  'ap-southeast-1': 'Z09819469CZ3KQ8PWMCL',
  'ap-southeast-2': 'Z03657752RA8799S0TI5I',
  'ap-northeast-1': 'Z08491812XW6IPYLR6CCA',
  'eu-central-1': 'Z0334911C2FDI2Q9M4FZ',
  'eu-west-1': 'Z087551914Z2PCAU0QHMW',
  'eu-west-2': 'Z098228427VC6B3IX76ON',
  'eu-west-3': 'Z087117439MBKHYM69QS6',
};

const RECORD_TTL = 300;

/** Errors worth another poll rather than a failed deployment. */
const TRANSIENT_ERRORS = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'PriorRequestNotComplete',
  'InternalServiceErrorException', 'ServiceUnavailableException', 'InternalFailure', 'RequestLimitExceeded',
]);

const apprunner = new AppRunnerClient({});
const route53 = new Route53Client({});

function log(message, fields = {}) {
  console.log(JSON.stringify({ message, ...fields }));
}

/** The association the resource properties ask for. */
function wanted(props) {
  const domainName = String(props.DomainName).toLowerCase().replace(/\.$/, '');
  return {
    serviceArn: props.ServiceArn,
    domainName,
    enableWww: props.EnableWWWSubdomain === true || props.EnableWWWSubdomain === 'true',
    hostedZoneId: props.HostedZoneId ? String(props.HostedZoneId).replace(/^\/hostedzone\//, '') : undefined,
  };
}

/** One association per service and domain; a change of either replaces the resource. */
function physicalIdOf(want) {
  return `${want.serviceArn}|${want.domainName}`;
}

function fqdn(name) {
  return name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;
}

/** Route 53 escapes `*` as `\052` in the names it returns. */
function sameName(a, b) {
  return fqdn(a.replace(/\\052/g, '*')) === fqdn(b.replace(/\\052/g, '*'));
}

function errorName(err) {
  return (err && (err.name || err.Code || err.code)) || 'Error';
}

/** The service's association for the domain, or undefined (also when the service is gone). */
async function findDomain(serviceArn, domainName) {
  let nextToken;
  let dnsTarget;
  try {
    do {
      const page = await apprunner.send(new DescribeCustomDomainsCommand({ ServiceArn: serviceArn, NextToken: nextToken }));
      dnsTarget = page.DNSTarget ?? dnsTarget;
      const found = (page.CustomDomains ?? []).find(d => d.DomainName.toLowerCase() === domainName);
      if (found) {
        return { ...found, status: String(found.Status).toLowerCase(), dnsTarget };
      }
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') {
      return undefined;
    }
    throw err;
  }
  return undefined;
}

/** The records the domain needs in its zone: validation CNAMEs and the domain's own records. */
async function recordsFor(want, domain) {
  const records = (domain.CertificateValidationRecords ?? [])
    .filter(r => r.Name && r.Value)
    .map(r => ({ Name: fqdn(r.Name), Type: r.Type || 'CNAME', TTL: RECORD_TTL, ResourceRecords: [{ Value: r.Value }] }));
  if (domain.dnsTarget) {
    const zone = await route53.send(new GetHostedZoneCommand({ Id: want.hostedZoneId }));
    if (sameName(zone.HostedZone.Name, want.domainName)) {
      const region = process.env.AWS_REGION;
      const aliasZone = APP_RUNNER_HOSTED_ZONE_IDS[region];
      if (!aliasZone) {
        throw new Error(`no App Runner hosted zone ID known for Region ${region}: cannot alias the zone apex ${want.domainName}`);
      }
      const alias = { HostedZoneId: aliasZone, DNSName: domain.dnsTarget, EvaluateTargetHealth: false };
      records.push({ Name: fqdn(want.domainName), Type: 'A', AliasTarget: alias });
      // A dual-stack service answers on IPv6 too: the apex needs the AAAA alias as well.
      if (await isDualStack(want.serviceArn)) {
        records.push({ Name: fqdn(want.domainName), Type: 'AAAA', AliasTarget: alias });
      }
    } else {
      records.push({ Name: fqdn(want.domainName), Type: 'CNAME', TTL: RECORD_TTL, ResourceRecords: [{ Value: domain.dnsTarget }] });
    }
    if (want.enableWww) {
      records.push({ Name: fqdn(`www.${want.domainName}`), Type: 'CNAME', TTL: RECORD_TTL, ResourceRecords: [{ Value: domain.dnsTarget }] });
    }
  }
  return merged(records);
}

/**
 * One record per name and type: App Runner may list the same validation record twice (for the
 * domain and for www), and Route 53 refuses a change batch that names a record twice.
 */
function merged(records) {
  const byKey = new Map();
  for (const record of records) {
    const key = `${fqdn(record.Name)} ${record.Type}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, record);
    } else if (!sameTarget(seen, record)) {
      throw new Error(`App Runner asks for two different ${record.Type} records named ${record.Name}; cannot write both`);
    }
  }
  return [...byKey.values()];
}

async function isDualStack(serviceArn) {
  const { Service } = await apprunner.send(new DescribeServiceCommand({ ServiceArn: serviceArn }));
  return String(Service?.NetworkConfiguration?.IpAddressType ?? '').toUpperCase() === 'DUAL_STACK';
}

/** The record of that name and type in the zone, or undefined. */
async function existingRecord(hostedZoneId, record) {
  const page = await route53.send(new ListResourceRecordSetsCommand({
    HostedZoneId: hostedZoneId,
    StartRecordName: record.Name,
    StartRecordType: record.Type,
    MaxItems: 1,
  }));
  const existing = (page.ResourceRecordSets ?? [])[0];
  return existing && sameName(existing.Name, record.Name) && existing.Type === record.Type ? existing : undefined;
}

/** Writes the records that are missing or differ; none when all are in place. */
async function writeRecords(want, domain) {
  const changes = [];
  for (const record of await recordsFor(want, domain)) {
    const existing = await existingRecord(want.hostedZoneId, record);
    if (!(existing && sameTarget(existing, record) && (record.AliasTarget || existing.TTL === record.TTL))) {
      changes.push({ Action: 'UPSERT', ResourceRecordSet: record });
    }
  }
  if (changes.length > 0) {
    await route53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: want.hostedZoneId,
      ChangeBatch: { Comment: `App Runner custom domain ${want.domainName}`, Changes: changes },
    }));
  }
  return changes.length;
}

/** Same target: what we wrote, not something else that has the name now. */
function sameTarget(existing, ours) {
  if (ours.AliasTarget) {
    return Boolean(existing.AliasTarget) && sameName(existing.AliasTarget.DNSName, ours.AliasTarget.DNSName);
  }
  const values = (existing.ResourceRecords ?? []).map(r => fqdn(r.Value));
  return values.length === 1 && values[0] === fqdn(ours.ResourceRecords[0].Value);
}

/**
 * Deletes the records this handler wrote for the domain, where they still hold what it wrote.
 * A zone that no longer exists has no records left to remove.
 */
async function removeRecords(want, domain) {
  if (!want.hostedZoneId || !domain) {
    return 0;
  }
  let deletions;
  try {
    deletions = [];
    for (const record of await recordsFor(want, domain)) {
      const existing = await existingRecord(want.hostedZoneId, record);
      if (existing && sameTarget(existing, record)) {
        deletions.push({ Action: 'DELETE', ResourceRecordSet: existing });
      }
    }
    if (deletions.length > 0) {
      await route53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: want.hostedZoneId,
        ChangeBatch: { Comment: `App Runner custom domain ${want.domainName} removed`, Changes: deletions },
      }));
    }
  } catch (err) {
    if (errorName(err) !== 'NoSuchHostedZone') throw err;
    log('hosted zone gone: no records to remove', { domainName: want.domainName, hostedZoneId: want.hostedZoneId });
    return 0;
  }
  if (deletions.length > 0) {
    log('records removed', { domainName: want.domainName, hostedZoneId: want.hostedZoneId, count: deletions.length });
  }
  return deletions.length;
}

/**
 * Asks App Runner to remove the association; true when it is removing it or it is gone. App
 * Runner refuses while the domain is still being created or the service is busy
 * (InvalidStateException): false, and the next poll asks again.
 */
async function disassociate(want) {
  try {
    await apprunner.send(new DisassociateCustomDomainCommand({ ServiceArn: want.serviceArn, DomainName: want.domainName }));
    log('disassociation started', { domainName: want.domainName });
    return true;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') {
      return true;
    }
    if (errorName(err) === 'InvalidStateException') {
      log('disassociation refused for now, asking again at the next poll', { domainName: want.domainName, detail: err.message });
      return false;
    }
    throw err;
  }
}

function describeRecords(domain) {
  return (domain.CertificateValidationRecords ?? [])
    .filter(r => r.Name && r.Value)
    .map(r => `${r.Name} ${r.Type || 'CNAME'} ${r.Value}`)
    .join('; ');
}

function resultData(want, domain) {
  return {
    DNSTarget: domain.dnsTarget ?? '',
    ValidationRecords: describeRecords(domain),
    Status: String(domain.Status),
    DomainName: want.domainName,
  };
}

exports.onEvent = async (event) => {
  const want = wanted(event.ResourceProperties);
  log('onEvent', { requestType: event.RequestType, domainName: want.domainName, serviceArn: want.serviceArn });
  switch (event.RequestType) {
    case 'Create':
    case 'Update':
      // A new physical ID (another service or domain) makes CloudFormation delete the old
      // association once this one is done.
      return { PhysicalResourceId: physicalIdOf(want) };
    case 'Delete':
      return { PhysicalResourceId: event.PhysicalResourceId };
    default:
      throw new Error(`unknown request type ${event.RequestType}`);
  }
};

exports.isComplete = async (event) => {
  const want = wanted(event.ResourceProperties);
  try {
    return await reconcile(event, want);
  } catch (err) {
    if (TRANSIENT_ERRORS.has(errorName(err))) {
      log('transient error, polling again', { error: errorName(err), detail: err.message });
      return { IsComplete: false };
    }
    throw err;
  }
};

async function reconcile(event, want) {
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId !== physicalIdOf(want)) {
      // The create failed before an association existed.
      return { IsComplete: true };
    }
    return { IsComplete: await removeAssociation(want) };
  }

  if (event.RequestType === 'Update') {
    const was = wanted(event.OldResourceProperties ?? {});
    if (physicalIdOf(was) === physicalIdOf(want) && was.hostedZoneId && was.hostedZoneId !== want.hostedZoneId) {
      // Same association, another zone: the old zone's records go (where they still point at
      // the service), then the new zone's are written below.
      await removeRecords(was, await findDomain(was.serviceArn, was.domainName));
    }
  }

  const domain = await findDomain(want.serviceArn, want.domainName);
  if (!domain) {
    try {
      await apprunner.send(new AssociateCustomDomainCommand({
        ServiceArn: want.serviceArn,
        DomainName: want.domainName,
        EnableWWWSubdomain: want.enableWww,
      }));
      log('association started', { domainName: want.domainName, enableWww: want.enableWww });
    } catch (err) {
      if (!(errorName(err) === 'InvalidRequestException' && /already/i.test(err.message ?? ''))) {
        throw err;
      }
      // An earlier call for this service got there first: the association shows up now. If it
      // does not, another service holds the domain (for example the service this one replaces).
      if (!(await findDomain(want.serviceArn, want.domainName))) {
        throw new Error(`${want.domainName} is associated with another App Runner service (${err.message}); ` +
          'remove it there first, or deploy without the custom domain and add it back in a second deployment');
      }
    }
    return { IsComplete: false };
  }

  if (domain.status === 'deleting') {
    return { IsComplete: false };
  }
  if (Boolean(domain.EnableWWWSubdomain) !== want.enableWww) {
    // App Runner cannot change the www option of an association: remove it, then associate again.
    await removeRecords({ ...want, enableWww: Boolean(domain.EnableWWWSubdomain) }, domain);
    await disassociate(want);
    return { IsComplete: false };
  }
  if (domain.status === 'create_failed' || domain.status === 'delete_failed') {
    throw new Error(`App Runner reports custom domain ${want.domainName} as ${domain.status}; see the service's events in the App Runner console`);
  }
  const failed = (domain.CertificateValidationRecords ?? []).filter(r => String(r.Status).toUpperCase() === 'FAILED');
  if (failed.length > 0) {
    throw new Error(`certificate validation failed for ${failed.map(r => r.Name).join(', ')} (${want.domainName}); check CAA records and that the zone is the domain's public, delegated zone`);
  }

  if (want.hostedZoneId) {
    const written = await writeRecords(want, domain);
    log('records written', { domainName: want.domainName, count: written, status: domain.status });
    return domain.status === 'active'
      ? { IsComplete: true, Data: resultData(want, domain) }
      : { IsComplete: false };
  }

  // Without a hosted zone the user creates the records, after this deployment: waiting for
  // validation would time out. Done as soon as the records are known.
  const known = (domain.CertificateValidationRecords ?? []).some(r => r.Name && r.Value);
  if (domain.status === 'active' || (known && domain.dnsTarget)) {
    return { IsComplete: true, Data: resultData(want, domain) };
  }
  return { IsComplete: false };
}

/**
 * The steps of a delete, one poll at a time: the records go, then the association; done when
 * App Runner no longer lists it (or the service is gone with it).
 */
async function removeAssociation(want) {
  const domain = await findDomain(want.serviceArn, want.domainName);
  log('removing association', { domainName: want.domainName, status: domain?.status ?? 'gone' });
  if (!domain) {
    return true;
  }
  if (domain.status === 'deleting') {
    return false;
  }
  await removeRecords(want, domain);
  await disassociate(want);
  return false;
}

exports.APP_RUNNER_HOSTED_ZONE_IDS = APP_RUNNER_HOSTED_ZONE_IDS;
