import { Annotations, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { IPrivateLinkEndpoint, PrivateLinkEndpointAttributes } from './endpoint';
import { ConsumerPreflight } from './preflight';
import { Problem, throwIfProblems } from '../errors';
import { PrivateLinkProvider } from '../provider/private-link-provider';
import { IPrivateLinkService } from '../service/private-link-service';
import { ServiceProtocol, speaksTls, tlsProtocolProblem } from '../service/protocol';
import { ipv6CapabilityOf } from '../shared/subnets';
import { createIsolatedVpc } from '../shared/vpc';
import { checkDomainName, checkPort, checkRegion } from '../validate';

/** Properties of a {@link PrivateLinkConsumer}. */
export interface PrivateLinkConsumerProps {
  /**
   * The service to connect to: a `PrivateLinkProvider` of this app (any stack, region or account), or
   * `PrivateLinkService.fromServiceName()` for a service of another app or account. Its port, protocol,
   * private DNS name, region, AZ IDs and IP address types shape the endpoint and are checked against it.
   */
  readonly service: IPrivateLinkService;

  /**
   * The VPC to create the endpoint in.
   * @default - a new VPC with isolated subnets only in 2 AZs (in the service's AZ IDs when they are known
   * at synth), no NAT gateway, the default security group restricted and flow logs on
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the endpoint network interfaces, one per AZ. The provider's NLB must serve those AZs
   * (compare AZ IDs, not names: names differ between accounts).
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The endpoint's security groups. Rules that `allowFrom()` and the connectivity check add go into them.
   * @default - a new security group with no egress and no ingress but what `allowFrom()` names
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Whether to associate the service's private DNS name with the endpoint in this VPC. Only works when
   * the provider has a verified private DNS name, and only one endpoint per service and VPC may do it.
   * @default false
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * The service's region, for a cross-region endpoint (the service is in another region than this
   * stack). It must be the service's region, and the provider must allow this stack's region (its
   * `allowedRegions`). Creating a cross-region endpoint needs the IAM action `vpce:AllowMultiRegion`;
   * changing this replaces the endpoint.
   * @default - the endpoint's own region
   */
  readonly serviceRegion?: string;

  /**
   * The IP address type of the endpoint's network interfaces; its DNS records follow (A for IPV4, A and
   * AAAA for DUALSTACK, AAAA for IPV6). DUALSTACK gives a VPC created here IPv6 (an Amazon-provided /56,
   * a /64 per subnet, no route out of the VPC); a given VPC's subnets must have IPv6 CIDR blocks. IPV6
   * needs IPv6-only subnets, so it needs `vpc`. The service must accept the type (its `supportedIpAddressTypes`).
   * @default - IPv4 (VpcEndpointIpAddressType.IPV4, A records)
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * Run a preflight before the endpoint is created: a custom resource that fails the deployment with a
   * precise message when the service is not visible to this account, has no verified private DNS name
   * while `privateDnsEnabled` is on, or does not serve the AZ IDs of the endpoint's subnets. One function
   * per stack serves every consumer's preflight. Turn it off when the provider allows only specific IAM
   * roles (the preflight's own role would not see the service) or when the deployment may not call
   * `ec2:DescribeVpcEndpointServices`.
   * @default true
   */
  readonly preflightEnabled?: boolean;
}

/**
 * The consumer side of AWS PrivateLink: an interface VPC endpoint to the provider's endpoint service,
 * behind a closed security group that only opens the service port to what `allowFrom()` names.
 */
export class PrivateLinkConsumer extends Construct implements IPrivateLinkEndpoint {
  /**
   * An endpoint made elsewhere (another stack, app or tool), for a `ConnectivityCheck` or your own
   * clients: they are allowed in through its security groups.
   */
  public static fromEndpointAttributes(scope: Construct, id: string, attrs: PrivateLinkEndpointAttributes): IPrivateLinkEndpoint {
    return new ImportedEndpoint(scope, id, attrs);
  }

  /** The service the endpoint connects to. */
  public readonly service: IPrivateLinkService;
  /** The VPC of the endpoint. */
  public readonly vpc: ec2.IVpc;
  /** The endpoint's subnets. */
  public readonly subnets: ec2.SubnetSelection;
  /** The interface VPC endpoint. */
  public readonly endpoint: ec2.InterfaceVpcEndpoint;
  /** The endpoint's security groups (the one created here: no egress, ingress only from what `allowFrom()` names). */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** The endpoint's regional DNS name (`vpce-…-….vpce-svc-….<region>.vpce.amazonaws.com`). */
  public readonly dnsName: string;
  /** The endpoint ID: `vpce-…`. */
  public readonly endpointId: string;
  /** The provider's service name. */
  public readonly serviceName: string;
  /** The service port. */
  public readonly port: number;
  /** Whether the service speaks TLS on its port. */
  public readonly tlsEnabled: boolean;
  /** What the service speaks on its port, when known. */
  public readonly protocol?: ServiceProtocol;
  /** The network rules of the endpoint: `consumer.connections.allowFrom(peer, port)`. */
  public readonly connections: ec2.Connections;
  /** The service's region when it was given (cross-region). */
  public readonly serviceRegion?: string;
  /** The IP address type of the endpoint. */
  public readonly ipAddressType: ec2.VpcEndpointIpAddressType;
  /** Whether private DNS is enabled on the endpoint. */
  public readonly privateDnsEnabled: boolean;
  /**
   * The service's private DNS name, when private DNS is enabled and the name is known (from the service,
   * or read by the preflight at deploy time).
   */
  public readonly privateDnsName?: string;
  /** The preflight, unless turned off. */
  public readonly preflight?: ConsumerPreflight;

  constructor(scope: Construct, id: string, props: PrivateLinkConsumerProps) {
    super(scope, id);
    const service = props.service;
    this.ipAddressType = props.ipAddressType ?? ec2.VpcEndpointIpAddressType.IPV4;
    this.privateDnsEnabled = props.privateDnsEnabled ?? false;
    throwIfProblems(
      [
        ...regionProblems(this, props),
        sameAppAccountProblem(this, service),
        ...ipAddressTypeProblems(props, this.ipAddressType),
        this.ipv6SubnetsProblem(props),
        privateDnsProblem(props),
        duplicatePrivateDnsProblem(this, props),
        props.securityGroups !== undefined && props.securityGroups.length === 0
          ? 'securityGroups: the list is empty. Give at least one security group, or leave it unset (a closed one is created).'
          : undefined,
      ],
      this,
    );
    this.service = service;
    this.serviceName = service.serviceName;
    this.serviceRegion = props.serviceRegion;
    this.port = service.port;
    this.tlsEnabled = service.tlsEnabled;
    this.protocol = service.protocol;

    const dualStack = this.ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK;
    // A VPC created here goes in the service's AZ IDs (literal, or attributes of a provider in this app),
    // unless the service is in another region, whose AZ IDs are not this region's.
    const ids = service.availabilityZoneIds;
    const zoneIds = ids !== undefined && !Token.isUnresolved(ids) && ids.length > 0 && props.serviceRegion === undefined ? ids : undefined;
    this.vpc = props.vpc ?? createIsolatedVpc(this, 'Vpc', { dualStack, availabilityZoneIds: zoneIds });
    this.subnets = props.subnets ?? {};
    if (ids !== undefined && (props.vpc !== undefined || Token.isUnresolved(ids))) {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:az-unchecked',
        "service.availabilityZoneIds: whether the endpoint's subnets are in the service's AZs cannot be checked at synth " +
          `(${props.vpc ? 'the VPC was given, and the AZ IDs of its subnets are known only in AWS' : 'the AZ IDs are a token list of unknown length'}). ` +
          "Compare `aws ec2 describe-subnets --subnet-ids <ids> --query 'Subnets[].AvailabilityZoneId'` with the service's AZ IDs: " +
          'an endpoint subnet in a zone the NLB does not serve fails the deploy ("...does not support the availability zone of the subnet"). ' +
          'The preflight checks it before the endpoint is created.',
      );
    }
    this.securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: this.vpc,
        description: 'cdk-privatelink endpoint: ingress on the service port from allowed peers only, no egress',
        allowAllOutbound: false,
      }),
    ];
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc: this.vpc,
      service: new ec2.InterfaceVpcEndpointService(this.serviceName, this.port),
      subnets: this.subnets,
      securityGroups: this.securityGroups,
      open: false,
      privateDnsEnabled: this.privateDnsEnabled,
      ...(props.serviceRegion !== undefined ? { serviceRegion: props.serviceRegion } : {}),
      ...(props.ipAddressType !== undefined
        ? { ipAddressType: this.ipAddressType, dnsRecordIpType: DNS_RECORD_IP_TYPE[this.ipAddressType] }
        : {}),
    });
    // A service of this app: create the endpoint (and run the preflight) once the provider is complete
    // (principals allowed, private DNS name verified).
    const provider = Construct.isConstruct(service) ? service : undefined;
    if (provider) this.endpoint.node.addDependency(provider);
    if (props.preflightEnabled ?? true) {
      this.preflight = new ConsumerPreflight(this, 'Preflight', {
        serviceName: this.serviceName,
        subnetIds: (this.endpoint.node.defaultChild as ec2.CfnVPCEndpoint).subnetIds ?? [],
        privateDnsEnabled: this.privateDnsEnabled,
        serviceRegion: props.serviceRegion,
      });
      if (provider) this.preflight.node.addDependency(provider);
      this.endpoint.node.addDependency(this.preflight.resource);
    }
    if (this.privateDnsEnabled) {
      this.privateDnsName = service.privateDnsName ?? this.preflight?.privateDnsName;
    }
    this.connections = this.endpoint.connections;
    this.endpointId = this.endpoint.vpcEndpointId;
    // Entries are "HOSTEDZONEID:dnsname", the regional name first.
    this.dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoint.vpcEndpointDnsEntries)));

    // At synth, once the provider's principals are all in: this account must be allowed to connect.
    this.node.addValidation({
      validate: () => {
        const account = Stack.of(this).account;
        if (Token.isUnresolved(account) || service.allowsAccount(account)) return [];
        return [
          `service: the provider does not allow account ${account} (this stack's) to connect, so the endpoint would stay ` +
            `unconnected. Add "${account}" to the provider's allowedPrincipals (or call provider.allowPrincipal("${account}")).`,
        ];
      },
    });
  }

  /** A given VPC's endpoint subnets against a dual-stack or IPv6 endpoint (imported ones: a warning). */
  private ipv6SubnetsProblem(props: PrivateLinkConsumerProps): Problem {
    if (this.ipAddressType === ec2.VpcEndpointIpAddressType.IPV4 || !props.vpc) return undefined;
    const capability = ipv6CapabilityOf(props.vpc.selectSubnets(props.subnets ?? {}).subnets);
    if (capability.state === 'unknown') {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:ipv6-unchecked',
        `ipAddressType is ${this.ipAddressType}, but the endpoint's subnets are imported: whether they have IPv6 CIDR blocks cannot be checked at synth. The deploy fails if one has none.`,
      );
    }
    return capability.state === 'no'
      ? `ipAddressType: ${this.ipAddressType} needs subnets with IPv6 CIDR blocks; these have none: ${capability.withoutIpv6.join(', ')}. ` +
          'Give the VPC IPv6 (ipProtocol: ec2.IpProtocol.DUAL_STACK), pick IPv6 subnets with subnets, or use IPV4.'
      : undefined;
  }

  /** Opens the service port of the endpoint to `peer` (and the peer's egress to it). */
  public allowFrom(peer: ec2.IConnectable): void {
    this.connections.allowFrom(peer, ec2.Port.tcp(this.port), 'to the PrivateLink endpoint');
  }
}

