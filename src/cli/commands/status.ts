/** `privatelink status`: the service, its allowed principals and its connections. */
import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  type AllowedPrincipal,
} from '@aws-sdk/client-ec2';
import { type Connection, listConnections } from '../../connections/connections';
import type { Invocation } from '../args';
import { ec2Client, regionOf, resolveServiceId } from '../aws';
import { CliError, type Io, json, keyValues, table } from '../output';

export interface ServiceStatus {
  readonly serviceId: string;
  readonly serviceName?: string;
  readonly state?: string;
  readonly acceptanceRequired?: boolean;
  readonly availabilityZones: Array<{ name: string; id?: string }>;
  readonly loadBalancers: string[];
  readonly privateDnsName?: string;
  readonly privateDnsState?: string;
  readonly principals: Array<{ principal: string; type?: string }>;
  readonly connections: Connection[];
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const serviceId = await resolveServiceId(inv);
  const ec2 = await ec2Client(inv);

  const described = await ec2
    .send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))
    .catch(async (err: Error) => {
      if (/NotFound|does not exist/i.test(`${err.name} ${err.message}`)) {
        throw new CliError(`endpoint service ${serviceId} not found in ${await regionOf(ec2)}: check the ID and --region`);
      }
      throw err;
    });
  const config = described.ServiceConfigurations?.[0];
  if (!config) throw new CliError(`endpoint service ${serviceId} not found in ${await regionOf(ec2)}: check the ID and --region`);

  const principals: AllowedPrincipal[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, NextToken: nextToken }));
    principals.push(...(page.AllowedPrincipals ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  const connections = await listConnections(ec2, serviceId);

  const azNames = config.AvailabilityZones ?? [];
  const azIds = config.AvailabilityZoneIds ?? [];
  const status: ServiceStatus = {
    serviceId,
    serviceName: config.ServiceName,
    state: config.ServiceState,
    acceptanceRequired: config.AcceptanceRequired,
    availabilityZones: azNames.map((name, i) => ({ name, id: azIds[i] })),
    loadBalancers: config.NetworkLoadBalancerArns ?? [],
    privateDnsName: config.PrivateDnsName,
    privateDnsState: config.PrivateDnsNameConfiguration?.State,
    principals: principals.map((p) => ({ principal: p.Principal ?? '(unknown)', type: p.PrincipalType })),
    connections,
  };
  io.out(inv.json ? json(status) : render(status));
  return 0;
}

/** The human view of a status. */
export function render(s: ServiceStatus): string {
  const pending = s.connections.filter((c) => c.state === 'pendingAcceptance').length;
  const blocks = [
    keyValues([
      ['Service', s.serviceId],
      ['Name', s.serviceName ?? '-'],
      ['State', s.state ?? '-'],
      ['Acceptance', s.acceptanceRequired === false ? 'automatic (every allowed principal)' : 'required (privatelink accept <vpce-id>)'],
      ['Availability zones', s.availabilityZones.map((z) => (z.id ? `${z.name} (${z.id})` : z.name)).join(', ') || '-'],
      ['Load balancers', s.loadBalancers.join(', ') || '-'],
      ['Private DNS name', s.privateDnsName ? `${s.privateDnsName}${s.privateDnsState ? ` (${s.privateDnsState})` : ''}` : 'none'],
    ]),
    s.principals.length === 0
      ? 'Allowed principals: none (nobody can connect: privatelink allow <account-id>)'
      : `Allowed principals: ${s.principals.length}\n${table(['PRINCIPAL', 'TYPE'], s.principals.map((p) => [p.principal, p.type ?? '-']))}`,
    s.connections.length === 0
      ? 'Connections: none'
      : `Connections: ${s.connections.length}${pending > 0 ? ` (${pending} pendingAcceptance)` : ''}\n${table(
          ['ENDPOINT', 'OWNER', 'STATE', 'CREATED'],
          s.connections.map((c) => [c.endpointId, c.owner, c.state, c.createdAt ?? '-']),
        )}`,
  ];
  return blocks.join('\n\n');
}
