/**
 * The app's configuration: each setting is a CDK context key and an env var (the env var wins).
 * Pure: `readConfig` takes the two lookups and returns the config, or throws one
 * PrivateLinkConfigError listing every bad value, naming where it came from and the fix.
 */
import { PrivateLinkConfigError } from '../src/errors';
import { ContextLookup, RawValue, read, readBoolean, SETTINGS } from './settings';
import { readRolloutSettings } from './rollout-settings';
import { CheckProtocolName, IpAddressMode, readSideSettings } from './side-settings';
import { isSet, readResourceSettings, ResourceTargetKind } from './resource-settings';
import { readTlsAndDns } from './tls-dns-settings';
import { checkAccountId, checkServiceName } from '../src/validate';

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
  /** PrivateLink for resources: share this resource (no endpoint service); the accounts are the share's principals. */
  readonly resourceTarget?: { readonly value: string; readonly kind: ResourceTargetKind };
  /** The shared resource's TCP port (with resourceTarget). */
  readonly resourcePort?: number;
  /** Allow every active account of these OUs (CONSUMER_ORGANIZATIONAL_UNITS), kept in sync. */
  readonly organizationalUnits?: string[];
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
  /** What the check speaks (default: what the service is). */
  readonly checkProtocol?: CheckProtocolName;
  /** The AZ IDs the provider's NLB serves: the consumer's VPC is placed in them. */
  readonly serviceAvailabilityZoneIds?: string[];
  /** Enable private DNS on the endpoint. */
  readonly privateDnsEnabled?: boolean;
  /** The service port (consumer of a service name only; in demo mode it is the provider's). */
  readonly port?: number;
  /** PrivateLink for resources: a resource endpoint to this configuration (instead of a service name). */
  readonly resourceConfigurationArn?: string;
  /** The resource's TCP port (with resourceConfigurationArn). */
  readonly resourcePort?: number;
}

/** The consumer side rolled out to the accounts of OUs by a StackSet (the third stack). */
export interface RolloutConfig {
  readonly serviceName: string;
  readonly organizationalUnits: string[];
  /** Narrows the rollout to these accounts of the OUs (CONSUMER_ACCOUNT_ID). */
  readonly accounts?: string[];
  readonly regions: string[];
  /** The service port (SERVICE_PORT). */
  readonly port?: number;
  /** The provider's AZ IDs (SERVICE_AVAILABILITY_ZONE_IDS). */
  readonly serviceAvailabilityZoneIds?: string[];
}

export interface AppConfig {
  readonly mode: Mode;
  readonly provider?: ProviderConfig;
  readonly consumer?: ConsumerConfig;
  readonly rollout?: RolloutConfig;
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
  const rollout = readRolloutSettings(env, context, problems, accountsRaw, serviceNameProblem ? undefined : serviceRaw);
  const ousSet = rollout.present;
  const resourceConsumer = isSet(SETTINGS.resourceConfigurationArn, env, context) !== undefined;
  const demo = !accountsRaw && !serviceRaw && !ousSet && !resourceConsumer;
  const sidesPresent = {
    provider: demo || accountsRaw !== undefined || ousSet,
    consumer: demo || serviceRaw !== undefined || resourceConsumer,
    demo,
  };
  const resource = readResourceSettings(env, context, { ...sidesPresent, serviceName: serviceRaw !== undefined }, problems);
  const sides = readSideSettings(env, context, problems, serviceNameProblem ? undefined : serviceRaw, sidesPresent);
  const { certificateArn, privateDnsName, hostedZoneId, privateDnsEnabled, port } = readTlsAndDns(
    env,
    context,
    sidesPresent,
    problems,
  );
  if (problems.length > 0) throw new PrivateLinkConfigError(problems);
  const tlsAndDns = { certificateArn, privateDnsName, hostedZoneId };

  const resourceProvider = resource.target ? { resourceTarget: resource.target, resourcePort: resource.port } : {};

  if (demo) {
    return {
      mode: 'demo',
      provider: {
        consumerAccountIds: [],
        acceptanceRequired: acceptance === 'manual',
        ...sides.provider,
        ...tlsAndDns,
        rejectConnectionsOnDelete,
        ...resourceProvider,
      },
      consumer: { ...sides.consumer, privateDnsEnabled, ...(resource.target ? { resourcePort: resource.port } : {}) },
    };
  }
  const organizationalUnits = rollout.organizationalUnits;
  const provider =
    accounts || organizationalUnits
      ? {
          consumerAccountIds: accounts ?? [],
          acceptanceRequired: acceptance !== 'auto',
          ...sides.provider,
          ...tlsAndDns,
          rejectConnectionsOnDelete,
          organizationalUnits,
          ...resourceProvider,
        }
      : undefined;
  const consumer = serviceRaw
    ? { serviceName: serviceRaw.value, ...sides.consumer, privateDnsEnabled, port }
    : resource.resourceConfigurationArn
      ? { resourceConfigurationArn: resource.resourceConfigurationArn, resourcePort: resource.port, ...sides.consumer, privateDnsEnabled }
      : undefined;
  const stackSet =
    serviceRaw && organizationalUnits && rollout.regions
      ? {
          serviceName: serviceRaw.value,
          organizationalUnits,
          accounts,
          regions: rollout.regions,
          port,
          serviceAvailabilityZoneIds: sides.consumer.serviceAvailabilityZoneIds,
        }
      : undefined;
  const mode: Mode = provider && consumer ? 'provider+consumer' : provider ? 'provider' : 'consumer';
  return { mode, provider, consumer, ...(stackSet ? { rollout: stackSet } : {}) };
}
