// Custom resource: the private DNS name of a VPC endpoint service, verified.
//
// Create/Update: set the name on the service, read the TXT verification record AWS asks for, publish it
// in the public hosted zone when one is given, start the verification and wait — bounded — until the
// state is `verified`. Without a zone the record is returned for the user to publish, and nothing waits.
// Delete: remove the name from the service and the TXT value this resource published.
// Every step is idempotent, so CloudFormation retries and re-runs are safe.
import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ServiceConfiguration,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  Clock,
  CustomResourceEvent,
  errorName,
  LambdaContext,
  Outcome,
  realClock,
  runCustomResource,
  withThrottlingRetries,
} from '../shared/custom-resource';

/** The custom resource's properties (CloudFormation passes every value as a string). */
export interface PrivateDnsProperties {
  readonly ServiceId: string;
  readonly DomainName: string;
  /** The public hosted zone to publish the TXT record in; none: the user publishes it. */
  readonly HostedZoneId?: string;
  /** How long to wait for `verified`, in seconds. */
  readonly VerificationTimeoutSeconds?: string;
}

export interface Deps {
  readonly ec2: EC2Client;
  readonly route53: Route53Client;
  readonly clock: Clock;
}

/** Time kept back from the Lambda's remaining time to answer CloudFormation after a timeout. */
export const RESPONSE_MARGIN_MS = 30_000;
export const POLL_INTERVAL_MS = 15_000;
export const CHANGE_POLL_INTERVAL_MS = 5_000;
const DEFAULT_TIMEOUT_SECONDS = 600;
const TTL_SECONDS = 300;

export function physicalIdOf(props: PrivateDnsProperties): string {
  return `${props.ServiceId}/private-dns-name`;
}

/** The TXT record name: the verification name under `domain`, unless AWS already gave a name in it. */
export function recordNameOf(verificationName: string, domain: string): string {
  const name = verificationName.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return name === d || name.endsWith(`.${d}`) ? name : `${name}.${d}`;
}

function sameName(a: string | undefined, b: string): boolean {
  return (a ?? '').toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

class Steps {
  constructor(private readonly deps: Deps) {}

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return withThrottlingRetries(fn, this.deps.clock);
  }

  async describe(serviceId: string): Promise<ServiceConfiguration | undefined> {
    try {
      const out = await this.call(() =>
        this.deps.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })),
      );
      return out.ServiceConfigurations?.find((c) => c.ServiceId === serviceId);
    } catch (err) {
      if (errorName(err) === 'InvalidVpcEndpointServiceId.NotFound') return undefined;
      throw err;
    }
  }

  async setName(serviceId: string, domain: string): Promise<void> {
    await this.call(() =>
      this.deps.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, PrivateDnsName: domain })),
    );
  }

  async removeName(serviceId: string): Promise<void> {
    await this.call(() =>
      this.deps.ec2.send(
        new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, RemovePrivateDnsName: true }),
      ),
    );
  }

  async startVerification(serviceId: string): Promise<void> {
    await this.call(() =>
      this.deps.ec2.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: serviceId })),
    );
  }

  /** The zone's name (no trailing dot); refuses a private zone. */
  async zoneName(zoneId: string): Promise<string> {
    const name = await this.zoneNameIfAny(zoneId);
    if (name === undefined) {
      throw new Error(`Hosted zone ${zoneId} does not exist in this account. Give the ID of the public hosted zone of the domain.`);
    }
    return name;
  }

  /** The zone's name, or undefined when the zone does not exist (any more). */
  async zoneNameIfAny(zoneId: string): Promise<string | undefined> {
    let out;
    try {
      out = await this.call(() => this.deps.route53.send(new GetHostedZoneCommand({ Id: zoneId })));
    } catch (err) {
      if (errorName(err) === 'NoSuchHostedZone') return undefined;
      throw err;
    }
    const name = (out.HostedZone?.Name ?? '').replace(/\.$/, '').toLowerCase();
    if (out.HostedZone?.Config?.PrivateZone) {
      throw new Error(
        `Hosted zone ${zoneId} (${name}) is a private zone. Domain verification reads public DNS: give the public hosted zone of the domain.`,
      );
    }
    return name;
  }

  private async findTxt(zoneId: string, recordName: string): Promise<ResourceRecordSet | undefined> {
    const out = await this.call(() =>
      this.deps.route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          StartRecordName: recordName,
          StartRecordType: 'TXT',
          MaxItems: 1,
        }),
      ),
    );
    const found = out.ResourceRecordSets?.[0];
    return found && found.Type === 'TXT' && sameName(found.Name, recordName) ? found : undefined;
  }

  private async change(zoneId: string, action: 'UPSERT' | 'DELETE', set: ResourceRecordSet): Promise<string | undefined> {
    const out = await this.call(() =>
      this.deps.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Comment: 'cdk-privatelink: endpoint service private DNS name verification',
            Changes: [{ Action: action, ResourceRecordSet: set }],
          },
        }),
      ),
    );
    return out.ChangeInfo?.Status === 'INSYNC' ? undefined : out.ChangeInfo?.Id;
  }

  /** Adds `value` to the TXT record (keeping other values); returns the change to wait for, if any. */
  async publish(zoneId: string, recordName: string, value: string): Promise<string | undefined> {
    const quoted = `"${value}"`;
    const existing = await this.findTxt(zoneId, recordName);
    const values = existing?.ResourceRecords?.map((r) => r.Value ?? '') ?? [];
    if (values.includes(quoted)) return undefined;
    return this.change(zoneId, 'UPSERT', {
      Name: recordName,
      Type: 'TXT',
      TTL: existing?.TTL ?? TTL_SECONDS,
      ResourceRecords: [...values, quoted].map((v) => ({ Value: v })),
    });
  }

  /** Removes `value` from the TXT record (deleting the record when it was the only value). */
  async unpublish(zoneId: string, recordName: string, value: string): Promise<boolean> {
    const quoted = `"${value}"`;
    const existing = await this.findTxt(zoneId, recordName);
    const values = existing?.ResourceRecords?.map((r) => r.Value ?? '') ?? [];
    if (!existing || !values.includes(quoted)) return false;
    const rest = values.filter((v) => v !== quoted);
    if (rest.length === 0) {
      await this.change(zoneId, 'DELETE', existing);
    } else {
      await this.change(zoneId, 'UPSERT', { ...existing, ResourceRecords: rest.map((v) => ({ Value: v })) });
    }
    return true;
  }

  async waitInSync(changeId: string, deadline: number): Promise<void> {
    const { clock } = this.deps;
    for (;;) {
      const out = await this.call(() => this.deps.route53.send(new GetChangeCommand({ Id: changeId })));
      if (out.ChangeInfo?.Status === 'INSYNC') return;
      if (clock.now() + CHANGE_POLL_INTERVAL_MS > deadline) {
        throw new Error(`Route 53 change ${changeId} was not INSYNC in time; deploy again to continue.`);
      }
      await clock.sleep(CHANGE_POLL_INTERVAL_MS);
    }
  }
}

