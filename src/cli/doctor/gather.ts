/**
 * Reads what `privatelink doctor` diagnoses, with whatever the credentials may read: each read that
 * AWS refuses (AccessDenied) or that the endpoint does not implement becomes `unavailable` with the
 * reason, so its check is skipped; errors that concern every call (credentials, region, network) are
 * thrown and end the command with one line, as in the other commands.
 */
import {
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type SecurityGroup as SdkSecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  type DescribeListenersCommandOutput,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { listConnections, normalizeState } from '../../connections/connections';
import {
  type AlbTarget,
  type ConsumerState,
  type Endpoint,
  type Listener,
  type LoadBalancer,
  type ProviderState,
  read,
  type Read,
  type SecurityGroup,
  type TargetGroup,
  unavailable,
} from './state';

export interface Clients {
  readonly ec2: EC2Client;
  readonly elb: () => Promise<ElasticLoadBalancingV2Client>;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $fault?: string;
  readonly Code?: string;
}

/** Runs one read; an error of the service (not of the network or credentials) becomes the reason it is unavailable. */
export async function attempt<T>(action: string, call: () => Promise<T>, notFound?: RegExp): Promise<Read<T | undefined>> {
  try {
    return read(await call());
  } catch (err) {
    const e = err as SdkError;
    const name = e.name ?? e.Code ?? 'Error';
    if (notFound && notFound.test(name)) return read(undefined);
    if (e.$fault === undefined) throw err; // no answer from the service: network, credentials, region
    return unavailable(reason(action, e));
  }
}

function reason(action: string, e: SdkError): string {
  const name = e.name ?? 'Error';
  const message = (e.message ?? '').split('\n')[0];
  if (/AccessDenied|UnauthorizedOperation|AuthFailure|Forbidden|NotAuthorized/i.test(name)) {
    return `${action} is not allowed for these credentials (${name})`;
  }
  if (/NotImplemented|InvalidAction|UnknownOperation|UnsupportedOperation/i.test(name) || /not (yet )?(been )?implemented/i.test(message)) {
    const where = process.env.AWS_ENDPOINT_URL ? ` at ${process.env.AWS_ENDPOINT_URL}` : '';
    return `${action} is not implemented by the endpoint${where} (${name})`;
  }
  return `${action} failed (${name}${message ? `: ${message}` : ''})`;
}

/** Every value of a read that has one. */
function strip<T>(r: Read<T | undefined>, empty: T): Read<T> {
  return 'value' in r ? read(r.value ?? empty) : r;
}

function securityGroups(groups: SdkSecurityGroup[] | undefined): SecurityGroup[] {
  return (groups ?? []).map((g) => ({
    id: g.GroupId ?? '?',
    vpcId: g.VpcId,
    ingress: (g.IpPermissions ?? []).map((p) => ({
      protocol: p.IpProtocol ?? '-1',
      fromPort: p.FromPort,
      toPort: p.ToPort,
      sources: [
        ...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ''),
        ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ''),
        ...(p.UserIdGroupPairs ?? []).map((r) => r.GroupId ?? ''),
        ...(p.PrefixListIds ?? []).map((r) => r.PrefixListId ?? ''),
      ].filter(Boolean),
    })),
  }));
}

