/**
 * The settings beyond the basics, read like the others (env var wins over context, messages name the
 * source): cross-region (ALLOWED_REGIONS, SERVICE_REGION), dual-stack (IP_ADDRESS_TYPE), AZ alignment
 * (SERVICE_AVAILABILITY_ZONE_IDS) and the connectivity check (CHECK_SCHEDULE_MINUTES, CHECK_PROTOCOL). Pure.
 */
import {
  checkAvailabilityZoneId,
  checkRegion,
  checkScheduleMinutes,
  checkServiceRegion,
  regionOfServiceName,
} from '../src/validate';
import { ContextLookup, RawValue, read, readList, SETTINGS } from './settings';

/** ipv4: IPv4 only (the default); dualstack: IPv4 and IPv6 on both sides. */
export type IpAddressMode = 'ipv4' | 'dualstack';

/** What the connectivity check speaks (CheckProtocol's values). */
export type CheckProtocolName = 'http' | 'https' | 'tcp' | 'tls';
const CHECK_PROTOCOLS: readonly CheckProtocolName[] = ['http', 'https', 'tcp', 'tls'];

export interface SideSettings {
  readonly provider: { allowedRegions?: string[]; ipAddressType?: IpAddressMode };
  readonly consumer: {
    serviceRegion?: string;
    ipAddressType?: IpAddressMode;
    checkScheduleMinutes?: number;
    checkProtocol?: CheckProtocolName;
    serviceAvailabilityZoneIds?: string[];
  };
}

/**
 * Reads the settings of both sides. `service` is the consumer's (valid) service name when one was set;
 * `sides` says which stacks the configuration builds, so that a setting for a side that is not built is
 * refused rather than silently ignored.
 */
export function readSideSettings(
  env: NodeJS.ProcessEnv,
  context: ContextLookup,
  problems: string[],
  service: RawValue | undefined,
  sides: { readonly provider: boolean; readonly consumer: boolean; readonly demo: boolean },
): SideSettings {
  const regionsRaw = read(SETTINGS.allowedRegions, env, context, problems);
  const serviceRegionRaw = read(SETTINGS.serviceRegion, env, context, problems);
  const ipRaw = read(SETTINGS.ipAddressType, env, context, problems);
  const scheduleRaw = read(SETTINGS.checkScheduleMinutes, env, context, problems);
  const protocolRaw = read(SETTINGS.checkProtocol, env, context, problems);
  const zonesRaw = read(SETTINGS.serviceAvailabilityZoneIds, env, context, problems);

  const onlyFor = (raw: RawValue | undefined, side: 'provider' | 'consumer', needs: string): boolean => {
    if (raw === undefined || sides[side]) return true;
    problems.push(`${raw.source} applies to the ${side} stack, which this configuration does not build. Set ${needs} too, or unset it.`);
    return false;
  };

  const allowedRegions = onlyFor(regionsRaw, 'provider', SETTINGS.consumerAccountIds.env)
    ? readList(regionsRaw, checkRegion, problems)
    : undefined;

  let ipAddressType: IpAddressMode | undefined;
  if (ipRaw) {
    const v = ipRaw.value.toLowerCase();
    if (v === 'ipv4' || v === 'dualstack') ipAddressType = v;
    else problems.push(`${ipRaw.source}: ${JSON.stringify(ipRaw.value)} is not an IP address type. Use "ipv4" (the default) or "dualstack" (IPv4 and IPv6 on both sides).`);
  }

  let checkScheduleMinutesValue: number | undefined;
  if (scheduleRaw && onlyFor(scheduleRaw, 'consumer', SETTINGS.serviceName.env)) {
    const n = /^\d+$/.test(scheduleRaw.value) ? Number(scheduleRaw.value) : undefined;
    const problem =
      n === undefined
        ? `${scheduleRaw.source}: ${JSON.stringify(scheduleRaw.value)} is not a whole number of minutes. Use e.g. 5 (from 1 to 1440).`
        : checkScheduleMinutes(scheduleRaw.source, n);
    if (problem) problems.push(problem);
    else checkScheduleMinutesValue = n;
  }

  let checkProtocol: CheckProtocolName | undefined;
  if (protocolRaw && onlyFor(protocolRaw, 'consumer', SETTINGS.serviceName.env)) {
    const v = protocolRaw.value.toLowerCase();
    if ((CHECK_PROTOCOLS as readonly string[]).includes(v)) checkProtocol = v as CheckProtocolName;
    else {
      problems.push(
        `${protocolRaw.source}: ${JSON.stringify(protocolRaw.value)} is not a check protocol. Use "http", "https", "tcp" (the connection opens) ` +
          'or "tls" (a verified TLS handshake), or unset it: the check then speaks what the service is.',
      );
    }
  }

  const serviceAvailabilityZoneIds = onlyFor(zonesRaw, 'consumer', SETTINGS.serviceName.env)
    ? readList(zonesRaw, checkAvailabilityZoneId, problems)
    : undefined;
  if (zonesRaw && serviceRegionRaw) {
    problems.push(
      `${zonesRaw.source}: the AZ IDs are the service's, in ${serviceRegionRaw.value} (${serviceRegionRaw.source}), and a cross-region ` +
        "consumer's subnets are in its own region, which those IDs do not name. Unset it: any AZ of the consumer's region works.",
    );
  }

  return {
    provider: { allowedRegions, ipAddressType },
    consumer: {
      serviceRegion: readServiceRegion(env, serviceRegionRaw, service, sides, problems),
      ipAddressType,
      checkScheduleMinutes: checkScheduleMinutesValue,
      checkProtocol,
      serviceAvailabilityZoneIds,
    },
  };
}

function readServiceRegion(
  env: NodeJS.ProcessEnv,
  raw: RawValue | undefined,
  service: RawValue | undefined,
  sides: { readonly demo: boolean },
  problems: string[],
): string | undefined {
  const nameEnv = SETTINGS.serviceName.env;
  if (raw) {
    if (sides.demo || service === undefined) {
      problems.push(
        `${raw.source} is for a consumer of a service in another region, named by ${nameEnv}. ` +
          (sides.demo ? 'In demo mode both sides are in one region: unset it.' : `Set ${nameEnv} too, or unset it.`),
      );
      return undefined;
    }
    const problem = checkServiceRegion(raw.source, raw.value, service.value);
    if (problem) problems.push(problem);
    return problem ? undefined : raw.value;
  }
  // Without SERVICE_REGION, a service in another region than the one the CLI deploys to cannot work.
  const deployRegion = env.CDK_DEFAULT_REGION;
  const nameRegion = service ? regionOfServiceName(service.value) : undefined;
  if (service && nameRegion && deployRegion && nameRegion !== deployRegion) {
    problems.push(
      `${service.source}: the service is in ${nameRegion} and the consumer deploys to ${deployRegion} (CDK_DEFAULT_REGION). ` +
        `For a cross-region endpoint set ${SETTINGS.serviceRegion.env}=${nameRegion} (the provider must allow ${deployRegion}: its ${SETTINGS.allowedRegions.env}), or deploy in ${nameRegion}.`,
    );
  }
  return undefined;
}
