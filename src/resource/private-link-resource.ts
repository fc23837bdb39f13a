import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { ResourceGateway } from './gateway';
import { latticeName } from './names';
import { ResourceGatewayIpAddressType, ResourcePortRange, ResourceTarget, ResourceTargetType } from './target';
import {
  checkIpAddress,
  checkPortRanges,
  checkResourceArn,
  checkResourceDnsName,
  isIpv4Address,
  isIpv6Address,
  parseSharePrincipal,
  portRangeText,
} from './validate';
import { Problem, throwIfProblems } from '../errors';
import { ServiceProtocol } from '../service/protocol';
import { createIsolatedVpc } from '../shared/vpc';
import { checkPort } from '../validate';

/**
 * A resource shared through PrivateLink for resources, as a consumer's resource endpoint needs it.
 * Implemented by `PrivateLinkResource` (same app); `PrivateLinkResource.fromResourceConfigurationArn()`
 * describes a resource shared by another app or account.
 */
export interface IPrivateLinkResource {
  /** The resource configuration ARN: `arn:aws:vpc-lattice:<region>:<account>:resourceconfiguration/rcfg-…`. */
  readonly resourceConfigurationArn: string;
  /** The port clients connect to (the first port when the resource has several). */
  readonly port: number;
  /** Every port range of the resource (`port` alone for one port). */
  readonly portRanges: ResourcePortRange[];
  /** What the resource speaks on its port (TCP unless known better). */
  readonly protocol: ServiceProtocol;
  /**
   * The VPC of the resource gateway, when it is in this app (a resource endpoint cannot be in it).
   * @default - unknown
   */
  readonly gatewayVpc?: ec2.IVpc;
}

/** What is known of a resource shared by another app or account, for {@link PrivateLinkResource.fromResourceConfigurationArn}. */
export interface PrivateLinkResourceOptions {
  /** The port clients connect to (the provider's `resourcePort`, e.g. 5432). */
  readonly port: number;
  /**
   * Every port range of the resource, when it has several.
   * @default - `port` alone
   */
  readonly portRanges?: ResourcePortRange[];
  /**
   * What the resource speaks on its port.
   * @default ServiceProtocol.TCP
   */
  readonly protocol?: ServiceProtocol;
}

/** Properties of a {@link PrivateLinkResource}. */
export interface PrivateLinkResourceProps {
  /** The resource to share: `ResourceTarget.ipAddress()`, `.dnsName()` or `.arn()` (an RDS database). */
  readonly target: ResourceTarget;

  /**
   * The resource's port. Give this or `portRanges`.
   * @default - the first port of `portRanges`
   */
  readonly port?: number;

  /**
   * The resource's TCP port ranges, when it listens on several ports. Not for an ARN target (AWS takes
   * the database's port).
   * @default - `port` alone
   */
  readonly portRanges?: ResourcePortRange[];

  /**
   * The VPC the resource is reached from: the resource gateway goes in it.
   * @default - a new VPC with isolated subnets only in 2 AZs, no NAT gateway, the default security group
   * restricted and flow logs on
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the resource gateway's network interfaces.
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Who may create endpoints to the resource: 12-digit account IDs, OU ARNs
   * (`arn:aws:organizations::<management account>:ou/o-…/ou-…`) or the organization ARN. One AWS RAM
   * resource share holds them all.
   * @default - no share: only this account can reach the resource
   */
  readonly shareWith?: string[];

  /**
   * Whether the share admits accounts outside your AWS Organization. Such accounts receive an invitation
   * to accept (`privatelink accept-share`) before they can create an endpoint.
   * @default - true when `shareWith` names an account ID (it may be outside the organization; a synth
   * warning says so), false when it names only OUs or the organization
   */
  readonly allowExternalPrincipals?: boolean;

  /**
   * The IP address type of the resource gateway. IPV6 and DUALSTACK need subnets with IPv6 CIDR blocks.
   * @default ResourceGatewayIpAddressType.IPV4
   */
  readonly ipAddressType?: ResourceGatewayIpAddressType;

  /**
   * What the resource speaks on its port (the connectivity check follows it).
   * @default ServiceProtocol.TCP
   */
  readonly protocol?: ServiceProtocol;
}

/**
 * The provider side of PrivateLink for resources: a VPC Lattice resource gateway in the resource's VPC,
 * a resource configuration that names the resource (an IP address, a DNS name or an RDS database) and
 * its ports, and an AWS RAM share of the configuration with the consumer accounts, OUs or organization.
 * No load balancer and no endpoint service: consumers create a VPC endpoint of type Resource
 * (`PrivateLinkResourceEndpoint`). The gateway's security group allows nothing but egress to the resource
 * on its ports.
 */
