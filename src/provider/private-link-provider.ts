import { Annotations, Aws, Fn, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackendConfig, ProviderBackend } from './backend';
import { AllowedPrincipal, renderPrincipals } from './principals';
import { PrivateDnsName, PrivateDnsOptions } from './private-dns';
import { TlsOptions } from './tls';
import { PLAIN_HTTP_PORT } from './tls-defaults';
import { PrivateLinkConfigError, Problem, throwIfProblems } from '../errors';
import { availabilityZoneIdsOf, ipv6CapabilityOf } from '../shared/subnets';
import { AutoAcceptor } from '../lifecycle/auto-acceptor';
import { ConnectionNotificationOptions } from '../lifecycle/notifications';
import { addLifecycle, lifecycleProblems } from '../lifecycle/provider-lifecycle';
import { PrincipalSync } from '../lifecycle/principal-sync';
import { ConnectionTeardown } from '../lifecycle/teardown';
import { IPrivateLinkService } from '../service/private-link-service';
import { ServiceProtocol } from '../service/protocol';
import { createIsolatedVpc } from '../shared/vpc';
import { checkCertificateArn, checkPort, checkRegion, parsePrincipal, regionOfCertificateArn } from '../validate';

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

  /**
   * Other regions whose consumers may connect (cross-region PrivateLink), as region codes such as
   * `eu-west-1`. The service's own region is always served: when the stack's region is known at synth
   * it is added to the list; in an environment-agnostic stack the list is passed as given (AWS serves
   * the service's own region regardless). Consumers in other regions need `vpce:AllowMultiRegion`.
   * @default - the service's own region only
   */
  readonly allowedRegions?: string[];

  /**
   * The IP address types the service accepts from consumers' endpoints: `[IPV4]`, `[IPV4, IPV6]`
   * (dual-stack) or `[IPV6]`. With IPV6 the NLB is dual-stack, and a VPC created here gets IPv6 (an
   * Amazon-provided /56, a /64 per subnet, still no route out of the VPC). A given VPC's subnets must
   * have IPv6 CIDR blocks.
   * @default [ec2.IpAddressType.IPV4]
   */
  readonly supportedIpAddressTypes?: ec2.IpAddressType[];

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
  readonly privateDns?: PrivateDnsOptions;

  /**
   * Accounts whose endpoints are accepted automatically: a Lambda function, driven by the connection
   * notifications, accepts their pending connections and leaves every other request pending (logged).
   * Acceptance stays required for the service. 12-digit account IDs.
   * @default - none: the provider accepts or rejects each request (`privatelink accept`)
   */
  readonly autoAcceptAccounts?: string[];

  /**
   * Send the service's connection events (Connect, Accept, Reject, Delete) to an SNS topic: the given
   * one, or `{}` for a new topic encrypted with its own KMS key.
   * @default - no notifications (the auto-acceptor, when configured, still gets its own topic)
   */
  readonly notifications?: ConnectionNotificationOptions;

  /**
   * When the stack is deleted, reject every connection to the service first and wait (bounded) until
   * none is active, so the endpoint service and the NLB delete cleanly even while consumers are still
   * connected. Off by default: deleting a provider should not silently cut its consumers off.
   * @default false
   */
  readonly rejectConnectionsOnDelete?: boolean;

  /**
   * Keep the allowed principals equal to the root of every active account in these OUs (and the OUs
   * below them) plus `allowedPrincipals`: OU IDs (`ou-…`) or the root ID (`r-…`). A function (the
   * `PrincipalSync`) lists the accounts and adds and removes principals, on a schedule, on Organizations
   * account events and at deploys that change its inputs; it is then the only writer of the list (no
   * `AWS::EC2::VPCEndpointServicePermissions` resource). Endpoint service permissions have no OU
   * principal, hence the function.
   * @default - no OU: the allowed principals are exactly `allowedPrincipals` and `allowPrincipal()`
   */
  readonly allowedOrganizationalUnits?: string[];

  /**
   * A role in the management account that the principal sync assumes to read the organization (needs
   * `allowedOrganizationalUnits`). Its policy must allow `organizations:ListAccountsForParent` and
   * `organizations:ListChildren`, and its trust policy this account.
   * @default - the sync reads the organization itself: this account must be the management account, a
   * delegated administrator, or named in an Organizations delegation policy
   */
  readonly organizationsReadRole?: iam.IRole;
}

