import { Annotations, CfnOutput, CustomResource, Duration, Token } from 'aws-cdk-lib';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { lazy, route53 as loadRoute53 } from './private/lazy';
import { withPath } from './private/validation';
import type { IAppRunnerServiceRef } from './service-ref';

// The handler functions and their Provider, loaded when a stack has a custom domain.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const customDomainProvider = lazy(() => require('./private/custom-domain-provider') as typeof import('./private/custom-domain-provider'));

/** CloudFormation waits at most an hour for a custom resource. */
const MAX_VALIDATION_TIMEOUT_MINUTES = 55;

/**
 * A custom domain for a service.
 */
export interface CustomDomainOptions {
  /**
   * The domain: a zone apex (`example.com`), a subdomain (`app.example.com`) or a wildcard
   * (`*.example.com`). Changing it replaces the association.
   */
  readonly domainName: string;

  /**
   * The public Route 53 hosted zone of the domain. The certificate-validation records and the
   * domain's record (a CNAME, or an alias A record at the zone apex) are written into it, and the
   * deployment waits until App Runner reports the domain active.
   * @default - no zone: the records to create are stack outputs, and the deployment does not wait
   *   for validation
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * Whether `www.<domainName>` is associated too. Not for a wildcard.
   * @default false
   */
  readonly enableWwwSubdomain?: boolean;

  /**
   * How long the deployment waits for App Runner to validate the domain, at most 55 minutes
   * (CloudFormation waits an hour for a custom resource). Validation usually takes minutes.
   * @default Duration.minutes(55)
   */
  readonly validationTimeout?: Duration;
}

/**
 * Properties of a `CustomDomain`.
 */
export interface CustomDomainProps extends CustomDomainOptions {
  /**
   * The service that answers on the domain.
   */
  readonly service: IAppRunnerServiceRef;
}

/**
 * A custom domain linked to an App Runner service (App Runner's `AssociateCustomDomain`, which
 * CloudFormation has no resource for), through a custom resource shipped in this package.
 * A service takes up to five.
 */
export class CustomDomain extends Construct {
  /**
   * The domain name.
   */
  public readonly domainName: string;

  /**
   * The host name the domain's record points to.
   */
  public readonly dnsTarget: string;

  /**
   * The certificate-validation records App Runner asked for, as `name CNAME value` separated
   * by `; ` (for a domain without a hosted zone: create these, and a CNAME to `dnsTarget`).
   */
  public readonly validationRecords: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const domainName = props.domainName;
    const timeout = withPath(this, () => {
      if (!Token.isUnresolved(domainName)) {
        if (!/^[A-Za-z0-9*.-]{1,255}$/.test(domainName) || !domainName.includes('.')) {
          throw new Error(`\`customDomain.domainName\` must be a domain name of up to 255 letters, digits, '-', '.' and '*', got '${domainName}'`);
        }
        if (domainName.includes('*') && !domainName.startsWith('*.')) {
          throw new Error(`\`customDomain.domainName\` may only have a wildcard as its first label ('*.example.com'), got '${domainName}'`);
        }
        if (domainName.startsWith('*.') && props.enableWwwSubdomain) {
          throw new Error(`\`customDomain.enableWwwSubdomain\` is not possible for the wildcard '${domainName}'`);
        }
      }
      if (props.hostedZone instanceof loadRoute53().PrivateHostedZone) {
        throw new Error('`customDomain.hostedZone` must be a public hosted zone: App Runner does not support private hosted zones');
      }
      const zoneName = knownZoneName(props.hostedZone);
      if (zoneName && !Token.isUnresolved(domainName)) {
        const name = domainName.toLowerCase().replace(/\.$/, '');
        const zone = zoneName.toLowerCase().replace(/\.$/, '');
        if (name !== zone && !name.endsWith(`.${zone}`)) {
          throw new Error(`\`customDomain.domainName\` '${domainName}' is not in the hosted zone '${zoneName}'`);
        }
      }
      const validationTimeout = props.validationTimeout ?? Duration.minutes(MAX_VALIDATION_TIMEOUT_MINUTES);
      if (validationTimeout.toSeconds() < 60 || validationTimeout.toSeconds() > MAX_VALIDATION_TIMEOUT_MINUTES * 60) {
        throw new Error(`\`customDomain.validationTimeout\` must be between 1 and 55 minutes, got ${validationTimeout.toHumanString()}`);
      }
      return validationTimeout;
    });

