/**
 * What `privatelink doctor` knows of the AWS resources on each side, as plain data: the gatherer
 * (gather.ts) fills it from the APIs, the diagnosis (consumer.ts, provider.ts) turns it into checks.
 * Every read that can fail on its own is a `Read<T>`: its value, or why it could not be read
 * (AccessDenied, an API the endpoint does not implement), so that the check it feeds is skipped with
 * that reason instead of passing or crashing. No SDK import: tests describe states directly.
 */

/** A value read from AWS, or the reason it could not be read. */
export type Read<T> = { readonly value: T } | { readonly unavailable: string };

export function read<T>(value: T): Read<T> {
  return { value };
}

export function unavailable<T>(reason: string): Read<T> {
  return { unavailable: reason };
}

export type Status = 'pass' | 'fail' | 'warn' | 'skip';
export type Side = 'provider' | 'consumer';

/** One line of the diagnosis. `fix` says what to do (and whom to ask) when the status is not pass. */
export interface Check {
  readonly id: string;
  readonly side: Side;
  readonly status: Status;
  readonly message: string;
  readonly fix?: string;
}

/** One security group rule direction entry, flattened: protocol `-1` is every protocol. */
export interface SgRule {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** CIDRs, security group IDs and prefix list IDs the rule admits. */
  readonly sources: string[];
}

export interface SecurityGroup {
  readonly id: string;
  readonly vpcId?: string;
  readonly ingress: SgRule[];
}

/** A network ACL entry. Protocol `-1` is all, `6` is TCP. */
export interface NaclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly protocol: string;
  readonly allow: boolean;
  readonly cidr: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

export interface NetworkAcl {
  readonly id: string;
  readonly subnetIds: string[];
  readonly entries: NaclEntry[];
}

export interface Subnet {
  readonly id: string;
  readonly zoneName?: string;
  readonly zoneId?: string;
  readonly cidr?: string;
}

export interface Endpoint {
  readonly id: string;
  /** Normalized: `available`, `pendingAcceptance`, `pending`, `rejected`, `failed`, `deleting`, ... */
  readonly state: string;
  readonly type?: string;
  readonly serviceName: string;
  readonly vpcId?: string;
  readonly ownerId?: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly privateDnsEnabled: boolean;
  /** The service's region, for a cross-region endpoint. */
  readonly serviceRegion?: string;
  readonly lastError?: string;
}

/** The service as the consumer's account sees it (DescribeVpcEndpointServices). */
export interface VisibleService {
  readonly name: string;
  readonly owner?: string;
  readonly zoneNames: string[];
  readonly zoneIds?: string[];
  readonly privateDnsName?: string;
  readonly privateDnsState?: string;
}

export interface ConsumerState {
  readonly region: string;
  readonly endpointId: string;
  /** undefined: no such endpoint. */
  readonly endpoint: Read<Endpoint | undefined>;
  /** undefined: the service is not visible to this account (not an allowed principal). */
  readonly service?: Read<VisibleService | undefined>;
  readonly subnets?: Read<Subnet[]>;
  readonly securityGroups?: Read<SecurityGroup[]>;
  readonly networkAcls?: Read<NetworkAcl[]>;
  readonly vpcDns?: Read<{ readonly support: boolean; readonly hostnames: boolean }>;
}

export interface Listener {
  readonly port: number;
  readonly protocol?: string;
  readonly targetGroupArns: string[];
}

export interface TargetHealth {
  readonly id: string;
  readonly port?: number;
  /** healthy, unhealthy, initial, unused, draining, unavailable */
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
  /** The AZs the target serves (an ALB target: the ALB's AZs), when known. */
  readonly zoneNames?: string[];
}

export interface TargetGroup {
  readonly arn: string;
  readonly name?: string;
  readonly port?: number;
  readonly protocol?: string;
  /** instance, ip, alb, lambda */
  readonly targetType?: string;
  readonly health: Read<TargetHealth[]>;
}

/** An ALB registered as the target of an `alb` target group. */
export interface AlbTarget {
  readonly arn: string;
  /** undefined: the ALB does not exist. */
  readonly exists: boolean;
  readonly listeners: Read<Listener[]>;
  readonly securityGroups: Read<SecurityGroup[]>;
}

export interface LoadBalancer {
  readonly arn: string;
  readonly name?: string;
  readonly type?: string;
  /** active, provisioning, active_impaired, failed */
  readonly state?: string;
  readonly vpcId?: string;
  readonly zones: Array<{ readonly name?: string; readonly subnetId?: string }>;
  readonly securityGroupIds: string[];
  /** `on`, `off`, or undefined when the API does not say (it then defaults to on). */
  readonly enforcePrivateLinkInbound?: string;
  readonly crossZone: Read<boolean>;
  readonly listeners: Read<Listener[]>;
  readonly targetGroups: Read<TargetGroup[]>;
  readonly securityGroups: Read<SecurityGroup[]>;
  /** The CIDRs of the NLB's subnets (where its traffic to the targets comes from). */
  readonly subnetCidrs: string[];
  /** By ALB ARN, for `alb` target groups. */
  readonly albTargets: Read<AlbTarget[]>;
}

export interface Connection {
  readonly endpointId: string;
  readonly owner: string;
  readonly state: string;
}

export interface PrivateDnsConfiguration {
  readonly name: string;
  /** pendingVerification, verified, failed */
  readonly state?: string;
  readonly txtName?: string;
  readonly txtValue?: string;
}

export interface ServiceConfiguration {
  readonly id: string;
  readonly name?: string;
  /** Pending, Available, Deleting, Deleted, Failed */
  readonly state?: string;
  readonly acceptanceRequired?: boolean;
  readonly zoneNames: string[];
  readonly zoneIds?: string[];
  readonly loadBalancerArns: string[];
  readonly privateDns?: PrivateDnsConfiguration;
}

export interface ProviderState {
  readonly region: string;
  readonly serviceId: string;
  /** undefined: no such service. */
  readonly service: Read<ServiceConfiguration | undefined>;
  readonly principals?: Read<string[]>;
  readonly connections?: Read<Connection[]>;
  /** The NLBs of the service that exist (those missing are the ARNs not found here). */
  readonly loadBalancers?: Read<LoadBalancer[]>;
}

/** The port the consumers connect to, and where the doctor took it from. */
export interface PortChoice {
  readonly port: number;
  readonly source: string;
}

export interface DoctorState {
  readonly consumer?: ConsumerState;
  readonly provider?: ProviderState;
  readonly port?: PortChoice;
}
