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
