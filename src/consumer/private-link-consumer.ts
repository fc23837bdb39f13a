import { Annotations, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ConsumerPreflight } from './preflight';
import { Problem, throwIfProblems } from '../errors';
import { PrivateLinkProvider } from '../provider/private-link-provider';
import { ipv6CapabilityOf } from '../shared/subnets';
import { createIsolatedVpc } from '../shared/vpc';
import {
  checkAvailabilityZoneId,
  checkPort,
  checkRegion,
  checkServiceName,
  checkServiceRegion,
  regionOfServiceName,
} from '../validate';

/** Properties of a {@link PrivateLinkConsumer}. */
export interface PrivateLinkConsumerProps {
  /**
   * The provider's endpoint service name, `com.amazonaws.vpce.<region>.vpce-svc-<17 hex digits>`, as the
   * provider team sends it. Give either this or `provider`.
   * @default - taken from `provider`
   */
  readonly serviceName?: string;

  /**
   * The provider construct, when both sides are in the same CDK app (demo mode, or one team owning both).
   * Give either this or `serviceName`.
   * @default - use `serviceName`
   */
  readonly provider?: PrivateLinkProvider;

  /**
   * The service port: the endpoint security group opens it to what `allowFrom()` names.
   * @default - the provider's port when `provider` is given, otherwise 80
   */
  readonly port?: number;

  /**
   * The VPC to create the endpoint in.
   * @default - a new VPC with isolated subnets only in 2 AZs, no NAT gateway, the default security
   * group restricted and flow logs on
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the endpoint network interfaces, one per AZ. The provider's NLB must serve those AZs
   * (compare AZ IDs, not names: names differ between accounts).
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Whether to associate the provider's private DNS name with the endpoint in this VPC. Only works
   * when the provider has a verified private DNS name.
   * @default false
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * The provider's region, when it differs from this stack's (cross-region PrivateLink). It must be the
   * region in the service name, and the provider must allow this stack's region (its `allowedRegions`).
   * Creating a cross-region endpoint needs the IAM action `vpce:AllowMultiRegion`; changing this
   * replaces the endpoint.
   * @default - the endpoint's own region
   */
  readonly serviceRegion?: string;

  /**
   * The IP address type of the endpoint's network interfaces; its DNS records follow (A for IPV4, A and
   * AAAA for DUALSTACK, AAAA for IPV6). DUALSTACK gives a VPC created here IPv6 (an Amazon-provided /56,
   * a /64 per subnet, no route out of the VPC); a given VPC's subnets must have IPv6 CIDR blocks. IPV6
   * needs IPv6-only subnets, so it needs `vpc`. The provider's service must accept the type
   * (its `ipAddressTypes`).
   * @default - IPv4 (VpcEndpointIpAddressType.IPV4, A records)
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * The AZ IDs the provider's NLB serves (the provider stack output AvailabilityZoneIds, e.g.
   * `use1-az1`, or `provider.availabilityZoneIds` in the same app). A VPC created here then puts its
   * subnets in the first two of them, so the endpoint is
   * in zones the service covers. With a given VPC, the subnets' AZ IDs cannot be checked at synth: a
   * warning says how to check them.
   * @default - the first two AZs of the account; not checked
   */
  readonly serviceAvailabilityZoneIds?: string[];

  /**
   * Run a preflight before the endpoint is created: a custom resource that fails the deployment with a
   * precise message when the service is not visible to this account, has no verified private DNS name
   * while `privateDnsEnabled` is on, or does not serve the AZ IDs of the endpoint's subnets. Turn it off
   * when the provider allows only specific IAM roles (the check's own role would not see the service) or
   * when the deployment may not call `ec2:DescribeVpcEndpointServices`.
   * @default true
   */
  readonly preflight?: boolean;
}

/**
 * The consumer side of AWS PrivateLink: an interface VPC endpoint to the provider's endpoint service,
 * behind a closed security group that only opens the service port to what `allowFrom()` names.
 */
