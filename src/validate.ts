/**
 * Pure validation of user input. Each check takes the name of the input (a prop path, an env var or a
 * context key) and the value, and returns a problem message — naming the input, the value and the fix —
 * or undefined. Callers skip unresolved CDK tokens before calling these (see `isToken` in the constructs).
 */
import { Problem } from './errors';

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const IAM_PRINCIPAL_ARN = new RegExp(
  `^arn:${PARTITION}:iam::(\\d{12}):(root|(role|user|assumed-role)/[\\w+=,.@/-]{1,512})$`,
);
// China regions prefix the name with `cn.` (`cn.com.amazonaws.vpce.cn-north-1.vpce-svc-…`).
const SERVICE_NAME = /^(?:cn\.)?com\.amazonaws\.vpce\.([a-z]{2}(-[a-z]+)+-\d)\.vpce-svc-[0-9a-f]{17}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** A 12-digit AWS account ID. */
export function checkAccountId(input: string, value: string): Problem {
  if (ACCOUNT_ID.test(value)) return undefined;
  const hint = /^\d+$/.test(value)
    ? ` It has ${value.length} digit${value.length === 1 ? '' : 's'}; account IDs have exactly 12 (keep leading zeros).`
    : '';
  return `${input}: ${show(value)} is not an AWS account ID.${hint} Use the 12-digit ID of the account, e.g. "123456789012".`;
}

/** The result of reading one allowed principal. */
export interface ParsedPrincipal {
  /** The principal ARN to put in the service permissions, or '*' for anyone. */
  readonly arn: string;
  /** The 12-digit account of the principal, when it names one. */
  readonly accountId?: string;
}

/**
 * Reads an allowed principal: a 12-digit account ID (meaning that account's root), an IAM ARN
 * (`arn:aws:iam::123456789012:root|role/...|user/...`), or `*` when `allowAnyPrincipal` is true.
 */
export function parsePrincipal(
  input: string,
  value: string,
  allowAnyPrincipal: boolean,
  partition = 'aws',
): ParsedPrincipal | { problem: string } {
  const trimmed = value.trim();
  if (trimmed === '*') {
    if (allowAnyPrincipal) return { arn: '*' };
    return {
      problem:
        `${input}: "*" lets every AWS account connect to the endpoint service. ` +
        'Name the consumer accounts instead, or set allowAnyPrincipal: true if that is really what you want.',
    };
  }
  if (ACCOUNT_ID.test(trimmed)) {
    return { arn: `arn:${partition}:iam::${trimmed}:root`, accountId: trimmed };
  }
  const arn = IAM_PRINCIPAL_ARN.exec(trimmed);
  if (arn) {
    return { arn: trimmed, accountId: arn[2] };
  }
  const accountProblem = /^\d+$/.test(trimmed) ? checkAccountId(input, trimmed) : undefined;
  return {
    problem:
      accountProblem ??
      `${input}: ${show(value)} is not an account ID or an IAM principal ARN. ` +
        'Use a 12-digit account ID ("123456789012") or an ARN such as "arn:aws:iam::123456789012:root" ' +
        'or "arn:aws:iam::123456789012:role/NAME".',
  };
}

/** A VPC endpoint service name: `com.amazonaws.vpce.<region>.vpce-svc-<17 hex digits>`. */
export function checkServiceName(input: string, value: string): Problem {
  if (SERVICE_NAME.test(value)) return undefined;
  const trimmed = value.trim();
  if (trimmed !== value && SERVICE_NAME.test(trimmed)) {
    return `${input}: ${show(value)} has white space around it. Use ${show(trimmed)}.`;
  }
  if (SERVICE_NAME.test(trimmed.toLowerCase())) {
    return (
      `${input}: ${show(value)} has upper-case letters${trimmed !== value ? ' and white space around it' : ''}: ` +
      `endpoint service names are all lower case. Use ${show(trimmed.toLowerCase())}.`
    );
  }
  return (
    `${input}: ${show(value)} is not a VPC endpoint service name. ` +
    'Use the name the provider team sends you (the PrivateLinkProvider stack output ServiceName), ' +
    'e.g. "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".'
  );
}

/** The region inside a valid endpoint service name. */
export function regionOfServiceName(serviceName: string): string | undefined {
  return SERVICE_NAME.exec(serviceName)?.[1];
}

/** A TCP port, 1–65535. */
export function checkPort(input: string, value: number): Problem {
  if (Number.isInteger(value) && value >= 1 && value <= 65535) return undefined;
  return `${input}: ${show(value)} is not a TCP port. Use a whole number from 1 to 65535.`;
}

/** An AWS region code such as `us-east-1`. */
export function checkRegion(input: string, value: string): Problem {
  if (REGION.test(value)) return undefined;
  return `${input}: ${show(value)} is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".`;
}

const AVAILABILITY_ZONE_ID = /^[a-z]{2,}\d+(-[a-z]+\d+)?-az\d+$/;