export class PrivateLinkResource extends Construct implements IPrivateLinkResource, ec2.IConnectable {
  /** Describes a resource that another app or account shares with this one, by its configuration ARN. */
  public static fromResourceConfigurationArn(arn: string, options: PrivateLinkResourceOptions): IPrivateLinkResource {
    return {
      resourceConfigurationArn: arn,
      port: options.port,
      portRanges: options.portRanges ?? [{ fromPort: options.port }],
      protocol: options.protocol ?? ServiceProtocol.TCP,
    };
  }

  /** The resource gateway (its `connections` open the way to the resource). */
  public readonly gateway: ResourceGateway;
  /** The `AWS::VpcLattice::ResourceConfiguration`. */
  public readonly resourceConfiguration: vpclattice.CfnResourceConfiguration;
  /** The resource configuration ARN: what consumers create their endpoint to. */
  public readonly resourceConfigurationArn: string;
  /** The resource configuration ID: `rcfg-…`. */
  public readonly resourceConfigurationId: string;
  /** The RAM resource share, when `shareWith` names principals. */
  public readonly share?: ram.CfnResourceShare;
  /** The resource shared. */
  public readonly target: ResourceTarget;
  /** The port clients connect to (the first of `portRanges`). */
  public readonly port: number;
  /** Every port range of the resource. */
  public readonly portRanges: ResourcePortRange[];
  /** What the resource speaks on its port. */
  public readonly protocol: ServiceProtocol;
  /** The VPC of the resource gateway. */
  public readonly vpc: ec2.IVpc;
  /** The VPC of the resource gateway (no resource endpoint can be created in it). */
  public readonly gatewayVpc?: ec2.IVpc;
  /** The principals the resource is shared with. */
  public readonly sharedWith: string[];
  /** The gateway's network rules (`resource.connections.allowTo(database, port)`). */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrivateLinkResourceProps) {
    super(scope, id);
    const target = props.target;
    const shareWith = props.shareWith ?? [];
    const literalShare = !Token.isUnresolved(shareWith);
    const shareKinds = literalShare
      ? shareWith.map((p, i) => (Token.isUnresolved(p) ? { kind: 'token' as const } : parseSharePrincipal(`shareWith[${i}]`, p)))
      : [];
    throwIfProblems([
      targetProblem(target),
      ...portProblems(props),
      ipFamilyProblem(target, props.ipAddressType ?? ResourceGatewayIpAddressType.IPV4),
      ...shareKinds.map((k) => ('problem' in k ? k.problem : undefined)),
      literalShare && props.shareWith !== undefined && shareWith.length === 0
        ? 'shareWith: the list is empty. Name the consumer accounts, OUs or the organization, or leave shareWith unset to keep the resource to this account.'
        : undefined,
      props.allowExternalPrincipals !== undefined && props.shareWith === undefined
        ? 'allowExternalPrincipals is set without shareWith: there is no share. Name the principals in shareWith, or leave allowExternalPrincipals unset.'
        : undefined,
    ], this);

    this.target = target;
    this.portRanges = props.portRanges ?? [{ fromPort: props.port! }];
    this.port = props.port ?? this.portRanges[0].fromPort;
    this.protocol = props.protocol ?? ServiceProtocol.TCP;
    this.vpc = props.vpc ?? createIsolatedVpc(this, 'Vpc', { dualStack: props.ipAddressType !== undefined && props.ipAddressType !== ResourceGatewayIpAddressType.IPV4 });
    this.gatewayVpc = this.vpc;
    this.gateway = new ResourceGateway(this, 'Gateway', { vpc: this.vpc, subnets: props.subnets, ipAddressType: props.ipAddressType });
    this.connections = this.gateway.connections;

    // The gateway may reach the resource on its ports, nothing else: the address itself for an IP
    // target, the VPC's IPv4 range for a name or an ARN (their addresses are known only at run time).
    const peer =
      target.targetType === ResourceTargetType.IP_ADDRESS && !Token.isUnresolved(target.value)
        ? isIpv6Address(target.value)
          ? ec2.Peer.ipv6(`${target.value}/128`)
          : ec2.Peer.ipv4(`${target.value}/32`)
        : ec2.Peer.ipv4(this.vpc.vpcCidrBlock);
    for (const range of this.portRanges) {
      const to = range.toPort ?? range.fromPort;
      this.gateway.connections.allowTo(
        peer,
        to === range.fromPort ? ec2.Port.tcp(range.fromPort) : ec2.Port.tcpRange(range.fromPort, to),
        'to the shared resource',
      );
    }

    const arnTarget = target.targetType === ResourceTargetType.ARN;
    this.resourceConfiguration = new vpclattice.CfnResourceConfiguration(this, 'Resource', {
      name: latticeName(this),
      resourceGatewayId: this.gateway.gatewayId,
      resourceConfigurationType: arnTarget ? 'ARN' : 'SINGLE',
      ...(arnTarget ? {} : { protocolType: 'TCP', portRanges: this.portRanges.map(portRangeText) }),
      resourceConfigurationDefinition: definitionOf(target, props.ipAddressType ?? ResourceGatewayIpAddressType.IPV4),
    });
    this.resourceConfigurationArn = this.resourceConfiguration.attrArn;
    this.resourceConfigurationId = this.resourceConfiguration.attrId;

    this.sharedWith = [...shareWith];
    if (props.shareWith !== undefined) {
      const namesAccount = !literalShare || shareKinds.some((k) => 'kind' in k && (k.kind === 'account' || k.kind === 'token'));
      const external = props.allowExternalPrincipals ?? namesAccount;
      if (external && props.allowExternalPrincipals === undefined) {
        Annotations.of(this).addWarningV2(
          'cdk-privatelink:share-external-principals',
          'shareWith names accounts, which may be outside your AWS Organization: the share allows external principals. ' +
            'An account outside the organization gets an invitation it must accept before it can create an endpoint ' +
            '(`privatelink accept-share` with its credentials). If every account is in your organization and RAM sharing ' +
            'with the organization is on, set allowExternalPrincipals: false.',
        );
      }
      this.share = new ram.CfnResourceShare(this, 'Share', {
        name: latticeName(this),
        resourceArns: [this.resourceConfigurationArn],
        principals: shareWith.map((p) => (Token.isUnresolved(p) ? p : p.trim())),
        allowExternalPrincipals: external,
      });
    }
  }
}