export class PrivateLinkConsumer extends Construct implements ec2.IConnectable {
  /** The VPC of the endpoint. */
  public readonly vpc: ec2.IVpc;
  /** The endpoint's subnets. */
  public readonly subnets: ec2.SubnetSelection;
  /** The interface VPC endpoint. */
  public readonly endpoint: ec2.InterfaceVpcEndpoint;
  /** The endpoint's security group (no egress, ingress only from what `allowFrom()` names). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The endpoint's regional DNS name (`vpce-…-….vpce-svc-….<region>.vpce.amazonaws.com`). */
  public readonly dnsName: string;
  /** The endpoint ID: `vpce-…`. */
  public readonly endpointId: string;
  /** The provider's service name. */
  public readonly serviceName: string;
  /** The service port. */
  public readonly port: number;
  /** The network rules of the endpoint: `consumer.connections.allowFrom(peer, port)`. */
  public readonly connections: ec2.Connections;
  /** The provider's region when it was given (cross-region). */
  public readonly serviceRegion?: string;
  /** The IP address type of the endpoint. */
  public readonly ipAddressType: ec2.VpcEndpointIpAddressType;
  /** Whether private DNS is enabled on the endpoint. */
  public readonly privateDnsEnabled: boolean;
  /**
   * The service's private DNS name, when private DNS is enabled and the name is known (from the provider
   * in the same app, or read by the preflight at deploy time).
   */
  public readonly privateDnsName?: string;
  /** The preflight, unless turned off. */
  public readonly preflight?: ConsumerPreflight;

  constructor(scope: Construct, id: string, props: PrivateLinkConsumerProps) {
    super(scope, id);
    const serviceName = props.provider?.serviceName ?? props.serviceName;
    const serviceNameProblem =
      props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)
        ? checkServiceName('serviceName', props.serviceName)
        : undefined;
    this.ipAddressType = props.ipAddressType ?? ec2.VpcEndpointIpAddressType.IPV4;
    const zoneIds = props.serviceAvailabilityZoneIds;
    throwIfProblems([
      sourceProblem(props),
      serviceNameProblem,
      props.port !== undefined && !Token.isUnresolved(props.port) ? checkPort('port', props.port) : undefined,
      serviceNameProblem ? undefined : this.regionProblem(props),
      ...ipAddressTypeProblems(props, this.ipAddressType),
      ...(zoneIds && !Token.isUnresolved(zoneIds)
        ? zoneIds.map((z, i) => (Token.isUnresolved(z) ? undefined : checkAvailabilityZoneId(`serviceAvailabilityZoneIds[${i}]`, z)))
        : []),
      zoneIds && !Token.isUnresolved(zoneIds) && zoneIds.length === 0
        ? 'serviceAvailabilityZoneIds: the list is empty. Give the AZ IDs the provider serves (e.g. ["use1-az1", "use1-az2"]), or leave it unset.'
        : undefined,
      privateDnsProblem(props),
    ]);
    this.privateDnsEnabled = props.privateDnsEnabled ?? false;
    this.serviceName = serviceName!;
    this.serviceRegion = props.serviceRegion;
    this.port = props.port ?? props.provider?.port ?? 80;