/** An Availability Zone ID such as `use1-az1` (the same zone in every account, unlike `us-east-1a`). */
export function checkAvailabilityZoneId(input: string, value: string): Problem {
  if (AVAILABILITY_ZONE_ID.test(value)) return undefined;
  const hint = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(value)
    ? ' That is an AZ name, which means a different zone in each account.'
    : '';
  return (
    `${input}: ${show(value)} is not an Availability Zone ID.${hint} ` +
    'Use AZ IDs such as "use1-az1" (the provider stack output AvailabilityZoneIds, or ' +
    '`aws ec2 describe-vpc-endpoint-services --service-names <name>` → AvailabilityZoneIds).'
  );
}

/** The largest schedule of the connectivity check: one day (a CloudWatch alarm evaluates at most one day). */
export const MAX_SCHEDULE_MINUTES = 1440;

/** How often the scheduled connectivity check runs, in whole minutes (1 to 1440). */
export function checkScheduleMinutes(input: string, minutes: number): Problem {
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_SCHEDULE_MINUTES) return undefined;
  return `${input}: ${show(minutes)} is not a schedule in whole minutes. Use a whole number of minutes from 1 to ${MAX_SCHEDULE_MINUTES} (one day), e.g. 5.`;
}

/**
 * The region of a cross-region endpoint against the region inside the service name: they must be the
 * same (the service lives in the region its name says).
 */
export function checkServiceRegion(input: string, serviceRegion: string, serviceName: string): Problem {
  const regionProblem = checkRegion(input, serviceRegion);
  if (regionProblem) return regionProblem;
  const nameRegion = regionOfServiceName(serviceName);
  if (nameRegion === undefined || nameRegion === serviceRegion) return undefined;
  return (
    `${input}: ${show(serviceRegion)} differs from the region in the service name ${show(serviceName)} (${nameRegion}). ` +
    `The service lives in ${nameRegion}: set ${input} to "${nameRegion}" or leave it unset.`
  );
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CERTIFICATE_ARN = new RegExp(`^arn:${PARTITION}:acm:([a-z]{2}(-[a-z]+)+-\\d):(\\d{12}):certificate/${UUID}$`);
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

/** An ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`. */
export function checkCertificateArn(input: string, value: string): Problem {
  if (CERTIFICATE_ARN.test(value)) return undefined;
  const hint = /^arn:[^:]+:iam::/.test(value)
    ? ' This is an IAM server certificate: import or request the certificate in ACM instead.'
    : '';
  return (
    `${input}: ${show(value)} is not an ACM certificate ARN.${hint} Use the ARN of an ACM certificate in the ` +
    "provider's region that covers the service's DNS name, e.g. " +
    '"arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef".'
  );
}

/** The region inside a valid ACM certificate ARN. */
export function regionOfCertificateArn(arn: string): string | undefined {
  return CERTIFICATE_ARN.exec(arn)?.[2];
}

/**
 * A DNS name for the endpoint service's private DNS name: at least two labels of letters, digits and
 * hyphens (up to 63 each), 255 characters at most, no wildcard, no trailing dot.
 */
export function checkDomainName(input: string, value: string): Problem {
  const example = 'Use a name in a domain you own and can publish a TXT record in, e.g. "api.example.com".';
  if (value.includes('*')) {
    return `${input}: ${show(value)} is a wildcard. An endpoint service's private DNS name is one exact name. ${example}`;
  }
  if (value.endsWith('.')) {
    return `${input}: ${show(value)} ends with a dot. Give the name without the trailing dot, e.g. ${show(value.replace(/\.+$/, ''))}.`;
  }
  if (value.length > 255) {
    return `${input}: the name is ${value.length} characters long; a DNS name has at most 255. ${example}`;
  }
  const labels = value.split('.');
  const bad = labels.find((l) => !DNS_LABEL.test(l));
  if (labels.length < 2 || bad !== undefined || /^\d+$/.test(labels[labels.length - 1])) {
    const why =
      labels.length < 2
        ? 'it has a single label'
        : bad !== undefined
          ? `the label ${show(bad)} is not 1-63 letters, digits or inner hyphens`
          : 'it looks like an IP address';
    return `${input}: ${show(value)} is not a DNS name (${why}). ${example}`;
  }
  return undefined;
}

/** A Route 53 hosted zone ID such as `Z0123456789ABCDEFGHIJ`. */
export function checkHostedZoneId(input: string, value: string): Problem {
  if (HOSTED_ZONE_ID.test(value)) return undefined;
  const stripped = value.replace(/^\/?hostedzone\//, '');
  const hint =
    stripped !== value && HOSTED_ZONE_ID.test(stripped) ? ` Drop the "/hostedzone/" prefix: ${show(stripped)}.` : '';
  return (
    `${input}: ${show(value)} is not a Route 53 hosted zone ID.${hint} Use the ID of the public hosted zone of ` +
    'the domain (Route 53 console, or `aws route53 list-hosted-zones-by-name`), e.g. "Z0123456789ABCDEFGHIJ".'
  );
}
