import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** `arn:<partition>:ec2:<region>:<account>:vpc-endpoint-service/<serviceId>` of the scope's stack. */
export function endpointServiceArn(scope: Construct, serviceId: string): string {
  return Stack.of(scope).formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId });
}

/** What every lifecycle function needs: list the service's connections. */
export function describeConnectionsStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointConnections'], resources: ['*'] });
}

/** Why that statement is on `*` (cdk-nag AwsSolutions-IAM5). */
export const DESCRIBE_WILDCARD_REASON =
  'ec2:DescribeVpcEndpointConnections has no resource-level permissions (IAM requires "*"); the actions that change anything are scoped to this endpoint service.';
