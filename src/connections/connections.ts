/**
 * The endpoint-connection operations that the acceptor and teardown handlers and the `privatelink` CLI
 * share: list a service's connections (every page), accept or reject them in batches (reporting each
 * endpoint's own result), and reject everything then wait, bounded, until nothing is active.
 *
 * Two layers of retry: the SDK client retries each request (standard mode, `maxAttempts`), and
 * `retryThrottled` retries a call that was still throttled after that, with backoff, never past the
 * caller's deadline. Node built-ins and the SDK v3 EC2 client only (shared by bundled handlers and CLI).
 */
import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  type EC2Client,
  RejectVpcEndpointConnectionsCommand,
  type UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import { isThrottling } from './throttling';

/** Attempts per request inside the SDK client (standard retry mode, which backs off on throttling). */
export const SDK_MAX_ATTEMPTS = 5;

/** States in which a connection blocks the deletion of its endpoint service. */
export const ACTIVE_STATES: readonly string[] = ['pendingAcceptance', 'pending', 'available', 'partial'];
/** States from which a connection can be rejected. */
export const REJECTABLE_STATES: readonly string[] = ['pendingAcceptance', 'available'];

/** One endpoint connection to the service, as the CLI and handlers use it. */
export interface Connection {
  readonly endpointId: string;
  /** The account that owns the endpoint. */
  readonly owner: string;
  /** `pendingAcceptance`, `available`, `rejected`, ... (normalized: the API is not consistent in case). */
  readonly state: string;
  readonly createdAt?: string;
}

/** The result of accepting or rejecting one endpoint. */
export interface ConnectionResult {
  readonly endpointId: string;
  readonly ok: boolean;
  /** `Code: message` when the call failed for this endpoint. */
  readonly error?: string;
}

/** Time, sleeping and a deadline: injectable so that tests need no real waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds after which nothing new is started. */
  readonly deadline?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `PendingAcceptance` and `pendingAcceptance` are the same state. */
export function normalizeState(state: string | undefined): string {
  return state ? state.charAt(0).toLowerCase() + state.slice(1) : 'unknown';
}

export { isThrottling };

/**
 * Runs `call`, and when it fails with throttling (after the SDK's own retries) tries again with
 * exponential backoff (1 s, 2 s, 4 s, ... capped at 10 s), at most `attempts` times in all and never
 * sleeping past the deadline. Any other error is thrown at once.
 */
export async function retryThrottled<T>(call: () => Promise<T>, clock: Clock = {}, attempts = 4): Promise<T> {
  const now = clock.now ?? Date.now;
  const sleep = clock.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const delay = Math.min(10_000, 1000 * 2 ** (attempt - 1));
      const pastDeadline = clock.deadline !== undefined && now() + delay > clock.deadline;
      if (!isThrottling(err) || attempt >= attempts || pastDeadline) throw err;
      await sleep(delay);
    }
  }
}

