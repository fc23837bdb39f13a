import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { Construct } from 'constructs';

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
  /** The protocol of the backend listener: the NLB health check speaks it. */
  readonly protocol: elbv2.ApplicationProtocol;
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

  /** The VPC the backend lives in, when it already exists (the provider then uses it by default). */
  public abstract readonly vpc?: ec2.IVpc;

  /** Creates what the backend needs in `scope` and says how the NLB reaches it. */
  public abstract bind(scope: Construct, options: BackendBindOptions): BackendConfig;
}

class FixedResponseBackend extends ProviderBackend {
  public readonly vpc = undefined;

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
    const listener = alb.addListener('AlbListener', {
      port: options.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(200, {
        contentType: 'text/plain',
        messageBody: this.body,
      }),
    });
    return {
      target: new targets.AlbListenerTarget(listener),
      targetType: elbv2.TargetType.ALB,
      connections: listener,
      applicationLoadBalancer: alb,
      protocol: elbv2.ApplicationProtocol.HTTP,
    };
  }
}

class ListenerBackend extends ProviderBackend {
  public readonly vpc?: ec2.IVpc;

  constructor(private readonly listener: elbv2.ApplicationListener) {
    super();
    this.vpc = listener.loadBalancer.vpc;
  }

  public bind(): BackendConfig {
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