/** The service's region against this stack's and `serviceRegion` (defect: an endpoint to the wrong region). */
function regionProblems(scope: Construct, props: PrivateLinkConsumerProps): Problem[] {
  const given = props.serviceRegion;
  const serviceRegion = props.service.region;
  const own = Stack.of(scope).region;
  const known = (r: string | undefined): r is string => r !== undefined && !Token.isUnresolved(r);
  if (known(given)) {
    const problem = checkRegion('serviceRegion', given);
    if (problem) return [problem];
    if (known(serviceRegion) && given !== serviceRegion) {
      return [`serviceRegion: "${given}" is not the service's region "${serviceRegion}" (the region in its name ${JSON.stringify(props.service.serviceName)}). Set serviceRegion: "${serviceRegion}".`];
    }
  }
  if (!known(serviceRegion) || !known(own) || serviceRegion === own) return [];
  if (given === undefined) {
    return [
      `service: the service is in ${serviceRegion} and this stack deploys to ${own}. For a cross-region endpoint set ` +
        `serviceRegion: "${serviceRegion}" (the provider must allow ${own} in its allowedRegions), or deploy the consumer in ${serviceRegion}.`,
    ];
  }
  const allowed = props.service.allowedRegions;
  if (allowed !== undefined && !Token.isUnresolved(allowed) && !allowed.includes(own)) {
    return [
      `service: the provider in ${serviceRegion} does not accept endpoints from ${own} (its allowedRegions: ` +
        `${allowed.length > 0 ? allowed.join(', ') : `${serviceRegion} only`}). Add "${own}" to the provider's allowedRegions, or deploy the consumer in ${serviceRegion}.`,
    ];
  }
  return [];
}

