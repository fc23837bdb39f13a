/**
 * The app's configuration: each setting is a CDK context key and an env var (the env var wins).
 * Pure: `readConfig` takes the two lookups and returns the config, or throws one
 * PrivateLinkConfigError listing every bad value, naming where it came from and the fix.
 */
import { PrivateLinkConfigError } from '../src/errors';
import { IpAddressMode, readSideSettings } from './config-sides';
import {
  checkAccountId,
  checkCertificateArn,
  checkDomainName,
  checkHostedZoneId,
  checkPort,
  checkServiceName,
} from '../src/validate';

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
  serviceAvailabilityZoneIds: { context: 'serviceAvailabilityZoneIds', env: 'SERVICE_AVAILABILITY_ZONE_IDS' },
  certificateArn: { context: 'certificateArn', env: 'CERTIFICATE_ARN' },
  privateDnsName: { context: 'privateDnsName', env: 'PRIVATE_DNS_NAME' },
  hostedZoneId: { context: 'hostedZoneId', env: 'HOSTED_ZONE_ID' },
  consumerPrivateDns: { context: 'consumerPrivateDns', env: 'CONSUMER_PRIVATE_DNS' },
  servicePort: { context: 'servicePort', env: 'SERVICE_PORT' },
  rejectConnectionsOnDelete: { context: 'rejectConnectionsOnDelete', env: 'REJECT_CONNECTIONS_ON_DELETE' },
} as const satisfies Record<string, Setting>;

/** demo: both sides in one account; otherwise the sides that were configured. */
export type Mode = 'demo' | 'provider' | 'consumer' | 'provider+consumer';

export interface ProviderConfig {
  /** Allowed principals: account IDs (validated). Empty in demo mode (the app allows its own account). */
  readonly consumerAccountIds: string[];
  readonly acceptanceRequired: boolean;
  /** Other regions consumers may connect from (cross-region). */
  readonly allowedRegions?: string[];
  /** ipv4 (default) or dualstack. */
  readonly ipAddressType?: IpAddressMode;
  /** HTTPS on 443 with this ACM certificate on the ALB. */
  readonly certificateArn?: string;
  /** The service's private DNS name. */
  readonly privateDnsName?: string;
  /** The public hosted zone to publish the verification TXT record in (with privateDnsName). */
  readonly hostedZoneId?: string;
  /** Reject every connection when the provider stack is deleted (undefined: not set, off). */
  readonly rejectConnectionsOnDelete?: boolean;
}

export interface ConsumerConfig {
  /** The provider's service name; undefined in demo mode (the consumer is wired to the provider). */
  readonly serviceName?: string;
  /** The provider's region, for a cross-region endpoint. */
  readonly serviceRegion?: string;
  /** ipv4 (default) or dualstack. */
  readonly ipAddressType?: IpAddressMode;
  /** Run the check every this many minutes (with an alarm). */
  readonly checkScheduleMinutes?: number;
  /** The AZ IDs the provider's NLB serves: the consumer's VPC is placed in them. */
  readonly serviceAvailabilityZoneIds?: string[];
  /** Enable private DNS on the endpoint. */
  readonly privateDnsEnabled?: boolean;
  /** The service port (consumer of a service name only; in demo mode it is the provider's). */
  readonly port?: number;
}

export interface AppConfig {
  readonly mode: Mode;
  readonly provider?: ProviderConfig;
  readonly consumer?: ConsumerConfig;
}

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

function readAccountIds(raw: RawValue, problems: string[]): string[] {
  const found: string[] = [];
  let hint = ' Several accounts are comma-separated: 111111111111,222222222222.';
  for (const id of raw.value.split(',').map((s) => s.trim())) {
    const problem = checkAccountId(raw.source, id);
    if (problem) {
      problems.push(problem + hint);
      hint = ''; // once is enough
    } else if (!found.includes(id)) {
      found.push(id);
    }
  }
  return found;
}

function readAcceptance(raw: RawValue | undefined, problems: string[]): 'manual' | 'auto' | undefined {
  if (raw === undefined) return undefined;
  const v = raw.value.toLowerCase();
  if (v === 'manual' || v === 'auto') return v;
  problems.push(`${raw.source}: ${JSON.stringify(raw.value)} is not an acceptance mode. Use "manual" (the default: the provider accepts each connection) or "auto".`);
  return undefined;
}

function readBoolean(raw: RawValue | undefined, problems: string[]): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.value.toLowerCase();
  if (v === 'true' || v === 'false') return v === 'true';
  problems.push(`${raw.source}: ${JSON.stringify(raw.value)} is not a boolean. Use "true" or "false".`);
  return undefined;
}

function readChecked(
  raw: RawValue | undefined,
  check: (input: string, value: string) => string | undefined,
  problems: string[],
): string | undefined {
  if (raw === undefined) return undefined;
  const problem = check(raw.source, raw.value);
  if (problem) problems.push(problem);
  return raw.value;
}

function readPort(raw: RawValue | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const port = /^\d+$/.test(raw.value) ? Number(raw.value) : NaN;
  const problem = checkPort(raw.source, port);
  if (problem) problems.push(problem.replace('NaN', JSON.stringify(raw.value)));
  return port;
}

