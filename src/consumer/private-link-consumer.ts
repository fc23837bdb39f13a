import { Fn, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ConsumerPreflight } from './preflight';
import { Problem, throwIfProblems } from '../errors';
import { PrivateLinkProvider } from '../provider/private-link-provider';
import { createIsolatedVpc } from '../shared/vpc';
import { checkPort, checkServiceName } from '../validate';

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
    throwIfProblems([
      sourceProblem(props),
      props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)
        ? checkServiceName('serviceName', props.serviceName)
        : undefined,
      props.port !== undefined && !Token.isUnresolved(props.port) ? checkPort('port', props.port) : undefined,
      privateDnsProblem(props),
    ]);
    this.privateDnsEnabled = props.privateDnsEnabled ?? false;
    this.serviceName = serviceName!;
    this.port = props.port ?? props.provider?.port ?? 80;

    this.vpc = props.vpc ?? createIsolatedVpc(this, 'Vpc');
    this.subnets = props.subnets ?? {};
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
