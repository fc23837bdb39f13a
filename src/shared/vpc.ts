import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { INLINE_HANDLERS_CONTEXT } from './assets';
import { restrictDefaultSecurityGroup } from './default-security-group';

/** Options of {@link createIsolatedVpc}. */
export interface IsolatedVpcOptions {
  /** Give the VPC an Amazon-provided IPv6 block and each subnet a /64 of it (dual-stack). Default false. */
  readonly dualStack?: boolean;
  /**
   * Place the subnets in these AZ IDs (at most the first two), instead of the first AZ names of the
   * account: AZ IDs name the same zone in every account, so this aligns the VPC with a provider's NLB.
   */
  readonly availabilityZoneIds?: string[];
}

/**
 * The VPC both sides create when the user gives none: isolated subnets only (no internet gateway, no
 * NAT), two AZs, the default security group stripped of its rules, and flow logs to CloudWatch Logs.
 */
export function createIsolatedVpc(scope: Construct, id: string, options: IsolatedVpcOptions = {}): ec2.Vpc {
  const zoneIds = options.availabilityZoneIds?.slice(0, 2);
  const inline = scope.node.tryGetContext(INLINE_HANDLERS_CONTEXT) === true;
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: zoneIds?.length ?? 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    // aws-cdk-lib's restriction is a custom resource whose handler is an asset: where handlers must be
    // inline (a StackSet member template), our own bundled handler does the same.
    restrictDefaultSecurityGroup: !inline,
    ...(options.dualStack ? { ipProtocol: ec2.IpProtocol.DUAL_STACK } : {}),
  });
  if (options.dualStack) {
    // Without the feature flag requirePrivateSubnetsForEgressOnlyInternetGateway, aws-cdk-lib adds an
    // egress-only internet gateway to every dual-stack VPC. Isolated subnets have no route to it: remove
    // it, so that the VPC has no gateway of any kind.
    vpc.node.tryRemoveChild('EIGW6');
  }
  if (zoneIds) {
    // CloudFormation places a subnet by AZ ID when given AvailabilityZoneId instead of AvailabilityZone.
    // (The subnets' `availabilityZone` attribute still holds the placeholder name CDK picked: nothing in
    // these VPCs depends on it, since each subnet is alone in its zone.)
    vpc.isolatedSubnets.forEach((subnet, i) => {
      const cfn = subnet.node.defaultChild as ec2.CfnSubnet;
      cfn.addPropertyDeletionOverride('AvailabilityZone');
      cfn.addPropertyOverride('AvailabilityZoneId', zoneIds[i]);
    });
  }
  if (inline) restrictDefaultSecurityGroup(vpc);
  const flowLogGroup = new logs.LogGroup(vpc, 'FlowLogGroup', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  return vpc;
}
