/** What kind of resource a {@link ResourceTarget} names. */
export enum ResourceTargetType {
  /** An IP address in the resource gateway's VPC (resource configuration of type SINGLE, IpResource). */
  IP_ADDRESS = 'ip-address',
  /** A DNS name that the gateway's VPC resolves (type SINGLE, DnsResource). */
  DNS_NAME = 'dns-name',
  /** An AWS resource by its ARN: an Amazon RDS DB instance or cluster (type ARN, ArnResource). */
  ARN = 'arn',
}

/**
 * The resource that a {@link PrivateLinkResource} shares: an IP address, a DNS name, or the ARN of an
 * Amazon RDS database. Values are checked when the `PrivateLinkResource` is created (naming the prop).
 */
export class ResourceTarget {
  /**
   * An IPv4 or IPv6 address in the resource gateway's VPC, e.g. `10.0.1.20` (an instance, a database's
   * fixed address, an on-premises address reached through the VPC).
   */
  public static ipAddress(address: string): ResourceTarget {
    return new ResourceTarget(ResourceTargetType.IP_ADDRESS, address);
  }

  /**
   * A DNS name, e.g. `db.internal.example.com` or an internal load balancer's DNS name. The gateway
   * resolves it and connects to the addresses it resolves to.
   */
  public static dnsName(name: string): ResourceTarget {
    return new ResourceTarget(ResourceTargetType.DNS_NAME, name);
  }

  /**
   * An AWS resource by its ARN: an Amazon RDS DB instance (`arn:aws:rds:<region>:<account>:db:<name>`)
   * or DB cluster (`…:cluster:<name>`). AWS follows the database's address when it changes.
   */
  public static arn(arn: string): ResourceTarget {
    return new ResourceTarget(ResourceTargetType.ARN, arn);
  }

  /**
   * @param targetType what kind of resource `value` names
   * @param value the IP address, DNS name or ARN
   */
  private constructor(
    public readonly targetType: ResourceTargetType,
    public readonly value: string,
  ) {}
}

/** A TCP port range of a shared resource. */
export interface ResourcePortRange {
  /** The first port of the range, 1-65535. */
  readonly fromPort: number;
  /**
   * The last port of the range, `fromPort`-65535.
   * @default - `fromPort`: one port
   */
  readonly toPort?: number;
}

/** The IP address type of a resource gateway's network interfaces. */
export enum ResourceGatewayIpAddressType {
  /** IPv4 addresses only. */
  IPV4 = 'IPV4',
  /** IPv6 addresses only (the subnets must have IPv6 CIDR blocks). */
  IPV6 = 'IPV6',
  /** IPv4 and IPv6 (the subnets must have IPv6 CIDR blocks). */
  DUALSTACK = 'DUALSTACK',
}
