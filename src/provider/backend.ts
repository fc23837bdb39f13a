import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { Construct } from 'constructs';
import { DEFAULT_SSL_POLICY } from './tls-defaults';
import { Problem } from '../errors';
import { checkPort } from '../validate';

/** The default body of the built-in ALB's fixed response. */
export const DEFAULT_RESPONSE_BODY = 'Hello from ALB!';

/** What the provider tells a backend when it binds it. */
export interface BackendBindOptions {
  /** The provider's VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the load balancers. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The one port used by the NLB listener, the target group and the ALB listener. */
  readonly port: number;
  /**
   * The certificate of an HTTPS listener on `port`.
   * @default - a plain HTTP listener
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The HTTPS listener's security policy (with `certificate`).
   * @default elbv2.SslPolicy.TLS13_RES
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * A second, plain-HTTP listener on this port (with `certificate`).
   * @default - none
   */
  readonly plainHttpPort?: number;
}

/** What a bound backend gives the provider's NLB. */
export interface BackendConfig {
  /**
   * The NLB target group's target.
   * @default - none besides `targets`
   */
  readonly target?: elbv2.INetworkLoadBalancerTarget;
  /**
   * The NLB target group's target type.
   * @default - the type the targets declare
   */
  readonly targetType?: elbv2.TargetType;
  /**
   * What the NLB must be allowed to reach on the port (its security group is opened from the NLB).
   * @default - nothing besides `peers`
   */
  readonly connections?: ec2.IConnectable;
  /** The ALB behind the NLB, when there is one. */
  readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /** The port the backend listens on, when the backend decides it (an existing listener). */
  readonly port?: number;
  /**
   * More targets of the NLB target group (direct NLB backends: IP or instance targets).
   * @default - only `target`
   */
  readonly targets?: elbv2.INetworkLoadBalancerTarget[];
  /**
   * Address ranges the NLB may reach on the port, for targets that have no security group known here.
   * @default - none
   */
  readonly peers?: ec2.IPeer[];
  /**
   * The target group's health check.
   * @default - HTTP GET / on the traffic port (what an ALB target answers)
   */
  readonly healthCheck?: elbv2.HealthCheck;
  /**
   * An NLB that already fronts the service: the provider then creates no NLB, target group or
   * listener, and exposes this NLB as it is.
   * @default - the provider creates the NLB
   */
  readonly networkLoadBalancer?: elbv2.INetworkLoadBalancer;
  /**
   * The NLB target of the plain-HTTP listener, when `plainHttpPort` was asked for.
   * @default - none
   */
  readonly plainHttpTarget?: elbv2.INetworkLoadBalancerTarget;
}

/** Options of the built-in fixed-response backend. */
export interface FixedResponseBackendOptions {
  /**
   * The body the ALB answers every request with (status 200, text/plain).
   * @default 'Hello from ALB!'
   */
  readonly body?: string;
}

/**
 * What the provider's NLB forwards to. Choose with the static methods.
 */
export abstract class ProviderBackend {
  /**
   * A new internal ALB that answers every request with 200 and a fixed body: the demo backend, and a
   * stand-in until the real service is ready.
   */
  public static fixedResponse(options: FixedResponseBackendOptions = {}): ProviderBackend {
    return new FixedResponseBackend(options.body ?? DEFAULT_RESPONSE_BODY);
  }

  /**
   * An existing ALB listener (in the provider's VPC). The NLB forwards TCP to the listener's port, so the
   * provider's port is the listener's port.
   */
  public static applicationListener(listener: elbv2.ApplicationListener): ProviderBackend {
    return new ListenerBackend(listener);
  }

  /**
   * NLB targets directly, without an ALB: IP targets (`new IpTarget('10.0.1.20')`), instances
   * (`new InstanceTarget(instance)`) or anything else an NLB target group takes, for TCP services.
   * The NLB forwards TCP on the provider's port and checks the targets' health with TCP.
   */
  public static networkTargets(
    targets: elbv2.INetworkLoadBalancerTarget[],
    options: NetworkTargetsBackendOptions = {},
  ): ProviderBackend {
    return new NetworkTargetsBackend(targets, options);
  }

  /**
   * An NLB of this app that already fronts the service (for example the `loadBalancer` of an ECS
   * `NetworkLoadBalancedFargateService`): the endpoint service is put in front of it, and the provider
   * creates no load balancer of its own. Its listeners, targets, security groups, subnets and access
   * logs stay yours.
   */
  public static existingNetworkLoadBalancer(
    loadBalancer: elbv2.INetworkLoadBalancer,
    options: ExistingNetworkLoadBalancerOptions,
  ): ProviderBackend {
    return new ExistingNlbBackend(loadBalancer, options.port);
  }

