/**
 * The app's settings registry: each setting is a CDK context key and an env var (the env var wins), and
 * the primitive readers every settings file uses. A leaf module: it imports nothing of the app.
 */
import { checkPort } from '../src/validate';

/** One setting: its context key and its env var. */
export interface Setting {
  readonly context: string;
  readonly env: string;
}

export const SETTINGS = {
  consumerAccountIds: { context: 'consumerAccountIds', env: 'CONSUMER_ACCOUNT_ID' },
  serviceName: { context: 'serviceName', env: 'PROVIDER_VPC_ENDPOINT_SERVICE_NAME' },
  acceptance: { context: 'acceptance', env: 'ACCEPTANCE' },
  allowedRegions: { context: 'allowedRegions', env: 'ALLOWED_REGIONS' },
  serviceRegion: { context: 'serviceRegion', env: 'SERVICE_REGION' },
  ipAddressType: { context: 'ipAddressType', env: 'IP_ADDRESS_TYPE' },
  checkScheduleMinutes: { context: 'checkScheduleMinutes', env: 'CHECK_SCHEDULE_MINUTES' },
  checkProtocol: { context: 'checkProtocol', env: 'CHECK_PROTOCOL' },
  serviceAvailabilityZoneIds: { context: 'serviceAvailabilityZoneIds', env: 'SERVICE_AVAILABILITY_ZONE_IDS' },
  certificateArn: { context: 'certificateArn', env: 'CERTIFICATE_ARN' },
  privateDnsName: { context: 'privateDnsName', env: 'PRIVATE_DNS_NAME' },
  hostedZoneId: { context: 'hostedZoneId', env: 'HOSTED_ZONE_ID' },
  consumerPrivateDns: { context: 'consumerPrivateDns', env: 'CONSUMER_PRIVATE_DNS' },
  servicePort: { context: 'servicePort', env: 'SERVICE_PORT' },
  rejectConnectionsOnDelete: { context: 'rejectConnectionsOnDelete', env: 'REJECT_CONNECTIONS_ON_DELETE' },
  consumerOrganizationalUnits: { context: 'consumerOrganizationalUnits', env: 'CONSUMER_ORGANIZATIONAL_UNITS' },
  consumerRegions: { context: 'consumerRegions', env: 'CONSUMER_REGIONS' },
  resourceTarget: { context: 'resourceTarget', env: 'RESOURCE_TARGET' },
  resourcePort: { context: 'resourcePort', env: 'RESOURCE_PORT' },
  resourceConfigurationArn: { context: 'resourceConfigurationArn', env: 'RESOURCE_CONFIGURATION_ARN' },
} as const satisfies Record<string, Setting>;

/** Reads a context value as the app receives it (strings from `-c`, any JSON from cdk.json). */
export type ContextLookup = (key: string) => unknown;

export interface RawValue {
  readonly value: string;
  /** How to name the input in a message: `CONSUMER_ACCOUNT_ID` or `context consumerAccountIds`. */
  readonly source: string;
}

export function read(setting: Setting, env: NodeJS.ProcessEnv, context: ContextLookup, problems: string[]): RawValue | undefined {
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === '') {
      problems.push(`${setting.env} is set but empty. Unset it, or set it to a value (see README "Configuration").`);
      return undefined;
    }
    return { value: fromEnv.trim(), source: setting.env };
  }
  const fromContext = context(setting.context);
  if (fromContext === undefined || fromContext === null) return undefined;
  const source = `context ${setting.context}`;
  const value = Array.isArray(fromContext) ? fromContext.join(',') : String(fromContext);
  if (value.trim() === '') {
    problems.push(`${source} is set but empty. Remove it, or set it to a value (see README "Configuration").`);
    return undefined;
  }
  return { value: value.trim(), source };
}

export function readBoolean(raw: RawValue | undefined, problems: string[]): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.value.toLowerCase();
  if (v === 'true' || v === 'false') return v === 'true';
  problems.push(`${raw.source}: ${JSON.stringify(raw.value)} is not a boolean. Use "true" or "false".`);
  return undefined;
}

export function readChecked(
  raw: RawValue | undefined,
  check: (input: string, value: string) => string | undefined,
  problems: string[],
): string | undefined {
  if (raw === undefined) return undefined;
  const problem = check(raw.source, raw.value);
  if (problem) problems.push(problem);
  return raw.value;
}

export function readPort(raw: RawValue | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const port = /^\d+$/.test(raw.value) ? Number(raw.value) : NaN;
  const problem = checkPort(raw.source, port);
  if (problem) problems.push(problem.replace('NaN', JSON.stringify(raw.value)));
  return port;
}

export function list(raw: RawValue): string[] {
  const found: string[] = [];
  for (const item of raw.value.split(',').map((s) => s.trim())) {
    if (item !== '' && !found.includes(item)) found.push(item);
  }
  return found;
}

export function readList(raw: RawValue | undefined, check: (input: string, value: string) => string | undefined, problems: string[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = list(raw);
  const bad = values.map((v) => check(raw.source, v)).filter((p): p is string => p !== undefined);
  problems.push(...bad.map((p) => `${p} Several are comma-separated.`));
  return bad.length > 0 ? undefined : values;
}

