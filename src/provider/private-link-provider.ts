import { Aws, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BackendConfig, ProviderBackend } from './backend';
import { PrivateLinkConfigError, Problem, throwIfProblems } from '../errors';
import { createIsolatedVpc } from '../shared/vpc';
import { checkPort, parsePrincipal } from '../validate';

/** Properties of a {@link PrivateLinkProvider}. */
export interface PrivateLinkProviderProps {
  /**
   * The VPC of the service. Its load balancers go in `vpcSubnets`.
   * @default - a new VPC with isolated subnets only in 2 AZs, no NAT gateway, the default security
   * group restricted and flow logs on
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the NLB (and of the built-in ALB).
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * What the NLB forwards to.
   * @default ProviderBackend.fixedResponse() - an internal ALB answering 200 "Hello from ALB!"
   */
  readonly backend?: ProviderBackend;

  /**
   * The one port of the service: NLB listener, target group and ALB listener all use it.
   * @default - the port of the backend's listener when it has one, otherwise 80
   */
  readonly port?: number;

  /**
   * Who may create endpoints to the service: 12-digit account IDs (the account's root, so any IAM
   * principal of that account allowed by its own policies) or IAM principal ARNs. More can be added
   * with `allowPrincipal()`. `*` is refused unless `allowAnyPrincipal` is true.
   * @default - nobody; add principals with `allowPrincipal()`
   */
  readonly allowedPrincipals?: string[];

  /**
   * Accept `*` in `allowedPrincipals`: every AWS account may then request a connection.
   * @default false
   */
  readonly allowAnyPrincipal?: boolean;

  /**
   * Whether the provider must accept each connection request. When false, every allowed principal is
   * connected at once.
   * @default true
   */
  readonly acceptanceRequired?: boolean;

  /**
   * A bucket for the access logs of the built-in ALB (NLB access logs exist only for TLS listeners, and
   * the NLB here listens on TCP). The stack needs a region. The bucket policy must let the ELB log
   * delivery service write to it.
   * @default - no access logs
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in `accessLogBucket`.
   * @default 'privatelink'
   */
  readonly accessLogPrefix?: string;
}

/**
 * The provider side of AWS PrivateLink: an internal NLB in front of a backend (by default an internal
 * ALB), exposed as a VPC endpoint service that only the allowed principals can connect to.
 *
 * Traffic path: consumer endpoint → PrivateLink → NLB (TCP `port`) → ALB listener (`port`).
 */
export class PrivateLinkProvider extends Construct {
  /** The VPC of the service. */
  public readonly vpc: ec2.IVpc;
  /** The internal NLB behind the endpoint service. */
  public readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** The ALB behind the NLB, when the backend is an ALB. */
  public readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /** The VPC endpoint service. */
  public readonly endpointService: ec2.VpcEndpointService;
  /** The service name consumers use: `com.amazonaws.vpce.<region>.vpce-svc-…`. */
  public readonly serviceName: string;
  /** The service ID: `vpce-svc-…`. */
  public readonly serviceId: string;
  /** The service port. */
  public readonly port: number;
  /** Whether connections need the provider's acceptance. */
  public readonly acceptanceRequired: boolean;

  private readonly allowAnyPrincipal: boolean;
  private readonly principals = new Map<string, string>();
  private permissions?: ec2.CfnVPCEndpointServicePermissions;

