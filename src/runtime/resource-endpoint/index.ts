// Custom resource: the DNS name of a resource VPC endpoint (type Resource).
//
// CloudFormation's DnsEntries attribute is filled for interface endpoints only; a resource endpoint's
// names are on its association with the resource configuration (DescribeVpcEndpointAssociations). This
// reads them, waiting (bounded) while the association is still being made, and fails with AWS's reason
// when the association failed. Read-only: Delete does nothing.
import { DescribeVpcEndpointAssociationsCommand, EC2Client, VpcEndpointAssociation } from '@aws-sdk/client-ec2';
import {
  Clock,
  CustomResourceEvent,
  LambdaContext,
  Outcome,
  realClock,
  runCustomResource,
  withThrottlingRetries,
} from '../shared/custom-resource';

/** The custom resource's properties. */
export interface ResourceEndpointProperties {
  readonly VpcEndpointId: string;
}

export interface Deps {
  readonly ec2: EC2Client;
  readonly clock: Clock;
}

/** Pause between two reads while the association has no DNS name yet. */
export const POLL_MS = 5_000;
/** Time kept back to answer CloudFormation before the function times out. */
const MARGIN_MS = 15_000;

async function associations(deps: Deps, endpointId: string): Promise<VpcEndpointAssociation[]> {
  const found: VpcEndpointAssociation[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const out = await withThrottlingRetries(
      () => deps.ec2.send(new DescribeVpcEndpointAssociationsCommand({ VpcEndpointIds: [endpointId], NextToken: token })),
      deps.clock,
    );
    found.push(...(out.VpcEndpointAssociations ?? []).filter((a) => a.VpcEndpointId === undefined || a.VpcEndpointId === endpointId));
    nextToken = out.NextToken;
  } while (nextToken);
  return found;
}

/** Reads the endpoint's DNS names; throws with AWS's reason, or when time runs out. */
export async function run(
  event: CustomResourceEvent<ResourceEndpointProperties>,
  context: LambdaContext,
  deps: Deps,
): Promise<Outcome> {
  const endpointId = event.ResourceProperties.VpcEndpointId;
  const physicalResourceId = `resource-endpoint/${endpointId}`;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId };

  for (let reads = 1; ; reads++) {
    const all = await associations(deps, endpointId);
    const failed = all.find((a) => a.FailureReason || a.FailureCode);
    if (failed) {
      throw new Error(
        `The resource endpoint ${endpointId} could not be associated with ${failed.AssociatedResourceArn ?? 'its resource configuration'}: ` +
          `${failed.FailureCode ?? 'failed'}: ${failed.FailureReason ?? 'no reason given'}. Check that the configuration is shared ` +
          'with this account (and the share accepted: privatelink accept-share), then deploy again.',
      );
    }
    const ready = all.find((a) => a.DnsEntry?.DnsName);
    if (ready) {
      return {
        physicalResourceId,
        data: {
          DnsName: ready.DnsEntry!.DnsName!,
          HostedZoneId: ready.DnsEntry!.HostedZoneId ?? '',
          PrivateDnsName: ready.PrivateDnsEntry?.DnsName ?? '',
          ResourceArn: ready.AssociatedResourceArn ?? '',
          Accessibility: ready.AssociatedResourceAccessibility ?? '',
        },
      };
    }
    if (context.getRemainingTimeInMillis() < POLL_MS + MARGIN_MS) {
      throw new Error(
        `The resource endpoint ${endpointId} has no DNS name after ${reads} reads (${all.length === 0 ? 'no association yet' : `association ${all[0].AssociatedResourceAccessibility ?? 'pending'}`}). ` +
          `See \`aws ec2 describe-vpc-endpoint-associations --vpc-endpoint-ids ${endpointId}\`, then deploy again.`,
      );
    }
    await deps.clock.sleep(POLL_MS);
  }
}

let defaultDeps: Deps | undefined;

export async function handler(event: CustomResourceEvent<ResourceEndpointProperties>, context: LambdaContext): Promise<void> {
  defaultDeps ??= { ec2: new EC2Client({}), clock: realClock };
  const deps = defaultDeps;
  await runCustomResource(event, `resource-endpoint/${event.ResourceProperties.VpcEndpointId}`, () => run(event, context, deps));
}
