/**
 * The app's configuration: each setting is a CDK context key and an env var (the env var wins).
 * Pure: `readConfig` takes the two lookups and returns the config, or throws one
 * PrivateLinkConfigError listing every bad value, naming where it came from and the fix.
 */
import { PrivateLinkConfigError } from '../src/errors';
import { checkAccountId, checkServiceName } from '../src/validate';

/** One setting: its context key and its env var. */
export interface Setting {
  readonly context: string;
  readonly env: string;
}

export const SETTINGS = {
  consumerAccountIds: { context: 'consumerAccountIds', env: 'CONSUMER_ACCOUNT_ID' },
  serviceName: { context: 'serviceName', env: 'PROVIDER_VPC_ENDPOINT_SERVICE_NAME' },
  acceptance: { context: 'acceptance', env: 'ACCEPTANCE' },
} as const satisfies Record<string, Setting>;

/** demo: both sides in one account; otherwise the sides that were configured. */
export type Mode = 'demo' | 'provider' | 'consumer' | 'provider+consumer';

export interface ProviderConfig {
  /** Allowed principals: account IDs (validated). Empty in demo mode (the app allows its own account). */
  readonly consumerAccountIds: string[];
  readonly acceptanceRequired: boolean;
}

export interface ConsumerConfig {
  /** The provider's service name; undefined in demo mode (the consumer is wired to the provider). */
  readonly serviceName?: string;
}

export interface AppConfig {
  readonly mode: Mode;
  readonly provider?: ProviderConfig;
  readonly consumer?: ConsumerConfig;
}

/** Reads a context value as the app receives it (strings from `-c`, any JSON from cdk.json). */
export type ContextLookup = (key: string) => unknown;

interface RawValue {
  readonly value: string;
  /** How to name the input in a message: `CONSUMER_ACCOUNT_ID` or `context consumerAccountIds`. */
  readonly source: string;
}

function read(setting: Setting, env: NodeJS.ProcessEnv, context: ContextLookup, problems: string[]): RawValue | undefined {
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

/** Reads and validates the whole configuration. */
export function readConfig(env: NodeJS.ProcessEnv, context: ContextLookup): AppConfig {
  const problems: string[] = [];
  const accountsRaw = read(SETTINGS.consumerAccountIds, env, context, problems);
  const serviceRaw = read(SETTINGS.serviceName, env, context, problems);
  const acceptance = readAcceptance(read(SETTINGS.acceptance, env, context, problems), problems);

  const accounts = accountsRaw ? readAccountIds(accountsRaw, problems) : undefined;
  if (serviceRaw) {
    const problem = checkServiceName(serviceRaw.source, serviceRaw.value);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new PrivateLinkConfigError(problems);

  if (!accountsRaw && !serviceRaw) {
    return {
      mode: 'demo',
      provider: { consumerAccountIds: [], acceptanceRequired: acceptance === 'manual' },
      consumer: {},
    };
  }
  const provider = accounts ? { consumerAccountIds: accounts, acceptanceRequired: acceptance !== 'auto' } : undefined;
  const consumer = serviceRaw ? { serviceName: serviceRaw.value } : undefined;
  const mode: Mode = provider && consumer ? 'provider+consumer' : provider ? 'provider' : 'consumer';
  return { mode, provider, consumer };
}
