/** `privatelink rollout-status`: the consumer StackSet's stack instances, failures first. */
import {
  DescribeStackSetCommand,
  ListStackInstancesCommand,
  type CloudFormationClient,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import type { Invocation } from '../args';
import { cloudFormationClient, findInStack, regionOf } from '../aws';
import { CliError, type Io, json, keyValues, table } from '../output';

/** One stack instance: where it is, and how it is doing. */
export interface InstanceStatus {
  readonly account: string;
  readonly region: string;
  readonly organizationalUnit?: string;
  /** `CURRENT`, `OUTDATED` or `INOPERABLE`. */
  readonly status: string;
  /** `SUCCEEDED`, `RUNNING`, `PENDING`, `FAILED`, `CANCELLED`, `INOPERABLE`, `SKIPPED_SUSPENDED_ACCOUNT`, ... */
  readonly detailedStatus?: string;
  readonly reason?: string;
  /** `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`. */
  readonly drift?: string;
  readonly stackId?: string;
}

export interface RolloutStatus {
  readonly stackSet: string;
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  readonly stackSetStatus?: string;
  readonly autoDeployment?: boolean;
  readonly retainStacksOnAccountRemoval?: boolean;
  readonly counts: Record<'failed' | 'inProgress' | 'outdated' | 'drifted' | 'current', number>;
  readonly instances: InstanceStatus[];
}

const FAILED_DETAIL = ['FAILED', 'INOPERABLE', 'FAILED_IMPORT', 'CANCELLED'];
const IN_PROGRESS_DETAIL = ['PENDING', 'RUNNING'];

/** Where an instance goes in the list: failed, in progress, outdated, drifted, then the current ones. */
export function rank(i: InstanceStatus): keyof RolloutStatus['counts'] {
  if (i.status === 'INOPERABLE' || FAILED_DETAIL.includes(i.detailedStatus ?? '')) return 'failed';
  if (IN_PROGRESS_DETAIL.includes(i.detailedStatus ?? '')) return 'inProgress';
  if (i.status === 'OUTDATED') return 'outdated';
  if (i.drift === 'DRIFTED') return 'drifted';
  return 'current';
}

const ORDER: Array<keyof RolloutStatus['counts']> = ['failed', 'inProgress', 'outdated', 'drifted', 'current'];

/** Failures first, then by account and region. */
export function sortInstances(instances: readonly InstanceStatus[]): InstanceStatus[] {
  return [...instances].sort(
    (a, b) =>
      ORDER.indexOf(rank(a)) - ORDER.indexOf(rank(b)) || a.account.localeCompare(b.account) || a.region.localeCompare(b.region),
  );
}

export function toInstance(s: StackInstanceSummary): InstanceStatus {
  return {
    account: s.Account ?? '-',
    region: s.Region ?? '-',
    organizationalUnit: s.OrganizationalUnitId,
    status: s.Status ?? 'UNKNOWN',
    detailedStatus: s.StackInstanceStatus?.DetailedStatus,
    reason: s.StatusReason,
    drift: s.DriftStatus,
    stackId: s.StackId,
  };
}

async function listInstances(cfn: CloudFormationClient, stackSet: string, callAs: string): Promise<InstanceStatus[]> {
  const found: InstanceStatus[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackInstancesCommand({ StackSetName: stackSet, CallAs: callAs as 'SELF', NextToken: token }));
    found.push(...(page.Summaries ?? []).map(toInstance));
    token = page.NextToken || undefined;
  } while (token);
  return found;
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  // --stack-set, or the one AWS::CloudFormation::StackSet of the stack (its physical ID names it).
  const stackSet = inv.stackSet ?? (await findInStack(inv, inv.stack, 'stackSet'));
  const cfn = await cloudFormationClient(inv);
  // A delegated administrator sees its StackSets only when it says so: without --call-as, try SELF,
  // then DELEGATED_ADMIN.
  const tries: Array<'SELF' | 'DELEGATED_ADMIN'> = inv.callAs ? [inv.callAs] : ['SELF', 'DELEGATED_ADMIN'];
  let described;
  let as = tries[0];
  let notFound = false;
  for (const attempt of tries) {
    as = attempt;
    try {
      described = await cfn.send(new DescribeStackSetCommand({ StackSetName: stackSet, CallAs: attempt }));
      break;
    } catch (err) {
      const name = (err as Error).name;
      notFound ||= name === 'StackSetNotFoundException';
      const last = attempt === tries[tries.length - 1];
      if (!last && name === 'StackSetNotFoundException') continue;
      // Not found as SELF, and refused as DELEGATED_ADMIN (this is no delegated administrator): not found.
      if (notFound && (name === 'StackSetNotFoundException' || name === 'ValidationError')) {
        throw new CliError(`StackSet ${stackSet} not found in ${await regionOf(cfn)} (called as ${tries.join(', then as ')}): check the name and --region`);
      }
      throw err;
    }
  }
  const instances = sortInstances(await listInstances(cfn, stackSet, as));
  const counts = { failed: 0, inProgress: 0, outdated: 0, drifted: 0, current: 0 };
  for (const i of instances) counts[rank(i)]++;
  const set = described?.StackSet;
  const status: RolloutStatus = {
    stackSet,
    callAs: as,
    stackSetStatus: set?.Status,
    autoDeployment: set?.AutoDeployment?.Enabled,
    retainStacksOnAccountRemoval: set?.AutoDeployment?.RetainStacksOnAccountRemoval,
    counts,
    instances,
  };
  io.out(inv.json ? json(status) : render(status));
  return counts.failed > 0 ? 1 : 0;
}

/** The human view. */
export function render(s: RolloutStatus): string {
  const c = s.counts;
  const summary = [
    c.failed > 0 ? `${c.failed} failed` : undefined,
    c.inProgress > 0 ? `${c.inProgress} in progress` : undefined,
    c.outdated > 0 ? `${c.outdated} outdated` : undefined,
    c.drifted > 0 ? `${c.drifted} drifted` : undefined,
    c.current > 0 ? `${c.current} current` : undefined,
  ].filter((x) => x !== undefined);
  const header = keyValues([
    ['StackSet', s.stackSet],
    ['Status', s.stackSetStatus ?? '-'],
    [
      'Auto-deployment',
      s.autoDeployment === undefined
        ? '-'
        : s.autoDeployment
          ? `on (an account leaving its OU: stack ${s.retainStacksOnAccountRemoval ? 'retained' : 'deleted'})`
          : 'off',
    ],
  ]);
  if (s.instances.length === 0) return `${header}\n\nStack instances: none (no account in the target OUs yet, or the first operation has not started)`;
  const rows = s.instances.map((i) => [
    i.account,
    i.region,
    i.organizationalUnit ?? '-',
    i.detailedStatus ? `${i.status} (${i.detailedStatus})` : i.status,
    i.drift ?? '-',
    i.reason ?? '',
  ]);
  return `${header}\n\nStack instances: ${s.instances.length} (${summary.join(', ')})\n${table(['ACCOUNT', 'REGION', 'OU', 'STATUS', 'DRIFT', 'REASON'], rows)}`;
}