/** A provider of this app in another account: CloudFormation cannot reference across accounts. */
function sameAppAccountProblem(scope: Construct, service: IPrivateLinkService): Problem {
  if (!Construct.isConstruct(service)) return undefined;
  const theirs = Stack.of(service).account;
  const ours = Stack.of(scope).account;
  if (Token.isUnresolved(theirs) || Token.isUnresolved(ours) || theirs === ours) return undefined;
  return (
    `service: the provider's stack is in account ${theirs} and this stack in ${ours}; CloudFormation cannot reference a ` +
    'resource of another account. Pass PrivateLinkService.fromServiceName(<the provider stack output ServiceName>, { port, ... }) instead.'
  );
}

function privateDnsProblem(props: PrivateLinkConsumerProps): Problem {
  // Only a provider of this app is known to have no private DNS name; for a service known by name the
  // preflight checks it at deploy time.
  if (!props.privateDnsEnabled || !(props.service instanceof PrivateLinkProvider) || props.service.privateDnsName !== undefined) {
    return undefined;
  }
  return (
    'privateDnsEnabled: true, but the provider has no private DNS name: the endpoint would fail at deploy with ' +
    `"Private DNS can't be enabled because the service ... does not provide a private DNS name". Set ` +
    "privateDns on the PrivateLinkProvider (its TXT record must be published and verified), or leave " +
    'privateDnsEnabled off and call the endpoint by its own DNS name.'
  );
}