/** Every connection of the service, following NextToken over all pages. */
export async function listConnections(
  ec2: EC2Client,
  serviceId: string,
  options: Clock & { pageSize?: number } = {},
): Promise<Connection[]> {
  const connections: Connection[] = [];
  let nextToken: string | undefined;
  do {
    const page = await retryThrottled(
      () =>
        ec2.send(
          new DescribeVpcEndpointConnectionsCommand({
            Filters: [{ Name: 'service-id', Values: [serviceId] }],
            MaxResults: options.pageSize ?? 100,
            NextToken: nextToken,
          }),
        ),
      options,
    );
    for (const c of page.VpcEndpointConnections ?? []) {
      // The filter is the API's job; this guards against a service that ignores it.
      if (c.ServiceId !== undefined && c.ServiceId !== serviceId) continue;
      connections.push({
        endpointId: c.VpcEndpointId ?? '(unknown)',
        owner: c.VpcEndpointOwner ?? '(unknown)',
        state: normalizeState(c.VpcEndpointState),
        createdAt: c.CreationTimestamp?.toISOString(),
      });
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return connections;
}

/** How many endpoint IDs go in one Accept/Reject call. */
export const BATCH_SIZE = 50;

function describeFailure(item: UnsuccessfulItem): string {
  return `${item.Error?.Code ?? 'Error'}: ${item.Error?.Message ?? 'no reason given'}`;
}

async function decide(
  action: 'accept' | 'reject',
  ec2: EC2Client,
  serviceId: string,
  endpointIds: readonly string[],
  clock: Clock,
): Promise<ConnectionResult[]> {
  const results: ConnectionResult[] = [];
  for (let i = 0; i < endpointIds.length; i += BATCH_SIZE) {
    const batch = endpointIds.slice(i, i + BATCH_SIZE);
    const input = { ServiceId: serviceId, VpcEndpointIds: batch };
    const out = await retryThrottled(
      () =>
        ec2.send(
          action === 'accept'
            ? new AcceptVpcEndpointConnectionsCommand(input)
            : new RejectVpcEndpointConnectionsCommand(input),
        ),
      clock,
    );
    const failed = new Map((out.Unsuccessful ?? []).map((u) => [u.ResourceId ?? '', describeFailure(u)]));
    for (const id of batch) {
      const error = failed.get(id);
      results.push(error === undefined ? { endpointId: id, ok: true } : { endpointId: id, ok: false, error });
    }
  }
  return results;
}

/** Accepts the endpoints' connection requests; one result per endpoint (partial failures included). */
export function acceptConnections(ec2: EC2Client, serviceId: string, endpointIds: readonly string[], clock: Clock = {}) {
  return decide('accept', ec2, serviceId, endpointIds, clock);
}

/** Rejects the endpoints' connections; one result per endpoint (partial failures included). */
export function rejectConnections(ec2: EC2Client, serviceId: string, endpointIds: readonly string[], clock: Clock = {}) {
  return decide('reject', ec2, serviceId, endpointIds, clock);
}

/** Progress of `rejectAllAndWait`, once per round. */
export interface DrainProgress {
  readonly round: number;
  /** Connections still active at the start of this round. */
  readonly active: Connection[];
  readonly elapsedMs: number;
}

export interface DrainResult {
  /** True when no connection is active any more. */
  readonly done: boolean;
  /** Every reject result, in order (an endpoint appears again when a reject was retried). */
  readonly rejected: ConnectionResult[];
  /** Connections still active when the wait ended (empty when done). */
  readonly remaining: Connection[];
  readonly elapsedMs: number;
}

export interface DrainOptions extends Clock {
  /** Called once per round, before waiting. */
  readonly onProgress?: (progress: DrainProgress) => void;
  /** First pause between rounds; it grows by half each round up to `maxPollMs`. @default 2000 */
  readonly pollMs?: number;
  /** @default 10000 */
  readonly maxPollMs?: number;
  /** Page size of the listing. @default 100 */
  readonly pageSize?: number;
}

/**
 * Rejects every active connection of the service and waits until none is active, bounded by
 * `deadline`. Each round lists the connections (all pages), rejects those not yet rejected (failed
 * rejects are tried again next round), and pauses. A round that is throttled even after retries is
 * skipped rather than fatal; the deadline still holds.
 */
export async function rejectAllAndWait(ec2: EC2Client, serviceId: string, options: DrainOptions = {}): Promise<DrainResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const start = now();
  const deadline = options.deadline ?? start + 300_000;
  const clock: Clock = { now, sleep, deadline };
  const rejected: ConnectionResult[] = [];
  const done = new Set<string>();
  let poll = options.pollMs ?? 2000;
  let active: Connection[] = [];
  for (let round = 1; ; round++) {
    try {
      const all = await listConnections(ec2, serviceId, { ...clock, pageSize: options.pageSize });
      active = all.filter((c) => ACTIVE_STATES.includes(c.state));
      if (active.length === 0) return { done: true, rejected, remaining: [], elapsedMs: now() - start };
      const toReject = active.filter((c) => REJECTABLE_STATES.includes(c.state) && !done.has(c.endpointId));
      if (toReject.length > 0) {
        const results = await rejectConnections(ec2, serviceId, toReject.map((c) => c.endpointId), clock);
        for (const r of results) if (r.ok) done.add(r.endpointId);
        rejected.push(...results);
      }
    } catch (err) {
      if (!isThrottling(err)) throw err;
    }
    options.onProgress?.({ round, active, elapsedMs: now() - start });
    if (now() + poll > deadline) return { done: false, rejected, remaining: active, elapsedMs: now() - start };
    await sleep(poll);
    poll = Math.min(options.maxPollMs ?? 10_000, Math.round(poll * 1.5));
  }
}
