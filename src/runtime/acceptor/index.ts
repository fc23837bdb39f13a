// Acceptor: subscribed to the endpoint service's connection notifications (SNS). On a Connect event it
// accepts every pending connection whose endpoint owner is in ACCEPT_ACCOUNTS and leaves the others
// pending (logged), so the provider still decides about everyone else. It lists the pending connections
// itself rather than trusting the message, so a missed or duplicated notification does no harm.
// Node built-ins and the SDK v3 EC2 client only: bundled by scripts/bundle.mjs.
import { EC2Client } from '@aws-sdk/client-ec2';
import { acceptConnections, type Clock, listConnections, SDK_MAX_ATTEMPTS } from '../../connections/connections';

export interface SnsEvent {
  readonly Records?: ReadonlyArray<{ readonly Sns?: { readonly Message?: string } }>;
}

export interface AcceptorConfig {
  readonly serviceId: string;
  /** 12-digit account IDs whose endpoints are accepted. */
  readonly accounts: readonly string[];
}

export interface AcceptorResult {
  readonly accepted: string[];
  /** Pending connections left for the provider to decide, with their owner. */
  readonly leftPending: Array<{ endpointId: string; owner: string }>;
  readonly failed: Array<{ endpointId: string; error: string }>;
  /** True when the notifications were all about something else than a new request. */
  readonly skipped: boolean;
}

const SERVICE_ID = /^vpce-svc-[0-9a-f]{8,17}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Reads SERVICE_ID and ACCEPT_ACCOUNTS; throws a precise message when they are wrong. */
export function readConfig(env: NodeJS.ProcessEnv): AcceptorConfig {
  const serviceId = env.SERVICE_ID?.trim() ?? '';
  const accounts = (env.ACCEPT_ACCOUNTS ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  const problems: string[] = [];
  if (!SERVICE_ID.test(serviceId)) problems.push(`SERVICE_ID ${JSON.stringify(serviceId)} is not a VPC endpoint service ID`);
  const bad = accounts.filter((a) => !ACCOUNT_ID.test(a));
  if (bad.length > 0) problems.push(`ACCEPT_ACCOUNTS has values that are not 12-digit account IDs: ${bad.join(', ')}`);
  if (accounts.length === 0) problems.push('ACCEPT_ACCOUNTS is empty');
  if (problems.length > 0) throw new Error(`acceptor misconfigured: ${problems.join('; ')}`);
  return { serviceId, accounts };
}

/** The event types of the notifications in the event; undefined for a message we cannot read. */
export function eventTypes(event: SnsEvent): Array<string | undefined> {
  return (event.Records ?? []).map((r) => {
    try {
      const message = JSON.parse(r.Sns?.Message ?? '') as { eventType?: unknown };
      return typeof message.eventType === 'string' ? message.eventType : undefined;
    } catch {
      return undefined;
    }
  });
}

/** Accepts the pending connections of the listed accounts; logs the rest. */
export async function acceptPending(
  event: SnsEvent,
  config: AcceptorConfig,
  ec2: EC2Client,
  clock: Clock & { log?: (m: string) => void } = {},
): Promise<AcceptorResult> {
  const log = clock.log ?? ((m: string) => console.log(m));
  const types = eventTypes(event);
  // Accept/Reject/Delete notifications need no action; anything else (Connect, or unreadable) does.
  if (types.length > 0 && types.every((t) => t === 'Accept' || t === 'Reject' || t === 'Delete')) {
    log(`notification ${types.join(', ')}: nothing to accept`);
    return { accepted: [], leftPending: [], failed: [], skipped: true };
  }
  const pending = (await listConnections(ec2, config.serviceId, clock)).filter((c) => c.state === 'pendingAcceptance');
  const mine = pending.filter((c) => config.accounts.includes(c.owner));
  const leftPending = pending
    .filter((c) => !config.accounts.includes(c.owner))
    .map((c) => ({ endpointId: c.endpointId, owner: c.owner }));
  for (const c of leftPending) {
    log(`left pending: ${c.endpointId} of account ${c.owner} is not in autoAcceptAccounts (accept or reject it yourself: privatelink accept|reject ${c.endpointId})`);
  }
  const results = mine.length > 0 ? await acceptConnections(ec2, config.serviceId, mine.map((c) => c.endpointId), clock) : [];
  const accepted = results.filter((r) => r.ok).map((r) => r.endpointId);
  const failed = results.filter((r) => !r.ok).map((r) => ({ endpointId: r.endpointId, error: r.error ?? 'unknown' }));
  for (const id of accepted) log(`accepted ${id} of account ${mine.find((c) => c.endpointId === id)?.owner}`);
  for (const f of failed) log(`could not accept ${f.endpointId}: ${f.error}`);
  return { accepted, leftPending, failed, skipped: false };
}

/** Lambda entry point (SNS). Throws when an accept failed, so that Lambda retries the event. */
export async function handler(event: SnsEvent, context?: { getRemainingTimeInMillis(): number }): Promise<AcceptorResult> {
  const config = readConfig(process.env);
  const remaining = context?.getRemainingTimeInMillis() ?? 60_000;
  const result = await acceptPending(event, config, new EC2Client({ maxAttempts: SDK_MAX_ATTEMPTS }), {
    deadline: Date.now() + remaining - 5_000, // no retry backoff that the function's timeout would cut short
  });
  console.log(JSON.stringify(result));
  if (result.failed.length > 0) {
    throw new Error(`could not accept ${result.failed.map((f) => `${f.endpointId} (${f.error})`).join(', ')}`);
  }
  return result;
}
