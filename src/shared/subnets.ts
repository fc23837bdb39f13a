/**
 * What can be known at synth time about subnets: their AZ IDs and whether they have IPv6. Only subnets
 * created in this app (backed by an `AWS::EC2::Subnet` in a template) tell; imported ones do not.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';

function cfnSubnetOf(subnet: ec2.ISubnet): ec2.CfnSubnet | undefined {
  const child = subnet.node.defaultChild;
  return child instanceof ec2.CfnSubnet ? child : undefined;
}

/**
 * The AZ IDs of the subnets, as `Fn::GetAtt [Subnet, AvailabilityZoneId]` tokens, or undefined when
 * one of them is imported (CloudFormation then knows nothing about it).
 */
export function availabilityZoneIdsOf(subnets: ec2.ISubnet[]): string[] | undefined {
  const cfns = subnets.map(cfnSubnetOf);
  if (subnets.length === 0 || cfns.some((c) => c === undefined)) return undefined;
  return cfns.map((c) => c!.attrAvailabilityZoneId);
}

/** Whether subnets have IPv6 address ranges: `unknown` when one of them is imported. */
export interface Ipv6Capability {
  /** yes: every subnet has an IPv6 CIDR; no: at least one has none; unknown: cannot be told at synth. */
  readonly state: 'yes' | 'no' | 'unknown';
  /** Construct paths of the subnets without IPv6 (state no). */
  readonly withoutIpv6: string[];
}

export function ipv6CapabilityOf(subnets: ec2.ISubnet[]): Ipv6Capability {
  const cfns = subnets.map(cfnSubnetOf);
  if (subnets.length === 0 || cfns.some((c) => c === undefined)) return { state: 'unknown', withoutIpv6: [] };
  const withoutIpv6 = subnets
    .filter((_, i) => cfns[i]!.ipv6CidrBlock === undefined && cfns[i]!.ipv6Native !== true && cfns[i]!.ipv6IpamPoolId === undefined)
    .map((s) => s.node.path);
  return { state: withoutIpv6.length > 0 ? 'no' : 'yes', withoutIpv6 };
}
