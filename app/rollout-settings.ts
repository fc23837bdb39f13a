/**
 * The organization settings: CONSUMER_ORGANIZATIONAL_UNITS (the provider allows every account of these
 * OUs; with a service name, a StackSet rolls the consumer side out to them) and CONSUMER_REGIONS (the
 * regions of that rollout). Read like the others (env var wins over context, messages name the source).
 * Pure.
 */
import { checkRegion, regionOfServiceName } from '../src/validate';
import { checkOrganizationalUnitId } from '../src/validate-organizations';
import { ContextLookup, RawValue, read, readList, SETTINGS } from './settings';

export interface RolloutSettings {
  /** Whether CONSUMER_ORGANIZATIONAL_UNITS is set at all (valid or not). */
  readonly present: boolean;
  /** OU or root IDs; undefined when not set. */
  readonly organizationalUnits?: string[];
  /** The rollout's regions (default: the service's region); set only when there is a rollout. */
  readonly regions?: string[];
}

/**
 * Reads the two settings. `accounts` is CONSUMER_ACCOUNT_ID when set (it narrows the rollout to those
 * accounts), `service` the consumer's valid service name when set.
 */
export function readRolloutSettings(
  env: NodeJS.ProcessEnv,
  context: ContextLookup,
  problems: string[],
  accounts: RawValue | undefined,
  service: RawValue | undefined,
): RolloutSettings {
  const ousRaw = read(SETTINGS.consumerOrganizationalUnits, env, context, problems);
  const regionsRaw = read(SETTINGS.consumerRegions, env, context, problems);
  const organizationalUnits = readList(ousRaw, checkOrganizationalUnitId, problems);
  const regionList = readList(regionsRaw, checkRegion, problems);
  const ousEnv = SETTINGS.consumerOrganizationalUnits.env;
  if (regionsRaw && !ousRaw) {
    problems.push(
      accounts
        ? `${regionsRaw.source} rolls the consumer side out with a service-managed StackSet, which deploys to OUs, never to a list of accounts alone (${accounts.source}). ` +
            `Set ${ousEnv} to the OU of those accounts (or the root r-…): ${accounts.source} then narrows the rollout to them.`
        : `${regionsRaw.source} is the regions of the consumer StackSet, which deploys to the OUs of ${ousEnv}. Set ${ousEnv} too, or unset it.`,
    );
  }
  if (regionsRaw && ousRaw && !service) {
    problems.push(`${regionsRaw.source} is the regions of the consumer StackSet, built only with a service name (${SETTINGS.serviceName.env}). Set it too, or unset ${regionsRaw.source}.`);
  }
  const serviceRegion = service ? regionOfServiceName(service.value) : undefined;
  const regions = organizationalUnits && service ? (regionList ?? (serviceRegion ? [serviceRegion] : undefined)) : undefined;
  return { present: ousRaw !== undefined, organizationalUnits, regions };
}
