/**
 * The settings of PrivateLink for resources (RESOURCE_TARGET, RESOURCE_PORT, RESOURCE_CONFIGURATION_ARN),
 * read like the others and checked against the sides the configuration builds and the endpoint-service
 * settings they replace. Pure.
 */
import { ContextLookup, RawValue, read, readPort, SETTINGS, Setting } from './settings';
import { checkIpAddress, checkResourceArn, checkResourceConfigurationArn, checkResourceDnsName, isIpv4Address, isIpv6Address } from '../src/resource/validate';

/** What RESOURCE_TARGET names, told by its form. */
export type ResourceTargetKind = 'ip-address' | 'dns-name' | 'arn';

/** An ARN (arn:…), an IP address, or else a DNS name. */
export function resourceTargetKind(value: string): ResourceTargetKind {
  if (value.startsWith('arn:')) return 'arn';
  if (isIpv4Address(value) || isIpv6Address(value) || /^[\d.]+$/.test(value)) return 'ip-address';
  return 'dns-name';
}

export interface ResourceSettings {
  /** Provider: the resource shared instead of an endpoint service. */
  readonly target?: { readonly value: string; readonly kind: ResourceTargetKind };
  /** Consumer: the configuration to create a resource endpoint to. */
  readonly resourceConfigurationArn?: string;
  /** Both sides: the resource's TCP port. */
  readonly port?: number;
}

/** Endpoint-service settings that mean nothing for a shared resource. */
const PROVIDER_SERVICE_ONLY: Setting[] = [
  SETTINGS.acceptance,
  SETTINGS.allowedRegions,
  SETTINGS.certificateArn,
  SETTINGS.privateDnsName,
  SETTINGS.hostedZoneId,
  SETTINGS.rejectConnectionsOnDelete,
  SETTINGS.consumerOrganizationalUnits,
];
// (SERVICE_REGION without a service name is refused by the side settings already.)
const CONSUMER_SERVICE_ONLY: Setting[] = [SETTINGS.serviceAvailabilityZoneIds, SETTINGS.servicePort];

/** Where a setting is set (its env var, or `context key`), or undefined. */
export function isSet(setting: Setting, env: NodeJS.ProcessEnv, context: ContextLookup): string | undefined {
  if (env[setting.env] !== undefined) return setting.env;
  return context(setting.context) !== undefined ? `context ${setting.context}` : undefined;
}

/**
 * Reads the resource settings. `sides` says which stacks the configuration builds (a resource setting for
 * a side that is not built is refused), and whether a consumer of an endpoint service is configured.
 */
export function readResourceSettings(
  env: NodeJS.ProcessEnv,
  context: ContextLookup,
  sides: { readonly provider: boolean; readonly consumer: boolean; readonly demo: boolean; readonly serviceName: boolean },
  problems: string[],
): ResourceSettings {
  const targetRaw = read(SETTINGS.resourceTarget, env, context, problems);
  const portRaw = read(SETTINGS.resourcePort, env, context, problems);
  const arnRaw = read(SETTINGS.resourceConfigurationArn, env, context, problems);
  const port = readPort(portRaw, problems);

  let target: ResourceSettings['target'];
  if (targetRaw) {
    const kind = resourceTargetKind(targetRaw.value);
    const check = kind === 'arn' ? checkResourceArn : kind === 'ip-address' ? checkIpAddress : checkResourceDnsName;
    const problem = check(targetRaw.source, targetRaw.value);
    if (problem) problems.push(problem);
    else target = { value: targetRaw.value, kind };
    if (!sides.provider) {
      problems.push(
        `${targetRaw.source} is a provider setting, but no provider stack is synthesized: set ${SETTINGS.consumerAccountIds.env} ` +
          '(the accounts to share the resource with), or unset it.',
      );
    }
    for (const setting of PROVIDER_SERVICE_ONLY) {
      const source = isSet(setting, env, context);
      if (source) {
        problems.push(
          `${source} configures an endpoint service, and ${targetRaw.source} shares a resource without one (no NLB, no acceptance, ` +
            'no TLS or private DNS name of its own). Unset one of them.',
        );
      }
    }
  }

  let resourceConfigurationArn: string | undefined;
  if (arnRaw) {
    const problem = checkResourceConfigurationArn(arnRaw.source, arnRaw.value);
    if (problem) problems.push(problem);
    else resourceConfigurationArn = arnRaw.value;
    if (sides.serviceName) {
      problems.push(
        `${arnRaw.source} and ${SETTINGS.serviceName.env} are both set: the consumer stack builds one endpoint. Set the ` +
          'resource configuration ARN for a shared resource, or the service name for an endpoint service.',
      );
    }
    for (const setting of CONSUMER_SERVICE_ONLY) {
      const source = isSet(setting, env, context);
      if (source) {
        problems.push(
          `${source} applies to an endpoint to an endpoint service, not to a resource endpoint (${arnRaw.source}).` +
            (setting === SETTINGS.servicePort ? ` Give the resource's port as ${SETTINGS.resourcePort.env}.` : ' Unset it.'),
        );
      }
    }
  }

  const ipSource = isSet(SETTINGS.ipAddressType, env, context);
  if (arnRaw && !targetRaw && ipSource) {
    problems.push(`${ipSource}: the app's resource endpoint is IPv4 (${arnRaw.source}). Unset it.`);
  }

  const resourceSide = targetRaw !== undefined || arnRaw !== undefined;
  if (portRaw && !resourceSide) {
    problems.push(
      `${portRaw.source} is the port of a shared resource: set ${SETTINGS.resourceTarget.env} (provider) or ` +
        `${SETTINGS.resourceConfigurationArn.env} (consumer) too, or unset it.`,
    );
  }
  const needsPort = (raw: RawValue | undefined) => raw !== undefined && portRaw === undefined;
  if (needsPort(targetRaw) || needsPort(arnRaw)) {
    problems.push(
      `${SETTINGS.resourcePort.env} is missing: ${(targetRaw ?? arnRaw)!.source} needs the resource's TCP port (e.g. 5432 for PostgreSQL, 443 for HTTPS).`,
    );
  }
  return { target, resourceConfigurationArn, port };
}