async function describeSecurityGroups(ec2: EC2Client, ids: string[]): Promise<Read<SecurityGroup[]>> {
  if (ids.length === 0) return read([]);
  return strip(await attempt('ec2:DescribeSecurityGroups', async () => securityGroups((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups)), []);
}

export async function gatherConsumer(clients: Clients, region: string, endpointId: string): Promise<ConsumerState> {
  const { ec2 } = clients;
  const endpointRead = await attempt(
    'ec2:DescribeVpcEndpoints',
    async (): Promise<Endpoint | undefined> => {
      const e = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }))).VpcEndpoints?.[0];
      if (!e) return undefined;
      return {
        id: e.VpcEndpointId ?? endpointId,
        state: normalizeState(e.State),
        type: e.VpcEndpointType,
        serviceName: e.ServiceName ?? '?',
        vpcId: e.VpcId,
        ownerId: e.OwnerId,
        subnetIds: e.SubnetIds ?? [],
        securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
        privateDnsEnabled: e.PrivateDnsEnabled === true,
        serviceRegion: e.ServiceRegion,
        lastError: e.LastError ? `${e.LastError.Code ?? ''}: ${e.LastError.Message ?? ''}` : undefined,
      };
    },
    /NotFound/,
  );
  const endpoint = 'value' in endpointRead ? endpointRead.value : undefined;
  if (!endpoint) return { region, endpointId, endpoint: endpointRead };

  const [service, subnets, groups, acls, vpcDns] = await Promise.all([
    attempt(
      'ec2:DescribeVpcEndpointServices',
      async () => {
        // A cross-region endpoint's service is described in its own region.
        const regions = endpoint.serviceRegion && endpoint.serviceRegion !== region ? { ServiceRegions: [endpoint.serviceRegion] } : {};
        const d = (await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [endpoint.serviceName], ...regions }))).ServiceDetails?.find(
          (s) => s.ServiceName === endpoint.serviceName,
        );
        return d
          ? {
              name: d.ServiceName ?? endpoint.serviceName,
              owner: d.Owner,
              zoneNames: d.AvailabilityZones ?? [],
              zoneIds: d.AvailabilityZoneIds,
              privateDnsName: d.PrivateDnsName,
              privateDnsState: d.PrivateDnsNameVerificationState,
            }
          : undefined;
      },
      /InvalidServiceName/,
    ),
    attempt('ec2:DescribeSubnets', async () =>
      (endpoint.subnetIds.length === 0 ? [] : ((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: endpoint.subnetIds }))).Subnets ?? [])).map((s) => ({
        id: s.SubnetId ?? '?',
        zoneName: s.AvailabilityZone,
        zoneId: s.AvailabilityZoneId,
        cidr: s.CidrBlock,
      })),
    ),
    describeSecurityGroups(ec2, endpoint.securityGroupIds),
    attempt('ec2:DescribeNetworkAcls', async () =>
      (endpoint.subnetIds.length === 0
        ? []
        : ((await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: endpoint.subnetIds }] }))).NetworkAcls ?? [])
      ).map((a) => ({
        id: a.NetworkAclId ?? '?',
        subnetIds: (a.Associations ?? []).map((x) => x.SubnetId ?? ''),
        entries: (a.Entries ?? [])
          .filter((x) => x.CidrBlock)
          .map((x) => ({
            ruleNumber: x.RuleNumber ?? 32767,
            egress: x.Egress === true,
            protocol: x.Protocol ?? '-1',
            allow: x.RuleAction === 'allow',
            cidr: x.CidrBlock!,
            fromPort: x.PortRange?.From,
            toPort: x.PortRange?.To,
          })),
      })),
    ),
    endpoint.privateDnsEnabled && endpoint.vpcId
      ? attempt('ec2:DescribeVpcAttribute', async () => {
          const [support, hostnames] = await Promise.all([
            ec2.send(new DescribeVpcAttributeCommand({ VpcId: endpoint.vpcId, Attribute: 'enableDnsSupport' })),
            ec2.send(new DescribeVpcAttributeCommand({ VpcId: endpoint.vpcId, Attribute: 'enableDnsHostnames' })),
          ]);
          return { support: support.EnableDnsSupport?.Value === true, hostnames: hostnames.EnableDnsHostnames?.Value === true };
        })
      : undefined,
  ]);
  return {
    region,
    endpointId,
    endpoint: endpointRead,
    service,
    subnets: strip(subnets, []),
    securityGroups: groups,
    networkAcls: strip(acls, []),
    vpcDns: vpcDns && strip(vpcDns, { support: false, hostnames: false }),
  };
}

/** The service of this account that has `serviceName` (demo mode: one account sees both sides). */
export async function findOwnService(ec2: EC2Client, serviceName: string): Promise<string | undefined> {
  const found = await attempt('ec2:DescribeVpcEndpointServiceConfigurations', async () =>
    (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'service-name', Values: [serviceName] }] }))).ServiceConfigurations?.find(
      (s) => s.ServiceName === serviceName,
    )?.ServiceId,
  );
  return 'value' in found ? found.value : undefined;
}

