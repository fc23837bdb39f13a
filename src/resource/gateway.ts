import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { latticeName } from './names';
import { ResourceGatewayIpAddressType } from './target';

/** Properties of a {@link ResourceGateway}. */
export interface ResourceGatewayProps {
  /** The VPC of the resources the gateway reaches. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the gateway's network interfaces: one per AZ that consumers should reach the resource from.
   * @default - the VPC's private subnets (isolated ones when there are no others)
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * The IP address type of the gateway's network interfaces.
   * @default ResourceGatewayIpAddressType.IPV4
   */
  readonly ipAddressType?: ResourceGatewayIpAddressType;
}

/**
 * A VPC Lattice resource gateway: the way in to a VPC for PrivateLink for resources. Its security group
 * has no ingress (the gateway receives no traffic through it) and no egress until `connections.allowTo()`
 * names a target; `PrivateLinkResource` opens it to its resource on the resource's ports.
 */
export class ResourceGateway extends Construct implements ec2.IConnectable {
  /** The `AWS::VpcLattice::ResourceGateway`. */
  public readonly resource: vpclattice.CfnResourceGateway;
  /** The gateway's security group (no ingress; egress only to what `connections.allowTo()` names). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The gateway's network rules: `gateway.connections.allowTo(database, ec2.Port.tcp(5432))`. */
  public readonly connections: ec2.Connections;
  /** The gateway ID: `rgw-…`. */
  public readonly gatewayId: string;
  /** The gateway ARN. */
  public readonly gatewayArn: string;
  /** The VPC of the gateway. */
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: ResourceGatewayProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'cdk-privatelink resource gateway: egress to the shared resource on its ports only, no ingress',
      allowAllOutbound: false,
    });
    this.connections = this.securityGroup.connections;
    this.resource = new vpclattice.CfnResourceGateway(this, 'Resource', {
      name: latticeName(this),
      vpcIdentifier: props.vpc.vpcId,
      subnetIds: props.vpc.selectSubnets(props.subnets ?? {}).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      ipAddressType: props.ipAddressType ?? ResourceGatewayIpAddressType.IPV4,
    });
    this.gatewayId = this.resource.attrId;
    this.gatewayArn = this.resource.attrArn;
  }
}