interface Verification {
  readonly name: string;
  readonly value: string;
  readonly type: string;
  readonly state: string;
}

function verificationOf(config: ServiceConfiguration | undefined): Verification | undefined {
  const c = config?.PrivateDnsNameConfiguration;
  if (!c?.Name || !c.Value) return undefined;
  return { name: c.Name, value: c.Value, type: c.Type ?? 'TXT', state: c.State ?? 'pendingVerification' };
}

function timeoutSeconds(props: PrivateDnsProperties): number {
  const n = Number(props.VerificationTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TIMEOUT_SECONDS;
}

/** When the handler stops waiting. */
interface Deadline {
  readonly at: number;
  /** The length of the wait, in ms. */
  readonly budget: number;
  /** What set it, for the timeout message. */
  readonly by: string;
}

/** Sets the name, publishes the record when it can, verifies, and waits until the deadline. */
async function ensure(
  props: PrivateDnsProperties,
  steps: Steps,
  deps: Deps,
  { at: deadline, budget, by }: Deadline,
): Promise<Outcome> {
  const { ServiceId: serviceId, DomainName: domain, HostedZoneId: zoneId } = props;
  const { clock } = deps;

  let config = await steps.describe(serviceId);
  if (!config) {
    throw new Error(`Endpoint service ${serviceId} was not found in this account and region.`);
  }
  if (!sameName(config.PrivateDnsName, domain)) {
    await steps.setName(serviceId, domain);
    config = await steps.describe(serviceId);
  }
  // AWS fills in the verification record right after the name is set; give it a moment if not yet.
  let verification = verificationOf(config);
  while (!verification) {
    if (clock.now() + POLL_INTERVAL_MS > deadline) {
      throw new Error(`Endpoint service ${serviceId} has no domain verification record for ${domain} yet. Deploy again.`);
    }
    await clock.sleep(POLL_INTERVAL_MS);
    verification = verificationOf(await steps.describe(serviceId));
  }

  let recordName = recordNameOf(verification.name, domain);
  if (zoneId) {
    const zone = await steps.zoneName(zoneId);
    if (!sameName(domain, zone) && !domain.toLowerCase().endsWith(`.${zone}`)) {
      throw new Error(
        `The private DNS name ${domain} is not in hosted zone ${zoneId} (${zone}). ` +
          'Give the public hosted zone of the domain (or of a parent domain) that the name belongs to.',
      );
    }
    recordName = recordNameOf(verification.name, zone);
    const changeId = await steps.publish(zoneId, recordName, verification.value);
    if (changeId) await steps.waitInSync(changeId, deadline);
  }
  const data = (state: string): Record<string, string> => ({
    PrivateDnsName: domain,
    VerificationState: state,
    VerificationRecordName: recordName,
    VerificationRecordType: verification.type,
    VerificationRecordValue: verification.value,
  });
  const outcome = (state: string): Outcome => ({ physicalResourceId: physicalIdOf(props), data: data(state) });

  if (verification.state === 'verified') return outcome('verified');
  // Without a zone the user publishes the record and starts the verification: report, do not wait.
  if (!zoneId) return outcome(verification.state);

  const before = verification.state;
  await steps.startVerification(serviceId);
  const startedVerification = clock.now();
  let sawPending = false;
  for (;;) {
    const state = verificationOf(await steps.describe(serviceId))?.state ?? 'pendingVerification';
    if (state === 'verified') return outcome('verified');
    if (state === 'pendingVerification') sawPending = true;
    // A `failed` left from an earlier attempt may still show for a moment after the new start.
    const staleFailure = before === 'failed' && !sawPending && clock.now() - startedVerification < 60_000;
    if (state === 'failed' && !staleFailure) {
      throw new Error(
        `AWS could not verify the private DNS name ${domain} of ${serviceId} (state: failed). It looks up the TXT ` +
          `record ${recordName} = "${verification.value}" in public DNS: check that hosted zone ${zoneId} is the ` +
          'zone the domain is delegated to (its NS records at the registrar or parent zone), then deploy again.',
      );
    }
    if (clock.now() + POLL_INTERVAL_MS > deadline) {
      throw new Error(
        `The private DNS name ${domain} of ${serviceId} is still ${state}: it was not verified within the ` +
          `${minutes(budget)} wait (${by}). The TXT record ${recordName} = ` +
          `"${verification.value}" is published in zone ${zoneId}; public DNS may not serve it yet. Check with ` +
          `\`dig TXT ${recordName}\`, then deploy again, or raise verificationTimeout.`,
      );
    }
    await clock.sleep(POLL_INTERVAL_MS);
  }
}

async function remove(props: PrivateDnsProperties, steps: Steps): Promise<void> {
  const config = await steps.describe(props.ServiceId);
  if (!config) {
    console.log(`Endpoint service ${props.ServiceId} is gone: nothing to remove.`);
    return;
  }
  if (!sameName(config.PrivateDnsName, props.DomainName)) {
    console.log(`Endpoint service ${props.ServiceId} has the name ${config.PrivateDnsName ?? '(none)'}, not ${props.DomainName}: left as it is.`);
    return;
  }
  const verification = verificationOf(config);
  if (props.HostedZoneId && verification) {
    const zone = await steps.zoneNameIfAny(props.HostedZoneId);
    if (zone !== undefined) {
      await steps.unpublish(props.HostedZoneId, recordNameOf(verification.name, zone), verification.value);
    }
  }
  await steps.removeName(props.ServiceId);
}

/** Handles one event; throws with a message for the user on failure. */
export async function run(
  event: CustomResourceEvent<PrivateDnsProperties>,
  context: LambdaContext,
  deps: Deps,
): Promise<Outcome> {
  const props = event.ResourceProperties;
  const steps = new Steps(deps);
  if (event.RequestType === 'Delete') {
    await remove(props, steps);
    return { physicalResourceId: event.PhysicalResourceId ?? physicalIdOf(props) };
  }
  const now = deps.clock.now();
  const byTimeout = now + timeoutSeconds(props) * 1000;
  const byLambda = now + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS;
  const deadline: Deadline =
    byTimeout <= byLambda
      ? { at: byTimeout, budget: byTimeout - now, by: 'privateDnsName.verificationTimeout' }
      : { at: byLambda, budget: byLambda - now, by: "the handler function's remaining run time" };

  const old = event.RequestType === 'Update' ? event.OldResourceProperties : undefined;
  // The record the old properties published, to clean up once the new one is in place.
  let oldRecord: { zoneId: string; name: string; value: string } | undefined;
  if (old?.HostedZoneId && old.ServiceId === props.ServiceId) {
    const before = await steps.describe(old.ServiceId);
    const verification = verificationOf(before);
    if (verification && sameName(before?.PrivateDnsName, old.DomainName)) {
      const zone = await steps.zoneNameIfAny(old.HostedZoneId);
      if (zone !== undefined) oldRecord = { zoneId: old.HostedZoneId, name: recordNameOf(verification.name, zone), value: verification.value };
    }
  }
  const outcome = await ensure(props, steps, deps, deadline);
  if (
    oldRecord &&
    !(
      oldRecord.zoneId === props.HostedZoneId &&
      oldRecord.name === outcome.data?.VerificationRecordName &&
      oldRecord.value === outcome.data?.VerificationRecordValue
    )
  ) {
    await steps.unpublish(oldRecord.zoneId, oldRecord.name, oldRecord.value);
  }
  return outcome;
}

let defaultDeps: Deps | undefined;

export async function handler(event: CustomResourceEvent<PrivateDnsProperties>, context: LambdaContext): Promise<void> {
  defaultDeps ??= { ec2: new EC2Client({}), route53: new Route53Client({}), clock: realClock };
  const deps = defaultDeps;
  await runCustomResource(event, physicalIdOf(event.ResourceProperties), () => run(event, context, deps));
}
