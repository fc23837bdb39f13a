import { Aws, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { throwIfProblems } from '../errors';
import { ServiceProtocol, speaksTls, tlsProtocolProblem } from './protocol';
import {
  checkAvailabilityZoneId,
  checkDomainName,
  checkPort,
  checkRegion,
  checkServiceName,
  regionOfServiceName,
} from '../validate';

/**
 * What a consumer needs to know of a VPC endpoint service. `PrivateLinkProvider` implements it (both
 * sides in one CDK app); `PrivateLinkService.fromServiceName()` describes a service of another app or
 * account.
 */
export interface IPrivateLinkService {
  /** The endpoint service name: `com.amazonaws.vpce.<region>.vpce-svc-…`. */
  readonly serviceName: string;
  /** The service port. */
  readonly port: number;
  /** Whether the service speaks TLS on its port (HTTPS or TLS). */
  readonly tlsEnabled: boolean;
  /**
   * What the service speaks on its port.
   * @default - unknown: the connectivity check chooses by port (HTTPS on 443, HTTP on 80, TCP otherwise)
   */
  readonly protocol?: ServiceProtocol;
  /**
   * The service's private DNS name, when it has one (consumers that enable private DNS call it by it).
   * @default - no private DNS name known
   */
  readonly privateDnsName?: string;
  /** The region the service lives in (a token when its stack is environment-agnostic). */
  readonly region: string;
  /**
   * The AZ IDs (`use1-az1`) the service's NLB serves.
   * @default - unknown
   */
  readonly availabilityZoneIds?: string[];
  /** The IP address types the service accepts from endpoints. */
  readonly supportedIpAddressTypes: ec2.IpAddressType[];
  /**
   * Other regions whose endpoints the service accepts (cross-region PrivateLink), besides its own.
   * @default - unknown: not checked
   */
  readonly allowedRegions?: string[];

  /**
   * Whether an endpoint owned by this 12-digit account may connect. `false` only when the service is
   * known to refuse it; `true` when it allows it or when that is unknown (a service of another app).
   */
  allowsAccount(accountId: string): boolean;
}

/** What is known of a service of another app or account, for {@link PrivateLinkService.fromServiceName}. */
export interface PrivateLinkServiceOptions {
  /**
   * The service port.
   * @default - 443 with `tls`, otherwise 80
   */
  readonly port?: number;
  /**
   * Whether the service speaks TLS on its port.
   * @default - true when `protocol` is HTTPS or TLS, otherwise false
   */
  readonly tls?: boolean;
  /**
   * What the service speaks on its port.
   * @default - unknown: the connectivity check chooses by port (with `tls`: HTTPS on 443, TLS elsewhere;
   * without: HTTPS on 443, HTTP on 80, TCP elsewhere)
   */
  readonly protocol?: ServiceProtocol;
  /**
   * The service's private DNS name (the provider stack output PrivateDnsName).
   * @default - none known
   */
  readonly privateDnsName?: string;
  /**
   * The AZ IDs the service's NLB serves (the provider stack output AvailabilityZoneIds).
   * @default - unknown
   */
  readonly availabilityZoneIds?: string[];
  /**
   * The IP address types the service accepts.
   * @default [ec2.IpAddressType.IPV4]
   */
  readonly supportedIpAddressTypes?: ec2.IpAddressType[];
  /**
   * Other regions the service accepts endpoints from (its `allowedRegions`).
   * @default - unknown: not checked
   */
  readonly allowedRegions?: string[];
}

/** Makes an {@link IPrivateLinkService} of a service that this app does not build. */
export class PrivateLinkService {
  /**
   * A VPC endpoint service of another app or account, known by its name (the provider stack output
   * ServiceName) and what its team tells you. Checked at once: a bad value throws a
   * `PrivateLinkConfigError` naming the option, the value and the fix.
   */
  public static fromServiceName(serviceName: string, options: PrivateLinkServiceOptions = {}): IPrivateLinkService {
    const where = 'PrivateLinkService.fromServiceName()';
    const known = (v: unknown) => v !== undefined && !Token.isUnresolved(v);
    const protocol = options.protocol;
    const tlsEnabled = options.tls ?? speaksTls(protocol);
    const supportedIpAddressTypes = options.supportedIpAddressTypes ?? [ec2.IpAddressType.IPV4];
    const zoneIds = options.availabilityZoneIds;
    throwIfProblems(
      [
        Token.isUnresolved(serviceName) ? undefined : checkServiceName('serviceName', serviceName),
        known(options.port) ? checkPort('port', options.port!) : undefined,
        tlsProtocolProblem(options.tls, options.protocol),
        options.port === undefined && (protocol === ServiceProtocol.TCP || protocol === ServiceProtocol.TLS)
          ? `port: missing for protocol ${protocol.toUpperCase()}, which has no usual port. Give the port the service listens on, e.g. port: 5432.`
          : undefined,
        known(options.privateDnsName) ? checkDomainName('privateDnsName', options.privateDnsName!) : undefined,
        ...(zoneIds && !Token.isUnresolved(zoneIds)
          ? zoneIds.map((z, i) => (Token.isUnresolved(z) ? undefined : checkAvailabilityZoneId(`availabilityZoneIds[${i}]`, z)))
          : []),
        zoneIds && !Token.isUnresolved(zoneIds) && zoneIds.length === 0
          ? 'availabilityZoneIds: the list is empty. Give the AZ IDs the service serves (e.g. ["use1-az1", "use1-az2"]), or leave it unset.'
          : undefined,
        supportedIpAddressTypes.length === 0 || new Set(supportedIpAddressTypes).size !== supportedIpAddressTypes.length
          ? `supportedIpAddressTypes: ${JSON.stringify(supportedIpAddressTypes)} must name each IP address type once, and at least one. Use [IPV4] (the default), [IPV4, IPV6] or [IPV6].`
          : undefined,
        ...(options.allowedRegions ?? []).map((r, i) => (Token.isUnresolved(r) ? undefined : checkRegion(`allowedRegions[${i}]`, r))),
      ],
      where,
    );
    const region = Token.isUnresolved(serviceName) ? Aws.REGION : regionOfServiceName(serviceName)!;
    return {
      serviceName,
      port: options.port ?? (tlsEnabled ? 443 : 80),
      tlsEnabled,
      protocol,
      privateDnsName: options.privateDnsName,
      region,
      availabilityZoneIds: zoneIds,
      supportedIpAddressTypes,
      allowedRegions: options.allowedRegions && [...new Set([region, ...options.allowedRegions])],
      allowsAccount: () => true,
    };
  }

  private constructor() {}
}
