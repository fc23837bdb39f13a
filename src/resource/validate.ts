/**
 * Pure validation of the inputs of PrivateLink for resources (resource gateways): IP addresses, DNS
 * names, resource ARNs, port ranges, RAM share principals and resource configuration ARNs. Like
 * `src/validate.ts`, each check takes the name of the input and the value and returns a problem message
 * (input, value, fix) or undefined. Callers skip unresolved tokens.
 */
import { isIP } from 'node:net';
import { Problem } from '../errors';
import type { ResourcePortRange } from './target';
import { checkAccountId } from '../validate';

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const REGION = '[a-z]{2}(-[a-z]+)+-\\d';
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** Whether the text is an IPv4 address (dotted quad). */
export function isIpv4Address(value: string): boolean {
  return isIP(value) === 4;
}

/** Whether the text is an IPv6 address. */
export function isIpv6Address(value: string): boolean {
  return isIP(value) === 6;
}

/** An IP address for `ResourceTarget.ipAddress()`: IPv4 or IPv6, of an address in the gateway's VPC. */
export function checkIpAddress(input: string, value: string): Problem {
  if (isIpv4Address(value) || isIpv6Address(value)) return undefined;
  const cidr = /^(.+)\/\d+$/.exec(value);
  const hint = cidr ? ` It is a CIDR block: a resource is one address, e.g. ${show(cidr[1])}.` : '';
  return (
    `${input}: ${show(value)} is not an IP address.${hint} Use the IPv4 or IPv6 address of the resource in the ` +
    'resource gateway\'s VPC, e.g. "10.0.1.20".'
  );
}

/**
 * A DNS name for `ResourceTarget.dnsName()`: at least two labels of letters, digits and inner hyphens
 * (up to 63 each), 253 characters at most, no wildcard, no trailing dot, not an IP address. AWS resolves
 * it from the gateway's VPC (a name such as an internal load balancer's, whose public record resolves to
 * private addresses).
 */
export function checkResourceDnsName(input: string, value: string): Problem {
  const example = 'Use the DNS name of the resource, e.g. "db.internal.example.com" or an internal load balancer\'s name.';
  if (isIpv4Address(value) || isIpv6Address(value)) {
    return `${input}: ${show(value)} is an IP address, not a DNS name. Use ResourceTarget.ipAddress(${show(value)}) for it.`;
  }
  if (value.includes('*')) return `${input}: ${show(value)} is a wildcard. A resource is one exact name. ${example}`;
  if (value.endsWith('.')) {
    return `${input}: ${show(value)} ends with a dot. Give the name without the trailing dot, e.g. ${show(value.replace(/\.+$/, ''))}.`;
  }
  if (value.length > 253) return `${input}: the name is ${value.length} characters long; a DNS name has at most 253. ${example}`;
  // (src/validate.ts checkDomainName checks the same form for a private DNS name, with its own messages;
  // it is not shared so that the handlers' bundles, which include src/validate.ts, stay as they are.)
  const labels = value.split('.');
  const bad = labels.find((l) => !DNS_LABEL.test(l));
  const why =
    labels.length < 2
      ? 'it has a single label'
      : bad !== undefined
        ? `the label ${show(bad)} is not 1-63 letters, digits or inner hyphens`
        : /^\d+$/.test(labels[labels.length - 1])
          ? 'it looks like an IP address'
          : undefined;
  return why ? `${input}: ${show(value)} is not a DNS name (${why}). ${example}` : undefined;
}

const RDS_ARN = new RegExp(`^arn:${PARTITION}:rds:${REGION}:\\d{12}:(db|cluster):[a-zA-Z][a-zA-Z0-9-]{0,62}$`);

/**
 * An ARN for `ResourceTarget.arn()`: the resource types a resource configuration of type ARN accepts
 * that this library supports, an Amazon RDS DB instance (`arn:aws:rds:<region>:<account>:db:<name>`) or
 * DB cluster (`…:cluster:<name>`).
 */
export function checkResourceArn(input: string, value: string): Problem {
  if (RDS_ARN.test(value)) return undefined;
  const service = /^arn:[^:]+:([^:]+):/.exec(value)?.[1];
  const why =
    service === undefined
      ? 'is not an ARN'
      : service === 'rds'
        ? 'is an RDS ARN, but not of a DB instance (db:) or DB cluster (cluster:)'
        : `is an ARN of ${service}, which a resource configuration of type ARN does not take here`;
  return (
    `${input}: ${show(value)} ${why}. Use the ARN of an Amazon RDS DB instance or cluster, e.g. ` +
    '"arn:aws:rds:us-east-1:123456789012:db:my-database"; for anything else share its DNS name ' +
    '(ResourceTarget.dnsName) or IP address (ResourceTarget.ipAddress).'
  );
}