/**
 * The provider side of AWS PrivateLink: an internal NLB in front of a backend (by default an internal
 * ALB), exposed as a VPC endpoint service that only the allowed principals can connect to.
 *
 * Traffic path: consumer endpoint → PrivateLink → NLB (TCP `port`) → ALB listener (`port`).
 *
 * Implements `IPrivateLinkService`: pass it as the `service` of a `PrivateLinkConsumer` in the same app,
 * in any stack, region or account; a composition that cannot work is refused at synth.
 */
export class PrivateLinkProvider extends Construct implements IPrivateLinkService {
  /** The VPC of the service. */
  public readonly vpc: ec2.IVpc;
  /** The internal NLB behind the endpoint service (the one created here, or the existing one of the backend). */
  public readonly loadBalancer: elbv2.INetworkLoadBalancer;
  /** The ALB behind the NLB, when the backend is an ALB. */
  public readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /** The VPC endpoint service. */
  public readonly endpointService: ec2.VpcEndpointService;
  /**
   * The service name consumers use: `com.amazonaws.vpce.<region>.vpce-svc-…`, with this stack's region
   * written out when it is known (so a consumer in another region gets the right name).
   */
  public readonly serviceName: string;
  /** The region of the service: this stack's (a token when the stack is environment-agnostic). */
  public readonly region: string;
  /**
   * What the service speaks on its port: HTTP or HTTPS for an ALB backend, TCP for direct NLB targets;
   * undefined for an existing NLB (this construct does not know what is behind it).
   */
  public readonly protocol?: ServiceProtocol;
  /** The service ID: `vpce-svc-…`. */
  public readonly serviceId: string;
  /** The service port. */
  public readonly port: number;
  /** Whether connections need the provider's acceptance. */
  public readonly acceptanceRequired: boolean;
  /**
   * The AZ IDs (`use1-az1`, the same in every account) of the NLB's subnets, as CloudFormation
   * attributes, when the NLB is in subnets created in this app; undefined when they are imported (then
   * ask AWS: `aws ec2 describe-vpc-endpoint-services --service-names <name>` → AvailabilityZoneIds).
   */
  public readonly availabilityZoneIds?: string[];
  /** The IP address types the service accepts. */
  public readonly supportedIpAddressTypes: ec2.IpAddressType[];
  /**
   * The regions consumers may connect from, as written in the template (empty: the service's own only).
   * Always set; optional in type only, as in `IPrivateLinkService` (where undefined means unknown).
   */
  public readonly allowedRegions?: string[];
  /** The service's private DNS name, when it has one. */
  public readonly privateDnsName?: string;
  /** What sets and verifies the private DNS name, when there is one. */
  public readonly privateDnsVerification?: PrivateDnsName;
  /** Whether the service speaks HTTPS (TLS at the ALB). */
  public readonly tlsEnabled: boolean;
  /** The topic of the connection notifications, when there is one. */
  public readonly notificationTopic?: sns.ITopic;
  /** The function accepting the `autoAcceptAccounts`, when configured. */
  public readonly autoAcceptor?: AutoAcceptor;
  /** The custom resource rejecting connections on stack delete, when `rejectConnectionsOnDelete`. */
  public readonly connectionTeardown?: ConnectionTeardown;
  /** The function keeping the principals equal to the accounts of `allowedOrganizationalUnits`, when given. */
  public readonly principalSync?: PrincipalSync;

  private readonly allowAnyPrincipal: boolean;
  /** Each allowed principal once, by identity: its ARN (or a token), and its account when it is a root. */
  private readonly principals = new Map<string, AllowedPrincipal>();
  private permissions?: ec2.CfnVPCEndpointServicePermissions;

