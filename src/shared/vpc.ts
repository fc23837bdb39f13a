import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The VPC both sides create when the user gives none: isolated subnets only (no internet gateway, no
 * NAT), two AZs, the default security group stripped of its rules, and flow logs to CloudWatch Logs.
 */
export function createIsolatedVpc(scope: Construct, id: string): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    restrictDefaultSecurityGroup: true,
  });
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