/** The port ranges of a resource: each within 1-65535 and ordered, at least one, no overlap. */
export function checkPortRanges(input: string, ranges: ResourcePortRange[]): Problem[] {
  if (ranges.length === 0) {
    return [`${input}: the list is empty. Give at least one range, e.g. [{ fromPort: 5432 }], or use port.`];
  }
  const problems: Problem[] = [];
  const isPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  ranges.forEach((r, i) => {
    const to = r.toPort ?? r.fromPort;
    if (!isPort(r.fromPort)) {
      problems.push(`${input}[${i}].fromPort: ${show(r.fromPort)} is not a TCP port. Use a whole number from 1 to 65535.`);
    } else if (!isPort(to)) {
      problems.push(`${input}[${i}].toPort: ${show(to)} is not a TCP port. Use a whole number from 1 to 65535.`);
    } else if (to < r.fromPort) {
      problems.push(
        `${input}[${i}]: toPort ${to} is below fromPort ${r.fromPort}. Give the lower port as fromPort, e.g. { fromPort: ${to}, toPort: ${r.fromPort} }.`,
      );
    }
  });
  if (problems.length === 0) {
    const sorted = ranges.map((r, i) => ({ from: r.fromPort, to: r.toPort ?? r.fromPort, i })).sort((a, b) => a.from - b.from);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k].from <= sorted[k - 1].to) {
        problems.push(
          `${input}: ranges ${sorted[k - 1].i} (${portRangeText(ranges[sorted[k - 1].i])}) and ${sorted[k].i} ` +
            `(${portRangeText(ranges[sorted[k].i])}) overlap. Merge them into one range.`,
        );
      }
    }
  }
  return problems;
}

/** `5432` or `8000-8099`: a range as a resource configuration's PortRanges writes it. */
export function portRangeText(range: ResourcePortRange): string {
  const to = range.toPort ?? range.fromPort;
  return to === range.fromPort ? String(range.fromPort) : `${range.fromPort}-${to}`;
}

const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}$`);
const OU_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`);

/** What a RAM share principal is. */
export type SharePrincipalKind = 'account' | 'organizational-unit' | 'organization';

/** A principal of the resource share: a 12-digit account ID, an OU ARN or the organization's ARN. */
export function parseSharePrincipal(input: string, value: string): { kind: SharePrincipalKind } | { problem: string } {
  const v = value.trim();
  if (/^\d{12}$/.test(v)) return { kind: 'account' };
  if (OU_ARN.test(v)) return { kind: 'organizational-unit' };
  if (ORGANIZATION_ARN.test(v)) return { kind: 'organization' };
  const accountProblem = /^\d+$/.test(v) ? checkAccountId(input, v) : undefined;
  const hint =
    v === '*'
      ? ' A resource share has no wildcard principal.'
      : /^arn:[^:]+:iam::/.test(v)
        ? ' RAM shares a resource configuration with accounts, OUs or the organization, not IAM roles or users: name the account.'
        : /^(o|ou|r)-/.test(v)
          ? ' Give the full ARN, not the bare ID.'
          : '';
  return {
    problem:
      accountProblem ??
      `${input}: ${show(value)} is not an account ID, an OU ARN or an organization ARN.${hint} Use a 12-digit ` +
        'account ID ("123456789012"), an OU ARN ("arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-abcd-12345678") ' +
        'or the organization ARN ("arn:aws:organizations::111111111111:organization/o-exampleorgid").',
  };
}

const RESOURCE_CONFIGURATION_ARN = new RegExp(
  `^arn:${PARTITION}:vpc-lattice:(${REGION}):(\\d{12}):resourceconfiguration/rcfg-[0-9a-z]{17}$`,
);

/** A VPC Lattice resource configuration ARN: `arn:aws:vpc-lattice:<region>:<account>:resourceconfiguration/rcfg-<17>`. */
export function checkResourceConfigurationArn(input: string, value: string): Problem {
  if (RESOURCE_CONFIGURATION_ARN.test(value)) return undefined;
  const hint = /^rcfg-/.test(value)
    ? ' That is the configuration ID: give its ARN.'
    : /^com\.amazonaws\.vpce\./.test(value)
      ? ' That is an endpoint service name: use PrivateLinkConsumer for it.'
      : '';
  return (
    `${input}: ${show(value)} is not a resource configuration ARN.${hint} Use the ARN the provider team sends you ` +
    '(the provider stack output ResourceConfigurationArn), e.g. ' +
    '"arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0".'
  );
}

/** The region and account inside a valid resource configuration ARN. */
export function partsOfResourceConfigurationArn(arn: string): { region: string; account: string } | undefined {
  const m = RESOURCE_CONFIGURATION_ARN.exec(arn);
  return m ? { region: m[2], account: m[4] } : undefined;
}