function targetProblem(target: ResourceTarget): Problem {
  if (Token.isUnresolved(target.value)) return undefined;
  switch (target.targetType) {
    case ResourceTargetType.IP_ADDRESS:
      return checkIpAddress('target', target.value);
    case ResourceTargetType.DNS_NAME:
      return checkResourceDnsName('target', target.value);
    case ResourceTargetType.ARN:
      return checkResourceArn('target', target.value);
  }
}

function portProblems(props: PrivateLinkResourceProps): Problem[] {
  const arnTarget = props.target.targetType === ResourceTargetType.ARN;
  if (props.port === undefined && props.portRanges === undefined) {
    return [
      arnTarget
        ? 'port is missing. Give the database\'s port (e.g. 5432 for PostgreSQL, 3306 for MySQL): the gateway\'s security group opens it, and consumers connect to it.'
        : 'port is missing. Give the resource\'s TCP port (e.g. 5432), or portRanges for several.',
    ];
  }
  if (props.port !== undefined && props.portRanges !== undefined) {
    return ['port and portRanges are both set. Give one: port for one port, portRanges for several.'];
  }
  if (props.portRanges !== undefined && arnTarget) {
    return ['portRanges: an ARN target takes no port ranges (AWS uses the database\'s own port). Give the database\'s port as port.'];
  }
  if (props.port !== undefined) {
    return Token.isUnresolved(props.port) ? [] : [checkPort('port', props.port)];
  }
  return Token.isUnresolved(props.portRanges) ? [] : checkPortRanges('portRanges', props.portRanges!);
}

function ipFamilyProblem(target: ResourceTarget, type: ResourceGatewayIpAddressType): Problem {
  if (target.targetType !== ResourceTargetType.IP_ADDRESS || Token.isUnresolved(target.value)) return undefined;
  const address = JSON.stringify(target.value);
  if (isIpv6Address(target.value) && type === ResourceGatewayIpAddressType.IPV4) {
    return `target: ${address} is an IPv6 address, and the gateway is IPV4. Set ipAddressType: ResourceGatewayIpAddressType.IPV6 or DUALSTACK (with IPv6 subnets), or share an IPv4 address.`;
  }
  if (isIpv4Address(target.value) && type === ResourceGatewayIpAddressType.IPV6) {
    return `target: ${address} is an IPv4 address, and the gateway is IPV6. Set ipAddressType: ResourceGatewayIpAddressType.IPV4 or DUALSTACK, or share an IPv6 address.`;
  }
  return undefined;
}

function definitionOf(
  target: ResourceTarget,
  ipAddressType: ResourceGatewayIpAddressType,
): vpclattice.CfnResourceConfiguration.ResourceConfigurationDefinitionProperty {
  switch (target.targetType) {
    case ResourceTargetType.IP_ADDRESS:
      return { ipResource: target.value };
    case ResourceTargetType.DNS_NAME:
      // A DNS resource resolves to one address family (dual-stack is not supported for it).
      return { dnsResource: { domainName: target.value, ipAddressType: ipAddressType === ResourceGatewayIpAddressType.IPV6 ? 'IPV6' : 'IPV4' } };
    case ResourceTargetType.ARN:
      return { arnResource: target.value };
  }
}