    const dualStack = this.ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK;
    const placeable = zoneIds !== undefined && !Token.isUnresolved(zoneIds) && props.vpc === undefined;
    this.vpc =
      props.vpc ?? createIsolatedVpc(this, 'Vpc', { dualStack, availabilityZoneIds: placeable ? zoneIds : undefined });
    this.subnets = props.subnets ?? {};
    if (zoneIds !== undefined && !placeable) {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:az-unchecked',
        `serviceAvailabilityZoneIds: whether the endpoint's subnets are in the service's AZs cannot be checked at synth ` +
          `(${props.vpc ? 'the VPC was given, and the AZ IDs of its subnets are known only in AWS' : 'the AZ IDs are a token list of unknown length'}). ` +
          "Compare `aws ec2 describe-subnets --subnet-ids <ids> --query 'Subnets[].AvailabilityZoneId'` with the provider's AvailabilityZoneIds: " +
          'an endpoint subnet in a zone the NLB does not serve fails the deploy ("...does not support the availability zone of the subnet").',
      );
    }
    if (this.ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4 && props.vpc) {
      this.checkIpv6Subnets(this.vpc.selectSubnets(this.subnets).subnets);
    }
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'cdk-privatelink endpoint: ingress on the service port from allowed peers only, no egress',
      allowAllOutbound: false,
    });
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc: this.vpc,
      service: new ec2.InterfaceVpcEndpointService(this.serviceName, this.port),
      subnets: this.subnets,
      securityGroups: [this.securityGroup],
      open: false,
      privateDnsEnabled: this.privateDnsEnabled,
      ...(props.serviceRegion !== undefined ? { serviceRegion: props.serviceRegion } : {}),
      ...(props.ipAddressType !== undefined
        ? { ipAddressType: this.ipAddressType, dnsRecordIpType: DNS_RECORD_IP_TYPE[this.ipAddressType] }
        : {}),
    });
    if (props.provider) {
      // Same app: create the endpoint only once the provider allows principals.
      this.endpoint.node.addDependency(props.provider);
    }
    if (props.preflight ?? true) {
      this.preflight = new ConsumerPreflight(this, 'Preflight', {
        serviceName: this.serviceName,
        subnetIds: (this.endpoint.node.defaultChild as ec2.CfnVPCEndpoint).subnetIds ?? [],
        privateDnsEnabled: this.privateDnsEnabled,
        serviceRegion: props.serviceRegion,
      });
      // Same app: check the service once the provider is complete (principals allowed, name verified).
      if (props.provider) this.preflight.node.addDependency(props.provider);
      this.endpoint.node.addDependency(this.preflight.resource);
    }
    if (this.privateDnsEnabled) {
      this.privateDnsName = props.provider?.privateDnsName ?? this.preflight?.privateDnsName;
    }
    this.connections = this.endpoint.connections;
    this.endpointId = this.endpoint.vpcEndpointId;
    // Entries are "HOSTEDZONEID:dnsname", the regional name first.
    this.dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoint.vpcEndpointDnsEntries)));
  }

  private regionProblem(props: PrivateLinkConsumerProps): Problem {
    const region = props.serviceRegion;
    if (region !== undefined && !Token.isUnresolved(region)) {
      if (props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)) {
        return checkServiceRegion('serviceRegion', region, props.serviceName);
      }
      const providerRegion = props.provider ? Stack.of(props.provider).region : undefined;
      if (providerRegion !== undefined && !Token.isUnresolved(providerRegion) && providerRegion !== region) {
        return checkRegion('serviceRegion', region) ??
          `serviceRegion: "${region}" differs from the provider stack's region "${providerRegion}". Set it to "${providerRegion}" or leave it unset.`;
      }
      return checkRegion('serviceRegion', region);
    }
    // No serviceRegion: a literal service name in another region than a known stack region cannot work.
    const own = Stack.of(this).region;
    const nameRegion =
      props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)
        ? regionOfServiceName(props.serviceName)
        : undefined;
    if (region === undefined && nameRegion !== undefined && !Token.isUnresolved(own) && nameRegion !== own) {
      return (
        `serviceName: the service is in ${nameRegion} and this stack deploys to ${own}. ` +
        `For a cross-region endpoint set serviceRegion: "${nameRegion}" (the provider must allow ${own} in its allowedRegions), or deploy the consumer in ${nameRegion}.`
      );
    }
    return undefined;
  }

  private checkIpv6Subnets(subnets: ec2.ISubnet[]): void {
    const capability = ipv6CapabilityOf(subnets);
    if (capability.state === 'no') {
      throwIfProblems([
        `ipAddressType: ${this.ipAddressType} needs subnets with IPv6 CIDR blocks; these have none: ${capability.withoutIpv6.join(', ')}. ` +
          'Give the VPC IPv6 (ipProtocol: ec2.IpProtocol.DUAL_STACK), pick IPv6 subnets with subnets, or use IPV4.',
      ]);
    }
    if (capability.state === 'unknown') {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:ipv6-unchecked',
        `ipAddressType is ${this.ipAddressType}, but the endpoint's subnets are imported: whether they have IPv6 CIDR blocks cannot be checked at synth. The deploy fails if one has none.`,
      );
    }
  }

  /** Opens the service port of the endpoint to `peer` (and the peer's egress to it). */
  public allowFrom(peer: ec2.IConnectable): void {
    this.connections.allowFrom(peer, ec2.Port.tcp(this.port), 'to the PrivateLink endpoint');
  }
}

