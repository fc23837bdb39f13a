import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { IPrivateLinkResource } from './private-link-resource';
import { ResourcePortRange } from './target';
import { checkPortRanges, checkResourceConfigurationArn } from './validate';
import { IPrivateLinkEndpoint } from '../consumer/endpoint';
import { Problem, throwIfProblems } from '../errors';
import { ServiceProtocol, speaksTls } from '../service/protocol';
import { stackHandlerFunction } from '../shared/handler-function';
import { createIsolatedVpc } from '../shared/vpc';
import { checkPort } from '../validate';

/** Properties of a {@link PrivateLinkResourceEndpoint}. */
export interface PrivateLinkResourceEndpointProps {
  /**
   * The shared resource: a `PrivateLinkResource` of this app, or
   * `PrivateLinkResource.fromResourceConfigurationArn(arn, { port })` for one shared with this account.
   */
  readonly resource: IPrivateLinkResource;

  /**
   * The VPC to create the endpoint in. It cannot be the resource gateway's VPC (AWS creates no endpoint there).
   * @default - a new VPC with isolated subnets only in 2 AZs, no NAT gateway, the default security group
   * restricted and flow logs on
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the endpoint's network interfaces.
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Security groups of the endpoint instead of the one created here. Their rules are yours: `allowFrom()`
   * adds ingress to them.
   * @default - a new security group with no egress and no ingress until `allowFrom()` names a peer
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Whether the endpoint answers, in this VPC, to the resource configuration's custom domain name (when
   * the provider gave it one).
   * @default false
   */
  readonly privateDnsEnabled?: boolean;
}

/**
 * The consumer side of PrivateLink for resources: a VPC endpoint of type Resource to a shared resource
 * configuration, behind a closed security group. A custom resource reads the endpoint's DNS name at
 * deploy time (CloudFormation reports none for this endpoint type). Implements `IPrivateLinkEndpoint`, so
 * `ConnectivityCheck` can test it (TCP by default).
 */