  /** The VPC the backend lives in, when it already exists (the provider then uses it by default). */
  public abstract readonly vpc?: ec2.IVpc;

  /**
   * Whether the backend brings its own NLB (the provider then creates none).
   * @internal
   */
  public readonly _bringsNlb: boolean = false;

  /**
   * Whether the backend is an ALB that the provider creates (and so may log its access).
   * @internal
   */
  public readonly _createsAlb: boolean = false;

  /**
   * What is wrong with the provider's props for this backend, found before anything is created (the
   * provider reports these with its own problems, in one pass).
   * @internal
   */
  public _problems(_props: BackendCheckProps): Problem[] {
    return [];
  }

  /** Creates what the backend needs in `scope` and says how the NLB reaches it. */
  public abstract bind(scope: Construct, options: BackendBindOptions): BackendConfig;
}

/** What the provider asks a backend to check before binding it. @internal */
export interface BackendCheckProps {
  /** The provider's `port`, when given. */
  readonly port?: number;
  /** Whether the provider has `tls`. */
  readonly tls: boolean;
  /** Whether the provider has `accessLogBucket`. */
  readonly accessLogs: boolean;
  /** Whether the provider accepts IPv6 (a dual-stack NLB). */
  readonly dualStack: boolean;
  /** The provider's `vpc`, when given. */
  readonly vpc?: ec2.IVpc;
}

/** The refusal of `accessLogBucket` for a backend whose load balancer is the user's. */
const NOT_OUR_ALB =
  'accessLogBucket: only the ALB that the provider creates (the default backend) logs to it, and this backend has none. Turn on access logs on your own load balancer and leave accessLogBucket unset.';

/** The provider's `port` against the port a backend dictates. */
function portProblem(requested: number | undefined, backendPort: number): Problem {
  if (requested === undefined || Token.isUnresolved(backendPort) || Token.isUnresolved(requested) || requested === backendPort) return undefined;
  return (
    `port: ${requested} differs from the backend listener's port ${backendPort}. ` +
    'The NLB forwards to the ALB listener on the same port: leave port unset or set it to the listener port.'
  );
}

/** Options of {@link ProviderBackend.networkTargets}. */
export interface NetworkTargetsBackendOptions {
  /**
   * What the targets are, network-wise (their security groups): each admits the NLB on the port, and the
   * NLB may reach each on the port.
   * @default - the NLB may reach the VPC's IPv4 CIDR block on the port; the targets' own security
   * groups must admit the NLB (its security group, `provider.loadBalancer.connections`)
   */
  readonly connections?: ec2.IConnectable[];

  /**
   * The target group's health check.
   * @default - TCP on the traffic port
   */
  readonly healthCheck?: elbv2.HealthCheck;
}

/** Options of {@link ProviderBackend.existingNetworkLoadBalancer}. */
export interface ExistingNetworkLoadBalancerOptions {
  /** The port of the NLB listener that consumers connect to. */
  readonly port: number;
}

class FixedResponseBackend extends ProviderBackend {
  public readonly vpc = undefined;
  public readonly _createsAlb = true;

  constructor(private readonly body: string) {
    super();
  }

  public bind(scope: Construct, options: BackendBindOptions): BackendConfig {
    const securityGroup = new ec2.SecurityGroup(scope, 'AlbSecurityGroup', {
      vpc: options.vpc,
      description: 'cdk-privatelink ALB: ingress only from the NLB on the service port, no egress',
      allowAllOutbound: false,
    });
    const alb = new elbv2.ApplicationLoadBalancer(scope, 'Alb', {
      vpc: options.vpc,
      vpcSubnets: options.vpcSubnets,
      internetFacing: false,
      securityGroup,
      dropInvalidHeaderFields: true,
    });
    const answer = () =>
      elbv2.ListenerAction.fixedResponse(200, {
        contentType: 'text/plain',
        messageBody: this.body,
      });
    const tls = options.certificate !== undefined;
    const listener = alb.addListener('AlbListener', {
      port: options.port,
      protocol: tls ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: answer(),
      ...(tls
        ? {
            certificates: [elbv2.ListenerCertificate.fromCertificateManager(options.certificate!)],
            sslPolicy: options.sslPolicy ?? DEFAULT_SSL_POLICY,
          }
        : {}),
    });
    const plainListener =
      tls && options.plainHttpPort !== undefined
        ? alb.addListener('AlbPlainHttpListener', {
            port: options.plainHttpPort,
            protocol: elbv2.ApplicationProtocol.HTTP,
            open: false,
            defaultAction: answer(),
          })
        : undefined;
    return {
      target: new targets.AlbListenerTarget(listener),
      targetType: elbv2.TargetType.ALB,
      connections: listener,
      applicationLoadBalancer: alb,
      healthCheck: albHealthCheck(tls ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP),
      plainHttpTarget: plainListener && new targets.AlbListenerTarget(plainListener),
    };
  }
}