function listeners(out: DescribeListenersCommandOutput): Listener[] {
  return (out.Listeners ?? []).map((l) => ({
    port: l.Port ?? 0,
    protocol: l.Protocol,
    targetGroupArns: [
      ...new Set(
        (l.DefaultActions ?? []).flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)]).filter((x): x is string => !!x),
      ),
    ],
  }));
}

async function describeLoadBalancer(elb: ElasticLoadBalancingV2Client, arn: string): Promise<Read<SdkLoadBalancer | undefined>> {
  return attempt('elasticloadbalancing:DescribeLoadBalancers', async () => (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers?.[0], /LoadBalancerNotFound/);
}

async function gatherAlb(clients: Clients, elb: ElasticLoadBalancingV2Client, arn: string): Promise<AlbTarget & { zoneNames?: string[] }> {
  const lb = await describeLoadBalancer(elb, arn);
  if ('value' in lb && !lb.value) return { arn, exists: false, listeners: read([]), securityGroups: read([]) };
  const alb = 'value' in lb ? lb.value : undefined;
  const [albListeners, groups] = await Promise.all([
    attempt('elasticloadbalancing:DescribeListeners', async () => listeners(await elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn })))),
    alb ? describeSecurityGroups(clients.ec2, alb.SecurityGroups ?? []) : Promise.resolve(lb as Read<SecurityGroup[]>),
  ]);
  return {
    arn,
    exists: true,
    listeners: strip(albListeners, []),
    securityGroups: groups,
    zoneNames: alb?.AvailabilityZones?.map((z) => z.ZoneName ?? '').filter(Boolean),
  };
}

async function gatherLoadBalancer(clients: Clients, elb: ElasticLoadBalancingV2Client, lb: SdkLoadBalancer): Promise<LoadBalancer> {
  const arn = lb.LoadBalancerArn!;
  const zones = (lb.AvailabilityZones ?? []).map((z) => ({ name: z.ZoneName, subnetId: z.SubnetId }));
  const subnetIds = zones.map((z) => z.subnetId).filter((s): s is string => !!s);
  const [attributes, nlbListeners, groups, sgs, subnetCidrs] = await Promise.all([
    attempt('elasticloadbalancing:DescribeLoadBalancerAttributes', async () => (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }))).Attributes ?? []),
    attempt('elasticloadbalancing:DescribeListeners', async () => listeners(await elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn })))),
    attempt('elasticloadbalancing:DescribeTargetGroups', async () => (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn }))).TargetGroups ?? []),
    describeSecurityGroups(clients.ec2, lb.SecurityGroups ?? []),
    subnetIds.length
      ? attempt('ec2:DescribeSubnets', async () => ((await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets ?? []).map((s) => s.CidrBlock ?? '').filter(Boolean))
      : Promise.resolve(read([] as string[])),
  ]);

  // Target health, and the ALBs of alb target groups (their AZs are where the targets are).
  const tgs = 'value' in groups ? (groups.value ?? []) : [];
  const albArns = new Set<string>();
  const healths = await Promise.all(
    tgs.map(async (g) => {
      const health = await attempt('elasticloadbalancing:DescribeTargetHealth', async () =>
        ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: g.TargetGroupArn }))).TargetHealthDescriptions ?? []).map((d) => ({
          id: d.Target?.Id ?? '?',
          port: d.Target?.Port,
          state: d.TargetHealth?.State ?? 'unknown',
          reason: d.TargetHealth?.Reason,
          description: d.TargetHealth?.Description,
          zone: d.Target?.AvailabilityZone,
        })),
      );
      if (g.TargetType === 'alb' && 'value' in health) for (const t of health.value ?? []) albArns.add(t.id);
      return health;
    }),
  );
  const albs = await Promise.all([...albArns].map((a) => gatherAlb(clients, elb, a)));
  const targetGroups: TargetGroup[] = tgs.map((g, i) => {
    const h = healths[i];
    return {
      arn: g.TargetGroupArn ?? '?',
      name: g.TargetGroupName,
      port: g.Port,
      protocol: g.Protocol,
      targetType: g.TargetType,
      health:
        'value' in h
          ? read(
              (h.value ?? []).map(({ zone, ...t }) => ({
                ...t,
                zoneNames: g.TargetType === 'alb' ? albs.find((a) => a.arn === t.id)?.zoneNames : zone && zone !== 'all' ? [zone] : undefined,
              })),
            )
          : h,
    };
  });
  const crossZone: Read<boolean> =
    'value' in attributes ? read((attributes.value ?? []).find((a) => a.Key === 'load_balancing.cross_zone.enabled')?.Value === 'true') : attributes;
  return {
    arn,
    name: lb.LoadBalancerName,
    type: lb.Type,
    state: lb.State?.Code,
    vpcId: lb.VpcId,
    zones,
    securityGroupIds: lb.SecurityGroups ?? [],
    enforcePrivateLinkInbound: lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
    crossZone,
    listeners: strip(nlbListeners, []),
    targetGroups: 'value' in groups ? read(targetGroups) : (groups as Read<TargetGroup[]>),
    securityGroups: sgs,
    subnetCidrs: 'value' in subnetCidrs ? (subnetCidrs.value ?? []) : [],
    albTargets: read(albs.map(({ zoneNames: _zones, ...a }) => a)),
  };
}

