import { Annotations, Aws, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BackendConfig, ProviderBackend } from './backend';
import { PrivateDnsName, PrivateDnsOptions } from './private-dns';
import { TlsOptions } from './tls';
import { PLAIN_HTTP_PORT } from './tls-defaults';
import { PrivateLinkConfigError, Problem, throwIfProblems } from '../errors';
import { createIsolatedVpc } from '../shared/vpc';
import { checkCertificateArn, checkPort, parsePrincipal, regionOfCertificateArn } from '../validate';

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
   * @default - the port of the backend's listener when it has one, otherwise 443 with `tls`, else 80
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
   * A bucket for the load balancers' access logs (the NLB's, and the built-in ALB's). The stack needs a
   * region to enable them. The bucket policy must let the ELB log delivery service write to it.
   * @default - no access logs
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in `accessLogBucket`.
   * @default 'privatelink'
   */
  readonly accessLogPrefix?: string;

  /**
   * HTTPS: an HTTPS listener with this certificate on the built-in ALB, on `port` (443 by default). The NLB
   * passes TCP through; the target group's health check uses HTTPS. No plain-HTTP listener unless
   * `allowPlainHttp`. (With an existing listener as the backend, put the certificate on that listener.)
   * @default - plain HTTP
   */
  readonly tls?: TlsOptions;

  /**
   * The service's private DNS name: set on the service, verified (automatically with a public hosted
   * zone), so that consumers who enable private DNS call the service by this name.
   * @default - no private DNS name
   */
  readonly privateDnsName?: PrivateDnsOptions;
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
  /** The service's private DNS name, when it has one. */
  public readonly privateDnsName?: string;
  /** What sets and verifies the private DNS name, when there is one. */
  public readonly privateDns?: PrivateDnsName;
  /** Whether the service speaks HTTPS (TLS at the ALB). */
  public readonly tlsEnabled: boolean;

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
    throwIfProblems([
      props.port !== undefined && !Token.isUnresolved(props.port) ? checkPort('port', props.port) : undefined,
      ...principalProblems,
      ...this.tlsProblems(props),
    ]);

    this.vpc = props.vpc ?? createIsolatedVpc(this, 'Vpc');
    const vpcSubnets = props.vpcSubnets ?? {};
    const requestedPort = props.port;
    const backendPort = requestedPort ?? (props.tls ? 443 : 80);

    const backend: BackendConfig = (props.backend ?? ProviderBackend.fixedResponse()).bind(this, {
      vpc: this.vpc,
      vpcSubnets,
      port: backendPort,
      certificate: props.tls?.certificate,
      sslPolicy: props.tls?.sslPolicy,
      plainHttpPort: props.tls?.allowPlainHttp ? PLAIN_HTTP_PORT : undefined,
    });
    this.port = backend.port === undefined ? backendPort : this.resolvePort(requestedPort, backend.port);
    this.applicationLoadBalancer = backend.applicationLoadBalancer;
    this.tlsEnabled = backend.protocol === elbv2.ApplicationProtocol.HTTPS;

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
        protocol: this.tlsEnabled ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP,
        path: '/',
        port: 'traffic-port',
      },
    });
    this.loadBalancer.addListener('Listener', {
      port: this.port,
      protocol: elbv2.Protocol.TCP,
      defaultTargetGroups: [targetGroup],
    });
    if (backend.plainHttpTarget) this.addPlainHttp(backend);

    this.configureAccessLogs(props.accessLogBucket, props.accessLogPrefix ?? 'privatelink');

    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.loadBalancer],
      acceptanceRequired: this.acceptanceRequired,
    });
    this.serviceId = this.endpointService.vpcEndpointServiceId;
    this.serviceName = this.endpointService.vpcEndpointServiceName;

    if (props.privateDnsName) {
      this.privateDns = new PrivateDnsName(this, 'PrivateDnsName', {
        ...props.privateDnsName,
        endpointService: this.endpointService,
      });
      this.privateDnsName = this.privateDns.domainName;
    }

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

  /** The plain-HTTP path next to HTTPS (`tls.allowPlainHttp`): NLB TCP 80 → ALB HTTP 80. */
  private addPlainHttp(backend: BackendConfig): void {
    Annotations.of(this).addWarningV2(
      'cdk-privatelink:plainHttp',
      `tls.allowPlainHttp: the service also answers plain HTTP on port ${PLAIN_HTTP_PORT}, unencrypted. Remove it once every client uses HTTPS.`,
    );
    this.loadBalancer.connections.allowTo(backend.connections, ec2.Port.tcp(PLAIN_HTTP_PORT), 'NLB to backend (plain HTTP)');
    const targetGroup = new elbv2.NetworkTargetGroup(this, 'PlainHttpTargetGroup', {
      vpc: this.vpc,
      port: PLAIN_HTTP_PORT,
      protocol: elbv2.Protocol.TCP,
      targetType: backend.targetType,
      targets: [backend.plainHttpTarget!],
      healthCheck: { protocol: elbv2.Protocol.HTTP, path: '/', port: 'traffic-port' },
    });
    this.loadBalancer.addListener('PlainHttpListener', {
      port: PLAIN_HTTP_PORT,
      protocol: elbv2.Protocol.TCP,
      defaultTargetGroups: [targetGroup],
    });
  }

  private tlsProblems(props: PrivateLinkProviderProps): Problem[] {
    const tls = props.tls;
    if (!tls) return [];
    const arn = tls.certificate.certificateArn;
    const region = Stack.of(this).region;
    const arnProblem = Token.isUnresolved(arn) ? undefined : checkCertificateArn('tls.certificate', arn);
    const certRegion = arnProblem || Token.isUnresolved(arn) ? undefined : regionOfCertificateArn(arn);
    return [
      arnProblem,
      certRegion && !Token.isUnresolved(region) && certRegion !== region
        ? `tls.certificate: the certificate is in ${certRegion} but the stack is in ${region}. An ALB uses ACM ` +
          `certificates of its own region: request or import the certificate in ${region}.`
        : undefined,
      tls.allowPlainHttp && props.port === PLAIN_HTTP_PORT
        ? `port: ${PLAIN_HTTP_PORT} is the plain-HTTP port that tls.allowPlainHttp adds. Use another port for ` +
          'HTTPS (443 by default), or remove allowPlainHttp.'
        : undefined,
    ];
  }

  private configureAccessLogs(bucket: s3.IBucket | undefined, prefix: string): void {
    const balancers: elbv2.BaseLoadBalancer[] = [this.loadBalancer];
    if (this.applicationLoadBalancer instanceof elbv2.ApplicationLoadBalancer) {
      balancers.push(this.applicationLoadBalancer);
    }
    for (const lb of balancers) {
      if (bucket) {
        lb.logAccessLogs(bucket, prefix);
      } else {
        Validations.of(lb).acknowledge({
          id: 'AwsSolutions-ELB2',
          reason: 'Access logs are opt-in (accessLogBucket): they need an S3 bucket that the ELB log delivery service can write to, which the user owns.',
        });
      }
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