class ListenerBackend extends ProviderBackend {
  public readonly vpc?: ec2.IVpc;

  constructor(private readonly listener: elbv2.ApplicationListener) {
    super();
    this.vpc = listener.loadBalancer.vpc;
  }

  public _problems(props: BackendCheckProps): Problem[] {
    return [
      props.tls
        ? `tls: the backend is an existing ALB listener (port ${this.listener.port}), which this construct does not ` +
          'change. Put the certificate on that listener (protocol HTTPS) and remove tls: the NLB passes TCP through to it.'
        : undefined,
      portProblem(props.port, this.listener.port),
      props.accessLogs ? NOT_OUR_ALB : undefined,
    ];
  }

  public bind(): BackendConfig {
    return {
      target: new targets.AlbListenerTarget(this.listener),
      targetType: elbv2.TargetType.ALB,
      connections: this.listener,
      applicationLoadBalancer: this.listener.loadBalancer,
      port: this.listener.port,
      healthCheck: albHealthCheck(this.listener.protocol),
    };
  }
}

class NetworkTargetsBackend extends ProviderBackend {
  public readonly vpc = undefined;

  constructor(
    private readonly targets: elbv2.INetworkLoadBalancerTarget[],
    private readonly options: NetworkTargetsBackendOptions,
  ) {
    super();
  }

  public _problems(props: BackendCheckProps): Problem[] {
    return [
      this.targets.length === 0
        ? 'ProviderBackend.networkTargets(): no target given. Pass at least one, e.g. new IpTarget("10.0.1.20") or new InstanceTarget(instance).'
        : undefined,
      (this.options.connections ?? []).length === 0 && props.vpc !== undefined && vpcCidrOf(props.vpc) === undefined
        ? "ProviderBackend.networkTargets(): the VPC was imported without its CIDR block, so the NLB's egress to the targets cannot default to it. " +
          "Pass connections (the targets' security groups) in the options, or import the VPC with vpcCidrBlock."
        : undefined,
      props.accessLogs ? NOT_OUR_ALB : undefined,
    ];
  }

  public bind(_scope: Construct, options: BackendBindOptions): BackendConfig {
    const connections = this.options.connections ?? [];
    if (connections.length > 0) {
      return {
        targets: this.targets,
        connections: new ec2.Connections({ securityGroups: connections.flatMap((c) => c.connections.securityGroups) }),
        healthCheck: this.healthCheck(),
      };
    }
    return { targets: this.targets, peers: [ec2.Peer.ipv4(vpcCidrOf(options.vpc)!)], healthCheck: this.healthCheck() };
  }

  private healthCheck(): elbv2.HealthCheck {
    return this.options.healthCheck ?? { protocol: elbv2.Protocol.TCP, port: 'traffic-port' };
  }
}

class ExistingNlbBackend extends ProviderBackend {
  public readonly _bringsNlb = true;

  constructor(
    private readonly loadBalancer: elbv2.INetworkLoadBalancer,
    private readonly port: number,
  ) {
    super();
  }

  public get vpc(): ec2.IVpc | undefined {
    return this.loadBalancer.vpc;
  }

  public _problems(props: BackendCheckProps): Problem[] {
    const badPort = Token.isUnresolved(this.port) ? undefined : checkPort('ProviderBackend.existingNetworkLoadBalancer() port', this.port);
    return [
      badPort,
      badPort ? undefined : portProblem(props.port, this.port),
      props.accessLogs
        ? 'accessLogBucket: the backend is an existing NLB, whose access logs are yours to set: call logAccessLogs() on it, and leave accessLogBucket unset.'
        : undefined,
      props.dualStack && this.loadBalancer.ipAddressType !== elbv2.IpAddressType.DUAL_STACK
        ? 'supportedIpAddressTypes: IPv6 needs a dual-stack NLB, and the existing NLB of the backend is not one. Create it with ipAddressType: elbv2.IpAddressType.DUAL_STACK, or leave IPV6 out.'
        : undefined,
    ];
  }

  public bind(): BackendConfig {
    return { networkLoadBalancer: this.loadBalancer, port: this.port };
  }
}

/** The VPC's IPv4 CIDR block, or undefined for a VPC imported without it (which throws when asked). */
function vpcCidrOf(vpc: ec2.IVpc): string | undefined {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return undefined;
  }
}

/** The NLB's health check of an ALB listener: GET / in the listener's protocol. */
function albHealthCheck(protocol: elbv2.ApplicationProtocol): elbv2.HealthCheck {
  return {
    protocol: protocol === elbv2.ApplicationProtocol.HTTPS ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP,
    path: '/',
    port: 'traffic-port',
  };
}