  constructor(scope: Construct, id: string, props: PrivateLinkProviderProps = {}) {
    super(scope, id);
    this.allowAnyPrincipal = props.allowAnyPrincipal ?? false;
    this.acceptanceRequired = props.acceptanceRequired ?? true;

    const principalProblems = (props.allowedPrincipals ?? []).map((p, i) =>
      this.principalProblem(`allowedPrincipals[${i}]`, p),
    );
    const backendChoice = props.backend ?? ProviderBackend.fixedResponse();
    throwIfProblems([
      props.port !== undefined && !Token.isUnresolved(props.port) ? checkPort('port', props.port) : undefined,
      ...principalProblems,
      props.vpc && backendChoice.vpc && props.vpc !== backendChoice.vpc
        ? "vpc: the backend's load balancer is in another VPC. The NLB must be in the ALB's VPC: leave vpc unset (the ALB's VPC is used) or pass that VPC."
        : undefined,
      props.accessLogBucket && Token.isUnresolved(Stack.of(this).region)
        ? 'accessLogBucket: ELB access logging needs the stack\'s region to be known. Give the stack an env with a region, e.g. env: { region: "us-east-1" }.'
        : undefined,
    ]);
    this.vpc = props.vpc ?? backendChoice.vpc ?? createIsolatedVpc(this, 'Vpc');
    const vpcSubnets = props.vpcSubnets ?? {};
    const requestedPort = props.port;
    const backendPort = requestedPort ?? 80;

    const backend: BackendConfig = backendChoice.bind(this, {
      vpc: this.vpc,
      vpcSubnets,
      port: backendPort,
    });
    this.port = this.resolvePort(requestedPort, backend.port);
    this.applicationLoadBalancer = backend.applicationLoadBalancer;

    // The NLB has a security group with no inbound rule. PrivateLink traffic is not subject to inbound
    // rules (enforce... = off): who may connect is decided by the service permissions and acceptance,
    // and nothing else in the VPC can reach the NLB. Its only egress is to the backend on the port.
    const nlbSecurityGroup = new ec2.SecurityGroup(this, 'NlbSecurityGroup', {
      vpc: this.vpc,
      description: 'cdk-privatelink NLB: no inbound rule (PrivateLink traffic is not filtered), egress to the backend port only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      vpc: this.vpc,
      vpcSubnets,
      internetFacing: false,
      crossZoneEnabled: true,
      securityGroups: [nlbSecurityGroup],
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    });
    this.loadBalancer.connections.allowTo(backend.connections, ec2.Port.tcp(this.port), 'NLB to backend');

    const targetGroup = new elbv2.NetworkTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      port: this.port,
      protocol: elbv2.Protocol.TCP,
      targetType: backend.targetType,
      targets: [backend.target],
      healthCheck: {
        protocol: backend.protocol === elbv2.ApplicationProtocol.HTTPS ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP,
        path: '/',
        port: 'traffic-port',
      },
    });
    this.loadBalancer.addListener('Listener', {
      port: this.port,
      protocol: elbv2.Protocol.TCP,
      defaultTargetGroups: [targetGroup],
    });

    this.configureAccessLogs(props.accessLogBucket, props.accessLogPrefix ?? 'privatelink');

    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.loadBalancer],
      acceptanceRequired: this.acceptanceRequired,
    });
    this.serviceId = this.endpointService.vpcEndpointServiceId;
    this.serviceName = this.endpointService.vpcEndpointServiceName;

    for (const principal of props.allowedPrincipals ?? []) {
      this.allowPrincipal(principal);
    }
  }

  /**
   * Allows a principal to connect: a 12-digit account ID or an IAM principal ARN (a token is taken
   * as an ARN). Adding the same principal twice is harmless; every principal lands in one
   * permissions resource.
   */
  public allowPrincipal(principal: string): void {
    let arn = principal;
    let key = principal;
    if (!Token.isUnresolved(principal)) {
      const parsed = parsePrincipal('allowPrincipal()', principal, this.allowAnyPrincipal, Stack.of(this).partition);
      if ('problem' in parsed) throw new PrivateLinkConfigError([parsed.problem]);
      arn = parsed.arn;
      // An account ID and its root ARN are the same principal: keep one.
      key = parsed.accountId !== undefined && arn.endsWith(':root') ? `account:${parsed.accountId}` : arn;
    }
    if (this.principals.has(key)) return;
    this.principals.set(key, arn);
    this.permissions ??= new ec2.CfnVPCEndpointServicePermissions(this, 'Permissions', {
      serviceId: this.serviceId,
      allowedPrincipals: Lazy.list({ produce: () => [...this.principals.values()] }),
    });
  }

  /** Allows the root of an account, given as a token such as `Aws.ACCOUNT_ID` or a 12-digit ID. */
  public allowAccount(accountId: string): void {
    this.allowPrincipal(Token.isUnresolved(accountId) ? `arn:${Aws.PARTITION}:iam::${accountId}:root` : accountId);
  }

  /** Access logs of the ALB this construct created (a user's own ALB is left alone). */
  private configureAccessLogs(bucket: s3.IBucket | undefined, prefix: string): void {
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason: 'NLB access logs are only written for TLS listeners; this NLB listens on TCP and passes TLS through to the ALB, whose access logs are available (accessLogBucket).',
    });
    const alb = this.applicationLoadBalancer;
    if (!(alb instanceof elbv2.ApplicationLoadBalancer) || alb.node.scope !== this) return;
    if (bucket) {
      alb.logAccessLogs(bucket, prefix);
    } else {
      Validations.of(alb).acknowledge({
        id: 'AwsSolutions-ELB2',
        reason: 'ALB access logs are opt-in (accessLogBucket): they need an S3 bucket, owned by the user, that the ELB log delivery service can write to.',
      });
    }
  }

  private principalProblem(input: string, principal: string): Problem {
    if (Token.isUnresolved(principal)) return undefined;
    const parsed = parsePrincipal(input, principal, this.allowAnyPrincipal);
    return 'problem' in parsed ? parsed.problem : undefined;
  }

  private resolvePort(requested: number | undefined, backendPort: number | undefined): number {
    if (backendPort === undefined) return requested ?? 80;
    if (requested !== undefined && !Token.isUnresolved(backendPort) && requested !== backendPort) {
      throwIfProblems([
        `port: ${requested} differs from the backend listener's port ${backendPort}. ` +
          'The NLB forwards to the ALB listener on the same port: leave port unset or set it to the listener port.',
      ]);
    }
    return backendPort;
  }
}