function privateDnsProblem(props: PrivateLinkConsumerProps): Problem {
  if (!props.privateDnsEnabled || !props.provider || props.provider.privateDnsName !== undefined) return undefined;
  return (
    'privateDnsEnabled: true, but the provider has no private DNS name: the endpoint would fail at deploy with ' +
    `"Private DNS can't be enabled because the service ... does not provide a private DNS name". Set ` +
    "privateDnsName on the PrivateLinkProvider (its TXT record must be published and verified), or leave " +
    'privateDnsEnabled off and call the endpoint by its own DNS name.'
  );
}

function sourceProblem(props: PrivateLinkConsumerProps): Problem {
  if (props.provider && props.serviceName !== undefined) {
    return 'serviceName and provider are both set. Give one: serviceName for a provider in another app or account, provider for one in this app.';
  }
  if (!props.provider && props.serviceName === undefined) {
    return "serviceName is missing. Set it to the provider's endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-…), or pass provider.";
  }
  return undefined;
}

const DNS_RECORD_IP_TYPE: Record<ec2.VpcEndpointIpAddressType, ec2.VpcEndpointDnsRecordIpType> = {
  [ec2.VpcEndpointIpAddressType.IPV4]: ec2.VpcEndpointDnsRecordIpType.IPV4,
  [ec2.VpcEndpointIpAddressType.DUALSTACK]: ec2.VpcEndpointDnsRecordIpType.DUALSTACK,
  [ec2.VpcEndpointIpAddressType.IPV6]: ec2.VpcEndpointDnsRecordIpType.IPV6,
};

function ipAddressTypeProblems(props: PrivateLinkConsumerProps, type: ec2.VpcEndpointIpAddressType): Problem[] {
  const problems: Problem[] = [];
  if (type === ec2.VpcEndpointIpAddressType.IPV6 && props.vpc === undefined) {
    problems.push(
      'ipAddressType: IPV6 needs IPv6-only subnets, which the VPC created here does not have. Give vpc (and subnets) with IPv6-only subnets, or use DUALSTACK.',
    );
  }
  const accepted = props.provider?.ipAddressTypes;
  if (accepted) {
    const needs =
      type === ec2.VpcEndpointIpAddressType.IPV4
        ? [ec2.IpAddressType.IPV4]
        : type === ec2.VpcEndpointIpAddressType.IPV6
          ? [ec2.IpAddressType.IPV6]
          : [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6];
    const missing = needs.filter((t) => !accepted.includes(t));
    if (missing.length > 0) {
      problems.push(
        `ipAddressType: ${type} needs the service to accept ${missing.join(' and ')}, and the provider accepts only ${accepted.join(', ')}. ` +
          `Add ${missing.map((t) => `IpAddressType.${t.toUpperCase()}`).join(' and ')} to the provider's ipAddressTypes, or change ipAddressType.`,
      );
    }
  }
  return problems;
}