  constructor(scope: Construct, id: string, props: PrivateLinkProviderProps = {}) {
    super(scope, id);
    this.allowAnyPrincipal = props.allowAnyPrincipal ?? false;
    this.acceptanceRequired = props.acceptanceRequired ?? true;

    const principalProblems = (props.allowedPrincipals ?? []).map((p, i) =>
      this.principalProblem(`allowedPrincipals[${i}]`, p),
    );
    this.supportedIpAddressTypes = props.supportedIpAddressTypes ?? [ec2.IpAddressType.IPV4];
    const dualStack = this.supportedIpAddressTypes.includes(ec2.IpAddressType.IPV6);
    const backendChoice = props.backend ?? ProviderBackend.fixedResponse();
    throwIfProblems([
      props.port !== undefined && !Token.isUnresolved(props.port) ? checkPort('port', props.port) : undefined,
      ...principalProblems,
      ...(props.allowedRegions ?? []).map((r, i) =>
        Token.isUnresolved(r) ? undefined : checkRegion(`allowedRegions[${i}]`, r),
      ),
      supportedIpAddressTypesProblem(this.supportedIpAddressTypes),
      props.vpc && backendChoice.vpc && props.vpc !== backendChoice.vpc
        ? "vpc: the backend's load balancer is in another VPC. The NLB must be in the ALB's VPC: leave vpc unset (the ALB's VPC is used) or pass that VPC."
        : undefined,
      ...this.tlsProblems(props),
      ...lifecycleProblems(props),
      ...backendChoice._problems({
        port: props.port,
        tls: props.tls !== undefined,
        accessLogs: props.accessLogBucket !== undefined,
        dualStack,
        vpc: props.vpc,
      }),
      props.accessLogBucket && backendChoice._createsAlb && Token.isUnresolved(Stack.of(this).region)
        ? 'accessLogBucket: ELB access logging needs the stack\'s region to be known. Give the stack an env with a region, e.g. env: { region: "us-east-1" }.'
        : undefined,
      dualStack && props.vpc && !backendChoice._bringsNlb ? this.ipv6SubnetsProblem(props.vpc.selectSubnets(props.vpcSubnets ?? {}).subnets) : undefined,
      props.organizationsReadRole && props.allowedOrganizationalUnits === undefined
        ? 'organizationsReadRole: it is used only to read the accounts of allowedOrganizationalUnits, which is not set. Set allowedOrganizationalUnits, or remove organizationsReadRole.'
        : undefined,
    ], this);
    this.allowedRegions = this.resolveAllowedRegions(props.allowedRegions ?? []);

    // A backend that already exists brings its VPC; otherwise a new isolated one.
    this.vpc = props.vpc ?? backendChoice.vpc ?? createIsolatedVpc(this, 'Vpc', { dualStack });
    const vpcSubnets = props.vpcSubnets ?? {};
    const backendPort = props.port ?? (props.tls ? 443 : 80);

    const backend: BackendConfig = backendChoice.bind(this, {
      vpc: this.vpc,
      vpcSubnets,
      port: backendPort,
      certificate: props.tls?.certificate,
      sslPolicy: props.tls?.sslPolicy,
      plainHttpPort: props.tls?.allowPlainHttp ? PLAIN_HTTP_PORT : undefined,
    });
    this.port = backend.port ?? backendPort;
    this.applicationLoadBalancer = backend.applicationLoadBalancer;
    this.tlsEnabled = backend.healthCheck?.protocol === elbv2.Protocol.HTTPS;
    this.protocol = backend.applicationLoadBalancer
      ? this.tlsEnabled
        ? ServiceProtocol.HTTPS
        : ServiceProtocol.HTTP
      : backend.networkLoadBalancer
        ? undefined
        : ServiceProtocol.TCP;

    if (backend.networkLoadBalancer) {
      this.loadBalancer = backend.networkLoadBalancer;
    } else {
      this.loadBalancer = this.createNetworkLoadBalancer(backend, vpcSubnets, dualStack);
      if (backend.plainHttpTarget) this.addPlainHttp(backend);
      this.availabilityZoneIds = availabilityZoneIdsOf(this.vpc.selectSubnets(vpcSubnets).subnets);
      this.configureAccessLogs(props.accessLogBucket, props.accessLogPrefix ?? 'privatelink');
    }

    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.loadBalancer],
      acceptanceRequired: this.acceptanceRequired,
      ...(this.allowedRegions.length > 0 ? { allowedRegions: this.allowedRegions } : {}),
      ...(props.supportedIpAddressTypes !== undefined ? { supportedIpAddressTypes: this.supportedIpAddressTypes } : {}),
    });
    this.serviceId = this.endpointService.vpcEndpointServiceId;
    this.region = Stack.of(this).region;
    this.serviceName = serviceNameOf(this.region, this.serviceId) ?? this.endpointService.vpcEndpointServiceName;

    if (props.privateDns) {
      this.privateDnsVerification = new PrivateDnsName(this, 'PrivateDnsName', {
        ...props.privateDns,
        endpointService: this.endpointService,
      });
      this.privateDnsName = this.privateDnsVerification.domainName;
    }

    if (props.allowedOrganizationalUnits !== undefined) {
      this.principalSync = new PrincipalSync(this, 'PrincipalSync', {
        serviceId: this.serviceId,
        allowedOrganizationalUnits: props.allowedOrganizationalUnits,
        organizationsReadRole: props.organizationsReadRole,
      });
    }
    for (const principal of props.allowedPrincipals ?? []) {
      this.allowPrincipal(principal);
    }
    const lifecycle = addLifecycle(this, this.serviceId, props);
    this.notificationTopic = lifecycle.notificationTopic;
    this.autoAcceptor = lifecycle.autoAcceptor;
    this.connectionTeardown = lifecycle.connectionTeardown;
    // At synth, once every allowPrincipal() call is in: an auto-accepted account must be allowed to connect.
    const autoAccept = props.autoAcceptAccounts ?? [];
    this.node.addValidation({
      validate: () =>
        autoAccept
          .filter((a) => !Token.isUnresolved(a) && !this.allowsAccount(a))
          .map(
            (a) =>
              `autoAcceptAccounts: ${a} is not an allowed principal, so its endpoints can never request a connection. ` +
              `Add "${a}" to allowedPrincipals (or call allowPrincipal("${a}")), or remove it from autoAcceptAccounts.`,
          ),
    });
  }

  /**
   * Whether an endpoint owned by this account may connect: an allowed principal is the account's root,
   * one of its IAM principals, or `*`. `true` also while any allowed principal is a token, or with
   * `allowedOrganizationalUnits` (unknown at synth).
   */
  public allowsAccount(accountId: string): boolean {
    // With allowedOrganizationalUnits, the accounts of the OUs are known only at deploy.
    if (this.principalSync) return true;
    let unknown = false;
    for (const { arn, rootOf } of this.principals.values()) {
      if (rootOf !== undefined) {
        if (rootOf === accountId) return true;
      } else if (arn === '*' || (!Token.isUnresolved(arn) && arn.split(':')[4] === accountId)) {
        return true;
      } else {
        unknown ||= Token.isUnresolved(arn);
      }
    }
    return unknown;
  }

  /**
   * Allows a principal to connect: a 12-digit account ID or an IAM principal ARN (a token is taken
   * as an ARN). Adding the same principal twice is harmless; every principal lands in one
   * permissions resource.
   */
  public allowPrincipal(principal: string): void {
    let value: AllowedPrincipal = { arn: principal };
    let key = principal;
    if (!Token.isUnresolved(principal)) {
      const partition = Stack.of(this).partition;
      const parsed = parsePrincipal('allowPrincipal()', principal, this.allowAnyPrincipal, 'aws');
      if ('problem' in parsed) throw new PrivateLinkConfigError([parsed.problem], this.node.path);
      // An account ID stands for its root, in the stack's partition (known at synth or only at deploy).
      const rootOf = parsed.accountId !== undefined && parsed.arn !== principal.trim() ? parsed.accountId : undefined;
      value = rootOf !== undefined ? { arn: `arn:${partition}:iam::${rootOf}:root`, rootOf } : { arn: parsed.arn };
      // An account ID and its root ARN are the same principal: keep one.
      key = parsed.accountId !== undefined && parsed.arn.endsWith(':root') ? `account:${parsed.accountId}` : parsed.arn;
    }
    if (this.principals.has(key)) return;
    this.principals.set(key, value);
    // With OUs, the sync is the one writer of the list: it gets the principal instead of a resource.
    if (this.principalSync) return this.principalSync.addStaticPrincipal(value.rootOf ?? value.arn);
    this.permissions ??= new ec2.CfnVPCEndpointServicePermissions(this, 'Permissions', {
      serviceId: this.serviceId,
      allowedPrincipals: Token.asList(
        Lazy.any({ produce: () => renderPrincipals([...this.principals.values()], Stack.of(this).partition) }),
      ),
    });
  }

  /** Allows the root of an account, given as a token such as `Aws.ACCOUNT_ID` or a 12-digit ID. */
  public allowAccount(accountId: string): void {
    this.allowPrincipal(Token.isUnresolved(accountId) ? `arn:${Aws.PARTITION}:iam::${accountId}:root` : accountId);
  }

  /** The Availability Zone IDs the NLB serves, comma-separated, for a stack output (undefined when unknown). */
  public availabilityZoneIdsText(): string | undefined {
    return this.availabilityZoneIds ? Fn.join(',', this.availabilityZoneIds) : undefined;
  }

  private createNetworkLoadBalancer(
    backend: BackendConfig,
    vpcSubnets: ec2.SubnetSelection,
    dualStack: boolean,
  ): elbv2.NetworkLoadBalancer {
    // The NLB has a security group with no inbound rule. PrivateLink traffic is not subject to inbound
    // rules (enforce... = off): who may connect is decided by the service permissions and acceptance,
    // and nothing else in the VPC can reach the NLB. Its only egress is to the backend on the port.
    const nlbSecurityGroup = new ec2.SecurityGroup(this, 'NlbSecurityGroup', {
      vpc: this.vpc,
      description: 'cdk-privatelink NLB: no inbound rule (PrivateLink traffic is not filtered), egress to the backend port only',
      allowAllOutbound: false,
    });
    const nlb = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      vpc: this.vpc,
      vpcSubnets,
      internetFacing: false,
      crossZoneEnabled: true,
      securityGroups: [nlbSecurityGroup],
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
      ...(dualStack ? { ipAddressType: elbv2.IpAddressType.DUAL_STACK } : {}),
    });
    if (backend.connections) {
      nlb.connections.allowTo(backend.connections, ec2.Port.tcp(this.port), 'NLB to backend');
    }
    for (const peer of backend.peers ?? []) {
      nlbSecurityGroup.addEgressRule(peer, ec2.Port.tcp(this.port), 'NLB to the targets');
    }

    const targetGroup = new elbv2.NetworkTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      port: this.port,
      protocol: elbv2.Protocol.TCP,
      targetType: backend.targetType,
      targets: [...(backend.target ? [backend.target] : []), ...(backend.targets ?? [])],
      healthCheck: backend.healthCheck ?? { protocol: elbv2.Protocol.HTTP, path: '/', port: 'traffic-port' },
    });
    nlb.addListener('Listener', {
      port: this.port,
      protocol: elbv2.Protocol.TCP,
      defaultTargetGroups: [targetGroup],
    });
    return nlb;
  }

  /** The allowed regions with the service's own region first, when it is known; duplicates dropped. */
  private resolveAllowedRegions(given: string[]): string[] {
    if (given.length === 0) return [];
    const own = Stack.of(this).region;
    const regions = Token.isUnresolved(own) ? [] : [own];
    for (const region of given) if (!regions.includes(region)) regions.push(region);
    return regions;
  }

  /** The given VPC's NLB subnets against IPv6 (imported ones: a warning, unknowable at synth). */
  private ipv6SubnetsProblem(subnets: ec2.ISubnet[]): Problem {
    const capability = ipv6CapabilityOf(subnets);
    if (capability.state === 'unknown') {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:ipv6-unchecked',
        'supportedIpAddressTypes includes IPV6, but the subnets of the NLB are imported: whether they have IPv6 CIDR blocks cannot be checked at synth. The deploy fails if one has none.',
      );
    }
    return capability.state === 'no'
      ? `supportedIpAddressTypes: IPv6 needs a dual-stack NLB, whose subnets must have IPv6 CIDR blocks; these have none: ${capability.withoutIpv6.join(', ')}. ` +
          'Give the VPC IPv6 (ipProtocol: ec2.IpProtocol.DUAL_STACK), pick dual-stack subnets with vpcSubnets, or leave IPV6 out.'
      : undefined;
  }

  /** The plain-HTTP path next to HTTPS (`tls.allowPlainHttp`): NLB TCP 80 → ALB HTTP 80. */
  private addPlainHttp(backend: BackendConfig): void {
    Annotations.of(this).addWarningV2(
      'cdk-privatelink:plainHttp',
      `tls.allowPlainHttp: the service also answers plain HTTP on port ${PLAIN_HTTP_PORT}, unencrypted. Remove it once every client uses HTTPS.`,
    );
    this.loadBalancer.connections.allowTo(backend.connections!, ec2.Port.tcp(PLAIN_HTTP_PORT), 'NLB to backend (plain HTTP)');
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

  /** Access logs of the ALB this construct created (a user's own ALB is left alone). */
  private configureAccessLogs(bucket: s3.IBucket | undefined, prefix: string): void {
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason: 'NLB access logs are only written for TLS listeners; this NLB listens on TCP and passes TLS through to the ALB, whose access logs are available (accessLogBucket).',
    });
    const candidate = this.applicationLoadBalancer;
    const alb = candidate instanceof elbv2.ApplicationLoadBalancer && candidate.node.scope === this ? candidate : undefined;
    // A bucket with any other backend was refused with the props (ProviderBackend._problems).
    if (bucket && alb) {
      alb.logAccessLogs(bucket, prefix);
    } else if (alb) {
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
}

/** The service name with the region written out, when the region is known; undefined otherwise. */
function serviceNameOf(region: string, serviceId: string): string | undefined {
  if (Token.isUnresolved(region)) return undefined;
  const prefix = RegionInfo.get(region).vpcEndpointServiceNamePrefix ?? 'com.amazonaws.vpce';
  return Fn.join('.', [prefix, region, serviceId]);
}

function supportedIpAddressTypesProblem(types: ec2.IpAddressType[]): string | undefined {
  if (types.length > 0 && new Set(types).size === types.length) return undefined;
  return `supportedIpAddressTypes: ${JSON.stringify(types)} must name each IP address type once, and at least one. Use [IPV4] (the default), [IPV4, IPV6] for dual-stack, or [IPV6].`;
}