    const provider = customDomainProvider().providerFor(this, timeout);
    const handlerRole = provider.role;
    if (props.hostedZone) {
      provider.allowRecordChanges();
    }

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.provider.serviceToken,
      resourceType: 'Custom::AppRunnerCustomDomain',
      properties: {
        ServiceArn: props.service.serviceArn,
        DomainName: domainName,
        EnableWWWSubdomain: String(props.enableWwwSubdomain ?? false),
        HostedZoneId: props.hostedZone?.hostedZoneId,
      },
    });
    // The handler's permissions exist before it runs, and are removed only after it is done.
    resource.node.addDependency(handlerRole);

    this.domainName = domainName;
    registerDomain(props.service, this);
    this.dnsTarget = resource.getAttString('DNSTarget');
    this.validationRecords = resource.getAttString('ValidationRecords');

    if (!props.hostedZone) {
      new CfnOutput(this, 'ValidationRecordsOutput', {
        description: `Certificate-validation records to create for ${domainName} (name CNAME value; ...)`,
        value: this.validationRecords,
      });
      new CfnOutput(this, 'DnsTargetOutput', {
        description: `Point ${domainName} at this host name (CNAME, or an alias at a zone apex)`,
        value: this.dnsTarget,
      });
    }
  }
}

/**
 * The zone's name when it is known at synth time. A zone imported by ID has none: reading its
 * `zoneName` throws aws-cdk-lib's "Cannot reference `zoneName`" error, which means "unknown" here;
 * any other error is passed on.
 */
function knownZoneName(zone: route53.IHostedZone | undefined): string | undefined {
  if (!zone) {
    return undefined;
  }
  let name: string;
  try {
    name = zone.zoneName;
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Cannot reference `zoneName`')) {
      return undefined;
    }
    throw err;
  }
  return Token.isUnresolved(name) ? undefined : name;
}

/** App Runner's quota of custom domains per service. */
const DOMAINS_PER_SERVICE = 5;
const domainsOf = new WeakMap<IAppRunnerServiceRef, CustomDomain[]>();

/**
 * Records `domain` on its service; the service's validation, once the whole app is defined,
 * fails on a sixth domain or the same domain twice (App Runner would fail the association at
 * deploy time), whether they came from `customDomain`, `addCustomDomain` or `new CustomDomain`.
 */
function registerDomain(service: IAppRunnerServiceRef, domain: CustomDomain): void {
  let domains = domainsOf.get(service);
  if (!domains) {
    const list: CustomDomain[] = domains = [];
    domainsOf.set(service, list);
    // A replaced service gets a new URL and cannot take over a domain the old one still holds
    // (the handler then fails the deployment, saying so). Which change replaces it is known only
    // at deploy time: said once, at synth.
    Annotations.of(service).addInfo('with a custom domain: a change of `serviceName`, `kmsKey` or the tags replaces the App Runner '
      + 'service (CloudFormation create-only properties), and the new service cannot take over the domain while the old one '
      + 'holds it. Remove the custom domain in one deployment, make the change, then add the domain back.');
    service.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (list.length > DOMAINS_PER_SERVICE) {
          errors.push(`has ${list.length} custom domains (${list.map(d => d.node.path).join(', ')}); App Runner allows ${DOMAINS_PER_SERVICE} per service`);
        }
        const names = list.map(d => d.domainName).filter(name => !Token.isUnresolved(name)).map(name => name.toLowerCase().replace(/\.$/, ''));
        for (const name of new Set(names.filter((candidate, i) => names.indexOf(candidate) !== i))) {
          errors.push(`has the custom domain '${name}' more than once; a domain can be linked once`);
        }
        return errors;
      },
    });
  }
  domains.push(domain);
}
