// Teardown custom resource: when its stack is deleted, rejects every connection to the endpoint service
// and waits (bounded by the function's remaining time) until none is active, so that CloudFormation can
// then delete the endpoint service and its NLB. Create/Update do nothing. Answers CloudFormation itself
// (../shared/custom-resource). Node built-ins and the SDK v3 only: bundled by scripts/bundle.mjs.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { type Clock, type DrainProgress, rejectAllAndWait, SDK_MAX_ATTEMPTS } from '../../connections/connections';
import { type CustomResourceEvent, type LambdaContext, type Outcome, runCustomResource } from '../shared/custom-resource';

const SERVICE_ID = /^vpce-svc-[0-9a-f]{8,17}$/;
/** Stack states in which the stack itself is going away (not an update removing this resource). */
export const STACK_GOING_AWAY = ['DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];
/** Time kept back from the function's timeout to answer CloudFormation. */
export const RESPONSE_MARGIN_MS = 20_000;
/** The physical ID of a resource whose ServiceId was not a service ID (its Delete does nothing). */
export const INVALID_PHYSICAL_ID = 'privatelink-teardown-invalid';

export interface TeardownProperties {
  readonly ServiceId?: string;
}

export interface TeardownDeps extends Clock {
  readonly ec2: EC2Client;
  readonly cloudformation: CloudFormationClient;
  readonly log?: (message: string) => void;
  readonly pollMs?: number;
}

export function physicalIdFor(serviceId: string): string {
  return `privatelink-teardown-${serviceId}`;
}

async function stackStatus(cfn: CloudFormationClient, stackId: string): Promise<string | undefined> {
  const out = await cfn.send(new DescribeStacksCommand({ StackName: stackId }));
  return out.Stacks?.[0]?.StackStatus;
}

/**
 * What one event does. Returns the outcome, or throws an Error whose message is the reason CloudFormation
 * shows (a bad ServiceId on create, connections still active when the wait ends).
 */
export async function onEvent(event: CustomResourceEvent<TeardownProperties>, deps: TeardownDeps): Promise<Outcome> {
  const log = deps.log ?? ((m: string) => console.log(m));
  const serviceId = String(event.ResourceProperties?.ServiceId ?? '');
  if (event.RequestType !== 'Delete') {
    if (!SERVICE_ID.test(serviceId)) {
      throw new Error(`ServiceId ${JSON.stringify(serviceId)} is not a VPC endpoint service ID (vpce-svc-...).`);
    }
    return { physicalResourceId: physicalIdFor(serviceId) };
  }

  // Delete. A resource whose create failed has nothing to clean up.
  if (!SERVICE_ID.test(serviceId) || event.PhysicalResourceId !== physicalIdFor(serviceId)) {
    log(`Delete of ${event.PhysicalResourceId}: no endpoint service of ours, nothing to do.`);
    return { physicalResourceId: event.PhysicalResourceId ?? INVALID_PHYSICAL_ID };
  }
  const physicalResourceId = physicalIdFor(serviceId);

  // Removing rejectConnectionsOnDelete (or replacing this resource) also sends Delete: only a stack that
  // is going away may cut the consumers off.
  let status: string | undefined;
  try {
    status = await stackStatus(deps.cloudformation, event.StackId);
  } catch (err) {
    log(`Could not read the status of stack ${event.StackId} (${(err as Error).name}: ${(err as Error).message}).`);
  }
  if (status === undefined || !STACK_GOING_AWAY.includes(status)) {
    log(`Stack status ${status ?? 'unknown'}: the stack is not being deleted, so the connections of ${serviceId} are left alone.`);
    return { physicalResourceId };
  }

  log(`Stack ${status}: rejecting every connection of ${serviceId}.`);
  const result = await rejectAllAndWait(deps.ec2, serviceId, {
    now: deps.now,
    sleep: deps.sleep,
    deadline: deps.deadline,
    pollMs: deps.pollMs,
    onProgress: (p: DrainProgress) =>
      log(`round ${p.round}: ${p.active.length} active (${p.active.map((c) => `${c.endpointId} ${c.state}`).join(', ') || 'none'}), ${Math.round(p.elapsedMs / 1000)} s`),
  });
  for (const r of result.rejected) {
    log(r.ok ? `rejected ${r.endpointId}` : `could not reject ${r.endpointId}: ${r.error}`);
  }
  if (result.done) {
    log(`No active connection left on ${serviceId} after ${Math.round(result.elapsedMs / 1000)} s.`);
    return { physicalResourceId, data: { Rejected: String(result.rejected.filter((r) => r.ok).length) } };
  }
  const shown = result.remaining.slice(0, 5).map((c) => `${c.endpointId} (${c.owner}, ${c.state})`).join(', ');
  const more = result.remaining.length > 5 ? ` and ${result.remaining.length - 5} more` : '';
  // The last reject error of each endpoint still active.
  const lastError = new Map(result.rejected.map((r) => [r.endpointId, r.error]));
  const failures = result.remaining
    .filter((c) => lastError.get(c.endpointId) !== undefined)
    .slice(0, 3)
    .map((c) => `${c.endpointId}: ${lastError.get(c.endpointId)}`);
  throw new Error(
    `${result.remaining.length} connection(s) of ${serviceId} still active after ${Math.round(result.elapsedMs / 1000)} s: ${shown}${more}.` +
      (failures.length > 0 ? ` Reject failures: ${failures.join('; ')}.` : '') +
      ` Run "privatelink teardown --service-id ${serviceId} --yes" (or delete the consumer endpoints), then delete the stack again.`,
  );
}

/** Lambda entry point: always answers CloudFormation, even on an unexpected error. */
export async function handler(event: CustomResourceEvent<TeardownProperties>, context: LambdaContext): Promise<void> {
  console.log(JSON.stringify({ RequestType: event.RequestType, StackId: event.StackId, PhysicalResourceId: event.PhysicalResourceId, ResourceProperties: event.ResourceProperties }));
  const serviceId = String(event.ResourceProperties?.ServiceId ?? '');
  await runCustomResource(event, SERVICE_ID.test(serviceId) ? physicalIdFor(serviceId) : INVALID_PHYSICAL_ID, () =>
    onEvent(event, {
      ec2: new EC2Client({ maxAttempts: SDK_MAX_ATTEMPTS }),
      cloudformation: new CloudFormationClient({ maxAttempts: SDK_MAX_ATTEMPTS }),
      deadline: Date.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS,
    }),
  );
}
