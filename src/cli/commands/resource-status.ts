/**
 * `privatelink status` for PrivateLink for resources: the provider's resource configuration and the
 * status of its RAM share for each principal, or a consumer's resource endpoint (state, DNS name) and
 * whether the share is accepted.
 */
import { DescribeVpcEndpointAssociationsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import type { Invocation } from '../args';
import { ec2Client, ramClient, regionOf } from '../aws';
import { CliError, type Io, json, keyValues, table } from '../output';
import { isSharedWithThisAccount, listInvitations, pendingInvitationsFor, type ShareStatus, shareStatus } from '../resource-share';

export interface ResourceProviderStatus {
  /** The stack's resource configurations (their physical IDs). */
  readonly resourceConfigurations: string[];
  /** The stack's RAM shares with their principals. */
  readonly shares: ShareStatus[];
}

/** The provider side: the stack's resource configurations and shares. */
export async function runProvider(inv: Invocation, io: Io, configurations: string[], shareArns: string[]): Promise<number> {
  const ram = shareArns.length > 0 ? await ramClient(inv) : undefined;
  const shares: ShareStatus[] = [];
  for (const arn of shareArns) shares.push(await shareStatus(ram!, arn));
  const status: ResourceProviderStatus = { resourceConfigurations: configurations, shares };
  io.out(inv.json ? json(status) : renderProvider(status));
  return 0;
}

export function renderProvider(s: ResourceProviderStatus): string {
  const blocks = [
    keyValues([
      ['Resource configuration', s.resourceConfigurations.join(', ')],
      ['Share', s.shares.length === 0 ? 'none: only this account can reach the resource' : s.shares.map((sh) => `${sh.shareArn} (${sh.status ?? 'not found'})`).join(', ')],
    ]),
  ];
  for (const share of s.shares) {
    const waiting = share.principals.filter((p) => p.status === 'ASSOCIATING').length;
    blocks.push(
      share.principals.length === 0
        ? 'Shared with: nobody yet'
        : `Shared with: ${share.principals.length}${waiting > 0 ? ` (${waiting} ASSOCIATING: an account outside the organization must run "privatelink accept-share")` : ''}\n` +
            table(
              ['PRINCIPAL', 'STATUS', 'EXTERNAL', 'MESSAGE'],
              share.principals.map((p) => [p.principal, p.status, p.external === undefined ? '-' : String(p.external), p.message ?? '-']),
            ),
    );
  }
  return blocks.join('\n\n');
}

export interface ResourceEndpointStatus {
  readonly endpointId: string;
  readonly type?: string;
  readonly state?: string;
  readonly vpcId?: string;
  readonly resourceConfigurationArn?: string;
  readonly dnsName?: string;
  readonly privateDnsName?: string;
  readonly accessibility?: string;
  readonly failure?: string;
  /** shared: usable by this account; pending: an invitation waits (accept-share); not-shared: neither. */
  readonly share: 'shared' | 'pending' | 'not-shared' | 'unknown';
}

/** The consumer side: one resource endpoint. */
export async function runEndpoint(inv: Invocation, io: Io, endpointId: string): Promise<number> {
  const ec2 = await ec2Client(inv);
  const described = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })).catch(async (err: Error) => {
    if (/NotFound|does not exist/i.test(`${err.name} ${err.message}`)) {
      throw new CliError(`endpoint ${endpointId} not found in ${await regionOf(ec2)}: check the ID and --region`);
    }
    throw err;
  });
  const endpoint = described.VpcEndpoints?.[0];
  if (!endpoint) throw new CliError(`endpoint ${endpointId} not found in ${await regionOf(ec2)}: check the ID and --region`);
  if (endpoint.VpcEndpointType !== 'Resource') {
    throw new CliError(
      `endpoint ${endpointId} is of type ${endpoint.VpcEndpointType ?? 'unknown'}, not Resource: "privatelink status" on the provider's account shows interface endpoint connections`,
    );
  }
  const associations = await ec2.send(new DescribeVpcEndpointAssociationsCommand({ VpcEndpointIds: [endpointId] }));
  const association = associations.VpcEndpointAssociations?.find((a) => a.VpcEndpointId === undefined || a.VpcEndpointId === endpointId);
  const arn = endpoint.ResourceConfigurationArn;
  let share: ResourceEndpointStatus['share'] = 'unknown';
  if (arn) {
    const ram = await ramClient(inv);
    share = (await isSharedWithThisAccount(ram, arn))
      ? 'shared'
      : (await pendingInvitationsFor(ram, arn, await listInvitations(ram))).length > 0
        ? 'pending'
        : 'not-shared';
  }
  const status: ResourceEndpointStatus = {
    endpointId,
    type: endpoint.VpcEndpointType,
    state: endpoint.State,
    vpcId: endpoint.VpcId,
    resourceConfigurationArn: arn,
    dnsName: association?.DnsEntry?.DnsName,
    privateDnsName: association?.PrivateDnsEntry?.DnsName,
    accessibility: association?.AssociatedResourceAccessibility,
    failure: association?.FailureReason ? `${association.FailureCode ?? 'failed'}: ${association.FailureReason}` : undefined,
    share,
  };
  io.out(inv.json ? json(status) : renderEndpoint(status));
  return 0;
}

const SHARE_TEXT: Record<ResourceEndpointStatus['share'], (arn: string) => string> = {
  shared: () => 'shared with this account',
  pending: (arn) => `invitation pending: privatelink accept-share ${arn}`,
  'not-shared': () => 'not shared with this account (ask the provider to add it to the share)',
  unknown: () => '-',
};

export function renderEndpoint(s: ResourceEndpointStatus): string {
  return keyValues([
    ['Resource endpoint', s.endpointId],
    ['State', s.state ?? '-'],
    ['VPC', s.vpcId ?? '-'],
    ['Resource configuration', s.resourceConfigurationArn ?? '-'],
    ['DNS name', s.dnsName ?? '-'],
    ['Private DNS name', s.privateDnsName ?? 'none'],
    ['Association', s.failure ? `failed (${s.failure})` : (s.accessibility ?? 'none yet')],
    ['Share', SHARE_TEXT[s.share](s.resourceConfigurationArn ?? '<arn>')],
  ]);
}