export class PrivateLinkResourceEndpoint extends Construct implements IPrivateLinkEndpoint {
  /** The `AWS::EC2::VPCEndpoint` of type Resource. */
  public readonly endpoint: ec2.CfnVPCEndpoint;
  /** The endpoint ID: `vpce-…`. */
  public readonly endpointId: string;
  /** The endpoint's DNS name (read at deploy time from its association with the resource configuration). */
  public readonly dnsName: string;
  /** The resource's port. */
  public readonly port: number;
  /** Every port range of the resource. */
  public readonly portRanges: ResourcePortRange[];
  /** The VPC of the endpoint. */
  public readonly vpc: ec2.IVpc;
  /** The endpoint's subnets (the connectivity check goes in them too). */
  public readonly subnets: ec2.SubnetSelection;
  /** IPv4: the endpoint's network interfaces get IPv4 addresses (AWS's default for a resource endpoint). */
  public readonly ipAddressType: ec2.VpcEndpointIpAddressType;
  /** Always false: the endpoint is called by `dnsName` (a custom domain name is the provider's to give). */
  public readonly tlsEnabled: boolean;
  /** What the resource speaks (the connectivity check follows it): always set, TCP unless the resource says otherwise. */
  public readonly protocol?: ServiceProtocol;
  /** The endpoint's network rules: `endpoint.connections.allowFrom(peer, port)`. */
  public readonly connections: ec2.Connections;
  /** The security group created here (undefined when `securityGroups` was given). */
  public readonly securityGroup?: ec2.SecurityGroup;
  /** The resource configuration ARN. */
  public readonly resourceConfigurationArn: string;
  /** Whether private DNS is enabled on the endpoint. */
  public readonly privateDnsEnabled: boolean;
  /** Not known at synth: clients call the endpoint by `dnsName` (what the connectivity check does). */
  public readonly privateDnsName?: string;
  /** The custom resource that reads the DNS name. */
  public readonly dnsLookup: CustomResource;
  /** The function behind `dnsLookup`: one per stack, shared by every resource endpoint in it. */
  public readonly dnsLookupFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: PrivateLinkResourceEndpointProps) {
    super(scope, id);
    const resource = props.resource;
    const arn = resource.resourceConfigurationArn;
    throwIfProblems([
      Token.isUnresolved(arn) ? undefined : checkResourceConfigurationArn('resource.resourceConfigurationArn', arn),
      Token.isUnresolved(resource.port) ? undefined : checkPort('resource.port', resource.port),
      ...(!Token.isUnresolved(resource.portRanges) && !justThePort(resource)
        ? checkPortRanges('resource.portRanges', resource.portRanges)
        : []),
      sameVpcProblem(props),
      props.securityGroups !== undefined && props.securityGroups.length === 0
        ? 'securityGroups: the list is empty. Give at least one security group, or leave it unset for a closed one made here.'
        : undefined,
    ], this);
    this.resourceConfigurationArn = arn;
    this.port = resource.port;
    this.portRanges = resource.portRanges;
    const protocol = resource.protocol;
    this.protocol = protocol;
    this.tlsEnabled = speaksTls(protocol);
    this.privateDnsEnabled = props.privateDnsEnabled ?? false;
    this.vpc = props.vpc ?? createIsolatedVpc(this, 'Vpc');
    this.subnets = props.subnets ?? {};
    const subnets = this.subnets;
    this.ipAddressType = ec2.VpcEndpointIpAddressType.IPV4;

    const securityGroups =
      props.securityGroups ??
      [
        (this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: this.vpc,
          description: 'cdk-privatelink resource endpoint: ingress on the resource ports from allowed peers only, no egress',
          allowAllOutbound: false,
        })),
      ];
    this.connections = new ec2.Connections({ securityGroups });
    this.endpoint = new ec2.CfnVPCEndpoint(this, 'Resource', {
      vpcEndpointType: 'Resource',
      vpcId: this.vpc.vpcId,
      resourceConfigurationArn: arn,
      subnetIds: this.vpc.selectSubnets(subnets).subnetIds,
      securityGroupIds: securityGroups.map((g) => g.securityGroupId),
      privateDnsEnabled: this.privateDnsEnabled,
    });
    if (resource instanceof Construct) {
      // Same app: create the endpoint once the configuration (and its share) exist.
      this.endpoint.node.addDependency(resource);
    }
    this.endpointId = this.endpoint.ref;

    this.dnsLookupFunction = stackHandlerFunction(Stack.of(this), 'PrivateLinkResourceEndpointDnsFunction', {
      handler: 'resource-endpoint',
      description: "cdk-privatelink: reads resource endpoints' DNS names from their associations",
      timeout: Duration.minutes(5),
      statements: [new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointAssociations'], resources: ['*'] })],
      wildcardReason:
        'ec2:DescribeVpcEndpointAssociations has no resource-level permissions (a Describe action of EC2); the function only reads.',
    });
    this.dnsLookup = new CustomResource(this, 'DnsName', {
      serviceToken: this.dnsLookupFunction.functionArn,
      resourceType: 'Custom::PrivateLinkResourceEndpointDns',
      serviceTimeout: Duration.minutes(6),
      properties: { VpcEndpointId: this.endpointId },
    });
    this.dnsName = this.dnsLookup.getAttString('DnsName');
  }

  /** Opens the resource's ports of the endpoint to `peer` (and the peer's egress to them). */
  public allowFrom(peer: ec2.IConnectable): void {
    for (const range of this.portRanges) {
      const to = range.toPort ?? range.fromPort;
      this.connections.allowFrom(
        peer,
        to === range.fromPort ? ec2.Port.tcp(range.fromPort) : ec2.Port.tcpRange(range.fromPort, to),
        'to the PrivateLink resource endpoint',
      );
    }
  }
}

/** Whether the port ranges are the port alone (checked as the port). */
function justThePort(resource: IPrivateLinkResource): boolean {
  const r = resource.portRanges;
  return r.length === 1 && r[0].fromPort === resource.port && (r[0].toPort === undefined || r[0].toPort === resource.port);
}

function sameVpcProblem(props: PrivateLinkResourceEndpointProps): Problem {
  const gatewayVpc = props.resource.gatewayVpc;
  if (!gatewayVpc || !props.vpc || gatewayVpc !== props.vpc) return undefined;
  return (
    "vpc: the endpoint's VPC is the resource gateway's VPC, where AWS creates no resource endpoint (clients there reach " +
    'the resource directly). Put the endpoint in another VPC, or leave vpc unset for a new one.'
  );
}