/** The HTTPS and private DNS settings (issue 3), read and checked against the mode. */
function readTlsAndDns(
  env: NodeJS.ProcessEnv,
  context: ContextLookup,
  sides: { provider: boolean; consumer: boolean; demo: boolean },
  problems: string[],
) {
  const certRaw = read(SETTINGS.certificateArn, env, context, problems);
  const dnsRaw = read(SETTINGS.privateDnsName, env, context, problems);
  const zoneRaw = read(SETTINGS.hostedZoneId, env, context, problems);
  const consumerDnsRaw = read(SETTINGS.consumerPrivateDns, env, context, problems);
  const portRaw = read(SETTINGS.servicePort, env, context, problems);
  const certificateArn = readChecked(certRaw, checkCertificateArn, problems);
  const privateDnsName = readChecked(dnsRaw, checkDomainName, problems);
  const hostedZoneId = readChecked(zoneRaw, checkHostedZoneId, problems);
  const privateDnsEnabled = readBoolean(consumerDnsRaw, problems);
  const port = readPort(portRaw, problems);

  if (zoneRaw && !dnsRaw) {
    problems.push(
      `${zoneRaw.source} is set but ${SETTINGS.privateDnsName.env} (context ${SETTINGS.privateDnsName.context}) is not: ` +
        'the hosted zone is where the private DNS name is verified. Set the name too, or unset the zone.',
    );
  }
  if (!sides.provider) {
    for (const raw of [certRaw, dnsRaw, zoneRaw]) {
      if (raw) {
        problems.push(
          `${raw.source} is a provider setting, but no provider stack is synthesized (${SETTINGS.consumerAccountIds.env} ` +
            'is not set). Set the consumer accounts to build the provider, or unset it.',
        );
      }
    }
  }
  if (!sides.consumer) {
    for (const raw of [consumerDnsRaw, portRaw]) {
      if (raw) {
        problems.push(
          `${raw.source} is a consumer setting, but no consumer stack is synthesized ` +
            `(${SETTINGS.serviceName.env} is not set). Set the service name to build the consumer, or unset it.`,
        );
      }
    }
  }
  if (sides.demo && portRaw) {
    problems.push(
      `${portRaw.source}: in demo mode the consumer uses the provider's port (443 with ${SETTINGS.certificateArn.env}, ` +
        'else 80). Unset it.',
    );
  }
  if (sides.demo && privateDnsEnabled && !dnsRaw) {
    problems.push(
      `${consumerDnsRaw!.source}=true needs a private DNS name on the provider: set ${SETTINGS.privateDnsName.env} ` +
        `(and ${SETTINGS.hostedZoneId.env} to verify it during the deploy), or unset it. Without one the endpoint ` +
        `fails with "Private DNS can't be enabled because the service ... does not provide a private DNS name".`,
    );
  }
  return { certificateArn, privateDnsName, hostedZoneId, privateDnsEnabled, port };
}

/** Reads and validates the whole configuration. */
export function readConfig(env: NodeJS.ProcessEnv, context: ContextLookup): AppConfig {
  const problems: string[] = [];
  const accountsRaw = read(SETTINGS.consumerAccountIds, env, context, problems);
  const serviceRaw = read(SETTINGS.serviceName, env, context, problems);
  const acceptance = readAcceptance(read(SETTINGS.acceptance, env, context, problems), problems);
  const rejectConnectionsOnDelete = readBoolean(read(SETTINGS.rejectConnectionsOnDelete, env, context, problems), problems);

  const accounts = accountsRaw ? readAccountIds(accountsRaw, problems) : undefined;
  let serviceNameProblem: string | undefined;
  if (serviceRaw) {
    serviceNameProblem = checkServiceName(serviceRaw.source, serviceRaw.value);
    if (serviceNameProblem) problems.push(serviceNameProblem);
  }
  const demo = !accountsRaw && !serviceRaw;
  const sidesPresent = { provider: demo || accountsRaw !== undefined, consumer: demo || serviceRaw !== undefined, demo };
  const sides = readSideSettings(env, context, problems, serviceNameProblem ? undefined : serviceRaw, sidesPresent);
  const { certificateArn, privateDnsName, hostedZoneId, privateDnsEnabled, port } = readTlsAndDns(
    env,
    context,
    sidesPresent,
    problems,
  );
  if (problems.length > 0) throw new PrivateLinkConfigError(problems);
  const tlsAndDns = { certificateArn, privateDnsName, hostedZoneId };

  if (demo) {
    return {
      mode: 'demo',
      provider: { consumerAccountIds: [], acceptanceRequired: acceptance === 'manual', ...sides.provider, ...tlsAndDns, rejectConnectionsOnDelete },
      consumer: { ...sides.consumer, privateDnsEnabled },
    };
  }
  const provider = accounts
    ? { consumerAccountIds: accounts, acceptanceRequired: acceptance !== 'auto', ...sides.provider, ...tlsAndDns, rejectConnectionsOnDelete }
    : undefined;
  const consumer = serviceRaw ? { serviceName: serviceRaw.value, ...sides.consumer, privateDnsEnabled, port } : undefined;
  const mode: Mode = provider && consumer ? 'provider+consumer' : provider ? 'provider' : 'consumer';
  return { mode, provider, consumer };
}
