// Principal sync: keeps the endpoint service's allowed principals equal to the root of every active
// account in ORGANIZATIONAL_UNITS (and their child OUs, recursively) plus STATIC_PRINCIPALS. Runs on a
// schedule, on Organizations account events, and as a custom resource at deploy time (Create/Update;
// Delete does nothing). It is the only writer of the list. It adds first, then removes, and removes only
// what a complete listing proves gone: a listing that fails changes nothing. It reports what it changed.
// Node built-ins and the SDK v3 only: bundled by scripts/bundle.mjs.
import { DescribeVpcEndpointServicePermissionsCommand, EC2Client, ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { ListAccountsForParentCommand, ListChildrenCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  type Clock,
  type CustomResourceEvent,
  type LambdaContext,
  realClock,
  runCustomResource,
  withThrottlingRetries,
} from '../shared/custom-resource';
import { type AccountListing, batches, type OrgAccount, planSync } from './plan';

export interface SyncConfig {
  readonly serviceId: string;
  /** OU IDs (`ou-…`) or the root (`r-…`). */
  readonly organizationalUnits: string[];
  /** Account IDs, IAM principal ARNs or `*`, allowed whatever the organization holds. */
  readonly staticPrincipals: string[];
  readonly partition: string;
  /** A role (in the management account) to assume for reading the organization. */
  readonly readRoleArn?: string;
}

/** What one run did. */
export interface SyncReport {
  readonly serviceId: string;
  readonly organizationalUnits: string[];
  /** Active accounts found in the OUs (undefined when the listing failed). */
  readonly activeAccounts?: number;
  readonly added: string[];
  readonly removed: string[];
  readonly unchanged: number;
  /** Why nothing was changed: the listing that failed. */
  readonly heldBack?: string;
}

export interface SyncDeps {
  readonly ec2: EC2Client;
  /** An Organizations client, with the read role's credentials when one is configured. */
  readonly organizations: (credentials?: AssumedCredentials) => OrganizationsClient;
  readonly sts: STSClient;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const SERVICE_ID = /^vpce-svc-[0-9a-f]{8,17}$/;
const OU_ID = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** Principals per ModifyVpcEndpointServicePermissions call. */
export const MODIFY_BATCH = 50;
const SDK_MAX_ATTEMPTS = 5;

function partitionOfRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function csv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** Reads the configuration from the environment; throws one message naming every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv): SyncConfig {
  const serviceId = env.SERVICE_ID?.trim() ?? '';
  const organizationalUnits = csv(env.ORGANIZATIONAL_UNITS);
  const readRoleArn = env.READ_ROLE_ARN?.trim() || undefined;
  const problems: string[] = [];
  if (!SERVICE_ID.test(serviceId)) problems.push(`SERVICE_ID ${JSON.stringify(serviceId)} is not a VPC endpoint service ID`);
  if (organizationalUnits.length === 0) problems.push('ORGANIZATIONAL_UNITS is empty');
  const badOus = organizationalUnits.filter((o) => !OU_ID.test(o));
  if (badOus.length > 0) problems.push(`ORGANIZATIONAL_UNITS has values that are not OU or root IDs: ${badOus.join(', ')}`);
  if (readRoleArn !== undefined && !ROLE_ARN.test(readRoleArn)) problems.push(`READ_ROLE_ARN ${JSON.stringify(readRoleArn)} is not an IAM role ARN`);
  if (problems.length > 0) throw new Error(`principal sync misconfigured: ${problems.join('; ')}`);
  return {
    serviceId,
    organizationalUnits,
    staticPrincipals: csv(env.STATIC_PRINCIPALS),
    partition: env.PARTITION?.trim() || partitionOfRegion(env.AWS_REGION),
    readRoleArn,
  };
}

/** The accounts of the OUs and of every OU below them; a failed call ends the listing as incomplete. */
export async function listAccounts(org: OrganizationsClient, ous: readonly string[], clock: Clock): Promise<AccountListing> {
  const accounts = new Map<string, OrgAccount>();
  const seen = new Set<string>();
  const queue = [...ous];
  let current = '';
  try {
    while (queue.length > 0) {
      current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      let token: string | undefined;
      do {
        const page = await withThrottlingRetries(
          () => org.send(new ListAccountsForParentCommand({ ParentId: current, NextToken: token })),
          clock,
        );
        for (const a of page.Accounts ?? []) {
          if (a.Id) accounts.set(a.Id, { id: a.Id, state: String(a.State ?? a.Status ?? 'UNKNOWN') });
        }
        token = page.NextToken || undefined;
      } while (token);
      do {
        const page = await withThrottlingRetries(
          () => org.send(new ListChildrenCommand({ ParentId: current, ChildType: 'ORGANIZATIONAL_UNIT', NextToken: token })),
          clock,
        );
        for (const c of page.Children ?? []) if (c.Id) queue.push(c.Id);
        token = page.NextToken || undefined;
      } while (token);
    }
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return { complete: false, error: `listing ${current} failed: ${e.name ? `${e.name}: ` : ''}${e.message ?? String(err)}` };
  }
  return { complete: true, accounts: [...accounts.values()] };
}

/** The principals the service allows now (every page). */
export async function currentPrincipals(ec2: EC2Client, serviceId: string, clock: Clock): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await withThrottlingRetries(
      () => ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, NextToken: token })),
      clock,
    );
    for (const p of page.AllowedPrincipals ?? []) if (p.Principal) found.push(p.Principal);
    token = page.NextToken || undefined;
  } while (token);
  return found;
}

