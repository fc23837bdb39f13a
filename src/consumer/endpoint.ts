import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { ServiceProtocol } from '../service/protocol';

/**
 * An interface VPC endpoint (or resource endpoint) that a client — and the connectivity check — calls.
 * Implemented by `PrivateLinkConsumer`; `PrivateLinkConsumer.fromEndpointAttributes()` imports one made
 * elsewhere.
 */
export interface IPrivateLinkEndpoint extends IConstruct, ec2.IConnectable {
  /** The endpoint ID: `vpce-…`. */
  readonly endpointId: string;
  /** The endpoint's regional DNS name. */
  readonly dnsName: string;
  /** The port the service listens on behind the endpoint. */
  readonly port: number;
  /** The VPC of the endpoint. */
  readonly vpc: ec2.IVpc;
  /** Subnets a client in the VPC (the connectivity check) is placed in (`{}`: the VPC's private subnets). */
  readonly subnets: ec2.SubnetSelection;
  /**
   * The private DNS name the endpoint answers to in its VPC, when private DNS is enabled and the name is known.
   * @default - none: clients use `dnsName`
   */
  readonly privateDnsName?: string;
  /** Whether the service speaks TLS on its port. */
  readonly tlsEnabled: boolean;
  /**
   * What the service speaks on its port.
   * @default - unknown: the connectivity check chooses by port
   */
  readonly protocol?: ServiceProtocol;
  /** The IP address type of the endpoint. */
  readonly ipAddressType: ec2.VpcEndpointIpAddressType;
}

/** An endpoint made elsewhere, for {@link PrivateLinkConsumer.fromEndpointAttributes}. */
export interface PrivateLinkEndpointAttributes {
  /** The VPC of the endpoint. */
  readonly vpc: ec2.IVpc;
  /** The endpoint ID: `vpce-…`. */
  readonly endpointId: string;
  /** The endpoint's regional DNS name (`vpce-…-….vpce-svc-….<region>.vpce.amazonaws.com`). */
  readonly dnsName: string;
  /** The service port. */
  readonly port: number;
  /** The endpoint's security groups (the check's function is allowed in through them). */
  readonly securityGroups: ec2.ISecurityGroup[];
  /**
   * Subnets a client of the endpoint is placed in.
   * @default - the VPC's private subnets
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * The private DNS name the endpoint answers to, when private DNS is enabled on it.
   * @default - none
   */
  readonly privateDnsName?: string;
  /**
   * Whether the service speaks TLS on its port.
   * @default - true when `protocol` is HTTPS or TLS, otherwise false
   */
  readonly tls?: boolean;
  /**
   * What the service speaks on its port.
   * @default - unknown: the connectivity check chooses by port (and `tls`)
   */
  readonly protocol?: ServiceProtocol;
  /**
   * The IP address type of the endpoint.
   * @default ec2.VpcEndpointIpAddressType.IPV4
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;
}
