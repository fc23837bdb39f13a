import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { Construct } from 'constructs';
import { DEFAULT_SSL_POLICY } from './tls-defaults';
import { PrivateLinkConfigError } from '../errors';

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
  /** The NLB target group's target. */
  readonly target: elbv2.INetworkLoadBalancerTarget;
  /** The NLB target group's target type. */
  readonly targetType: elbv2.TargetType;
  /** What the NLB must be allowed to reach on the port (its security group is opened from the NLB). */
  readonly connections: ec2.IConnectable;
  /** The ALB behind the NLB, when there is one. */
  readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /** The port the backend listens on, when the backend decides it (an existing listener). */
  readonly port?: number;
  /**
   * The protocol of the backend's listener (the NLB health check uses it).
   * @default elbv2.ApplicationProtocol.HTTP
   */
  readonly protocol?: elbv2.ApplicationProtocol;
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

  /** Creates what the backend needs in `scope` and says how the NLB reaches it. */
  public abstract bind(scope: Construct, options: BackendBindOptions): BackendConfig;
}

class FixedResponseBackend extends ProviderBackend {
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
      protocol: tls ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      plainHttpTarget: plainListener && new targets.AlbListenerTarget(plainListener),
    };
  }
}

class ListenerBackend extends ProviderBackend {
  constructor(private readonly listener: elbv2.ApplicationListener) {
    super();
  }

  public bind(_scope: Construct, options: BackendBindOptions): BackendConfig {
    if (options.certificate !== undefined) {
      throw new PrivateLinkConfigError([
        `tls: the backend is an existing ALB listener (port ${this.listener.port}), which this construct does not ` +
          'change. Put the certificate on that listener (protocol HTTPS) and remove tls: the NLB passes TCP through to it.',
      ]);
    }
    return {
      target: new targets.AlbListenerTarget(this.listener),
      targetType: elbv2.TargetType.ALB,
      connections: this.listener,
      applicationLoadBalancer: this.listener.loadBalancer,
      port: this.listener.port,
      protocol: this.listener.protocol,
    };
  }
}
