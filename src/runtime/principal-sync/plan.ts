/**
 * The principal sync's decisions, as plain functions: which principals the service should allow, and
 * what to add and remove to get there. No I/O: the handler (index.ts) lists and modifies.
 */

/** An account of the organization as the listing gives it. */
export interface OrgAccount {
  readonly id: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, ... (Organizations' `State`, else its older `Status`). */
  readonly state: string;
}

/** What the listing of the OUs found: every account, or the reason it could not finish. */
export type AccountListing =
  | { readonly complete: true; readonly accounts: readonly OrgAccount[] }
  | { readonly complete: false; readonly error: string };

/** What to change on the service. */
export interface SyncPlan {
  readonly add: string[];
  readonly remove: string[];
  /** How many principals are already right. */
  readonly unchanged: number;
  /** Why nothing is removed even though the list differs (a listing that did not finish). */
  readonly heldBack?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The root ARN of an account: the principal that lets any of its IAM principals connect. */
export function rootArn(accountId: string, partition: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/**
 * The principals the service should allow: the root of every active account found, and the static
 * principals (account IDs become their root ARN, ARNs and `*` stay as they are), each once, sorted.
 */
export function desiredPrincipals(accounts: readonly OrgAccount[], statics: readonly string[], partition: string): string[] {
  const desired = new Set<string>();
  for (const a of accounts) if (a.state === 'ACTIVE') desired.add(rootArn(a.id, partition));
  for (const s of statics) desired.add(ACCOUNT_ID.test(s) ? rootArn(s, partition) : s);
  return [...desired].sort();
}

/**
 * What to add and remove so that the service allows exactly the desired principals. A principal is
 * removed only when the listing finished: an account missing from a listing that failed half-way is
 * not proven gone, so a failed listing removes nothing (and adds nothing: it may be wrong either way).
 */
export function planSync(current: readonly string[], listing: AccountListing, statics: readonly string[], partition: string): SyncPlan {
  const have = new Set(current);
  if (!listing.complete) {
    return { add: [], remove: [], unchanged: have.size, heldBack: listing.error };
  }
  const want = desiredPrincipals(listing.accounts, statics, partition);
  const wanted = new Set(want);
  return {
    add: want.filter((p) => !have.has(p)),
    remove: [...have].filter((p) => !wanted.has(p)).sort(),
    unchanged: want.filter((p) => have.has(p)).length,
  };
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