async function organizationsClient(config: SyncConfig, deps: SyncDeps): Promise<OrganizationsClient> {
  if (!config.readRoleArn) return deps.organizations();
  const out = await deps.sts.send(
    new AssumeRoleCommand({ RoleArn: config.readRoleArn, RoleSessionName: 'cdk-privatelink-principal-sync', DurationSeconds: 900 }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${config.readRoleArn} returned no credentials`);
  return deps.organizations({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
}

/**
 * One sync. Throws (after changing nothing) when the organization cannot be read, with the report in
 * the message; throws when EC2 refuses a change, naming what was already done.
 */
export async function syncPrincipals(config: SyncConfig, deps: SyncDeps): Promise<SyncReport> {
  const clock = deps.clock ?? realClock;
  const log = deps.log ?? ((m: string) => console.log(m));
  let listing: AccountListing;
  try {
    listing = await listAccounts(await organizationsClient(config, deps), config.organizationalUnits, clock);
  } catch (err) {
    listing = { complete: false, error: `reading the organization failed: ${(err as Error).message}` };
  }
  const current = await currentPrincipals(deps.ec2, config.serviceId, clock);
  const plan = planSync(current, listing, config.staticPrincipals, config.partition);
  const base = { serviceId: config.serviceId, organizationalUnits: config.organizationalUnits };
  if (plan.heldBack !== undefined) {
    const report: SyncReport = { ...base, added: [], removed: [], unchanged: plan.unchanged, heldBack: plan.heldBack };
    log(JSON.stringify(report));
    throw new Error(
      `principal sync changed nothing: ${plan.heldBack}. The service keeps its ${current.length} principal(s) until the organization can be read` +
        (config.readRoleArn ? ` (check that ${config.readRoleArn} may be assumed and may call organizations:ListAccountsForParent and ListChildren)` : ' (this account needs organizations:ListAccountsForParent and ListChildren: the management account, a delegated administrator, or organizationsReadRole)'),
    );
  }
  const added: string[] = [];
  const removed: string[] = [];
  const modify = async (input: { AddAllowedPrincipals?: string[]; RemoveAllowedPrincipals?: string[] }, done: string[], batch: string[]) => {
    try {
      await withThrottlingRetries(() => deps.ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: config.serviceId, ...input })), clock);
    } catch (err) {
      throw new Error(
        `ModifyVpcEndpointServicePermissions failed for ${batch.join(', ')}: ${(err as Error).message} (already added: ${added.join(', ') || 'none'}; already removed: ${removed.join(', ') || 'none'})`,
      );
    }
    done.push(...batch);
  };
  // Add before removing: a principal that moves between forms is never missing in between.
  for (const batch of batches(plan.add, MODIFY_BATCH)) await modify({ AddAllowedPrincipals: batch }, added, batch);
  for (const batch of batches(plan.remove, MODIFY_BATCH)) await modify({ RemoveAllowedPrincipals: batch }, removed, batch);
  const accounts = listing.complete ? listing.accounts.filter((a) => a.state === 'ACTIVE').length : undefined;
  const report: SyncReport = { ...base, activeAccounts: accounts, added, removed, unchanged: plan.unchanged };
  log(JSON.stringify(report));
  return report;
}

function defaultDeps(): SyncDeps {
  return {
    ec2: new EC2Client({ maxAttempts: SDK_MAX_ATTEMPTS }),
    sts: new STSClient({ maxAttempts: SDK_MAX_ATTEMPTS }),
    organizations: (credentials) => new OrganizationsClient({ maxAttempts: SDK_MAX_ATTEMPTS, ...(credentials ? { credentials } : {}) }),
  };
}

function isCustomResourceEvent(event: unknown): event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | undefined;
  return typeof e?.RequestType === 'string' && typeof e.ResponseURL === 'string';
}

/**
 * What one invocation does. A schedule or Organizations event runs one sync (and fails the invocation
 * when the sync changed nothing because the organization could not be read); a CloudFormation custom
 * resource event syncs on Create and Update, so that the deploy fills the list and fails with the reason
 * when it cannot, and does nothing on Delete.
 */
export async function onEvent(event: unknown, deps: SyncDeps): Promise<unknown> {
  if (isCustomResourceEvent(event)) {
    return runCustomResource(event, `principal-sync-${process.env.SERVICE_ID ?? 'unknown'}`, async () => {
      const config = readConfig(process.env);
      const physicalResourceId = `principal-sync-${config.serviceId}`;
      if (event.RequestType === 'Delete') return { physicalResourceId };
      const report = await syncPrincipals(config, deps);
      return { physicalResourceId, data: { Added: String(report.added.length), Removed: String(report.removed.length) } };
    });
  }
  return syncPrincipals(readConfig(process.env), deps);
}

/** Lambda entry point (schedule, Organizations events, custom resource). */
export async function handler(event: unknown, _context?: LambdaContext): Promise<unknown> {
  return onEvent(event, defaultDeps());
}