/** Which consumer enabled private DNS for a service in a VPC, per app: AWS allows one. */
const PRIVATE_DNS_OWNERS = new WeakMap<IConstruct, Map<string, string>>();

function duplicatePrivateDnsProblem(scope: Construct, props: PrivateLinkConsumerProps): Problem {
  if (!props.privateDnsEnabled || !props.vpc) return undefined;
  const owners = PRIVATE_DNS_OWNERS.get(scope.node.root) ?? new Map<string, string>();
  PRIVATE_DNS_OWNERS.set(scope.node.root, owners);
  const key = `${props.vpc.vpcId}|${props.service.serviceName}`;
  const first = owners.get(key);
  if (first === undefined) {
    owners.set(key, scope.node.path);
    return undefined;
  }
  return (
    `privateDnsEnabled: ${first} already enables private DNS for this service in this VPC, and AWS allows one endpoint ` +
    'per service with private DNS in a VPC (the second fails at deploy). Set privateDnsEnabled: false here and call this ' +
    `endpoint by its dnsName, or use ${first} for both.`
  );
}

/** An endpoint made elsewhere. */
class ImportedEndpoint extends Construct implements IPrivateLinkEndpoint {
  public readonly endpointId: string;
  public readonly dnsName: string;
  public readonly port: number;
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.SubnetSelection;
  public readonly privateDnsName?: string;
  public readonly tlsEnabled: boolean;
  public readonly protocol?: ServiceProtocol;
  public readonly ipAddressType: ec2.VpcEndpointIpAddressType;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, attrs: PrivateLinkEndpointAttributes) {
    super(scope, id);
    throwIfProblems(
      [
        Token.isUnresolved(attrs.endpointId) || /^vpce-[0-9a-f]{8,17}$/.test(attrs.endpointId)
          ? undefined
          : `endpointId: ${JSON.stringify(attrs.endpointId)} is not a VPC endpoint ID. Use the ID of the endpoint, e.g. "vpce-0123456789abcdef0" (not the service's vpce-svc-… ID).`,
        Token.isUnresolved(attrs.port) ? undefined : checkPort('port', attrs.port),
        attrs.securityGroups.length === 0
          ? "securityGroups: the list is empty. Give the endpoint's security groups: clients such as the connectivity check are allowed in through them."
          : undefined,
        Token.isUnresolved(attrs.dnsName) ? undefined : checkDomainName('dnsName', attrs.dnsName),
        attrs.privateDnsName === undefined || Token.isUnresolved(attrs.privateDnsName)
          ? undefined
          : checkDomainName('privateDnsName', attrs.privateDnsName),
        tlsProtocolProblem(attrs.tls, attrs.protocol),
      ],
      this,
    );
    this.endpointId = attrs.endpointId;
    this.dnsName = attrs.dnsName;
    this.port = attrs.port;
    this.vpc = attrs.vpc;
    this.subnets = attrs.subnets ?? {};
    this.privateDnsName = attrs.privateDnsName;
    this.protocol = attrs.protocol;
    this.tlsEnabled = attrs.tls ?? speaksTls(this.protocol);
    this.ipAddressType = attrs.ipAddressType ?? ec2.VpcEndpointIpAddressType.IPV4;
    this.connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: ec2.Port.tcp(attrs.port) });
  }
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
  const accepted = props.service.supportedIpAddressTypes;
  if (!Token.isUnresolved(accepted)) {
    const needs =
      type === ec2.VpcEndpointIpAddressType.IPV4
        ? [ec2.IpAddressType.IPV4]
        : type === ec2.VpcEndpointIpAddressType.IPV6
          ? [ec2.IpAddressType.IPV6]
          : [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6];
    const missing = needs.filter((t) => !accepted.includes(t));
    const names = missing.map((t) => `IpAddressType.${t.toUpperCase()}`).join(' and ');
    if (missing.length > 0) {
      problems.push(
        `ipAddressType: ${type} needs the service to accept ${missing.join(' and ')}, and ` +
          (Construct.isConstruct(props.service)
            ? `the provider accepts only ${accepted.join(', ')}. Add ${names} to the provider's supportedIpAddressTypes, or change ipAddressType.`
            : `the service is described as accepting only ${accepted.join(', ')}. If the provider accepts ${missing.join(' and ')}, add ${names} to ` +
              'the supportedIpAddressTypes of PrivateLinkService.fromServiceName(); otherwise change ipAddressType.'),
      );
    }
  }
  return problems;
}