export async function gatherProvider(clients: Clients, region: string, serviceId: string): Promise<ProviderState> {
  const { ec2 } = clients;
  const serviceRead = await attempt(
    'ec2:DescribeVpcEndpointServiceConfigurations',
    async () => {
      const s = (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations?.find(
        (x) => x.ServiceId === serviceId,
      );
      if (!s) return undefined;
      const dns = s.PrivateDnsNameConfiguration;
      return {
        id: serviceId,
        name: s.ServiceName,
        state: s.ServiceState,
        acceptanceRequired: s.AcceptanceRequired,
        zoneNames: s.AvailabilityZones ?? [],
        zoneIds: s.AvailabilityZoneIds,
        loadBalancerArns: s.NetworkLoadBalancerArns ?? [],
        privateDns: s.PrivateDnsName
          ? { name: s.PrivateDnsName, state: dns?.State, txtName: dns?.Name, txtValue: dns?.Value }
          : undefined,
      };
    },
    /NotFound/,
  );
  const service = 'value' in serviceRead ? serviceRead.value : undefined;
  if (!service) return { region, serviceId, service: serviceRead };

  const [principals, connections, loadBalancers] = await Promise.all([
    attempt('ec2:DescribeVpcEndpointServicePermissions', async () => {
      const found: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, NextToken: nextToken }));
        found.push(...(page.AllowedPrincipals ?? []).map((p) => p.Principal ?? '?'));
        nextToken = page.NextToken || undefined;
      } while (nextToken);
      return found;
    }),
    attempt('ec2:DescribeVpcEndpointConnections', async () => (await listConnections(ec2, serviceId)).map(({ endpointId, owner, state }) => ({ endpointId, owner, state }))),
    (async (): Promise<Read<LoadBalancer[]>> => {
      if (service.loadBalancerArns.length === 0) return read([]);
      const elb = await clients.elb();
      const described = await Promise.all(service.loadBalancerArns.map((arn) => describeLoadBalancer(elb, arn)));
      const refused = described.find((d): d is { unavailable: string } => 'unavailable' in d);
      if (refused) return refused;
      const existing = described.map((d) => ('value' in d ? d.value : undefined)).filter((d): d is SdkLoadBalancer => !!d);
      return read(await Promise.all(existing.map((lb) => gatherLoadBalancer(clients, elb, lb))));
    })(),
  ]);
  return {
    region,
    serviceId,
    service: serviceRead,
    principals: strip(principals, []),
    connections: strip(connections, []),
    loadBalancers,
  };
}
