import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The log group and least-privilege role of a lifecycle Lambda function: logs to its own log group only,
 * plus the given statements. Inline policies (no AWS managed policy), so cdk-nag IAM4 does not apply.
 */
export function lifecycleFunctionRole(
  scope: Construct,
  statements: iam.PolicyStatement[],
  retention: logs.RetentionDays,
): { role: iam.Role; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, 'LogGroup', { retention, removalPolicy: RemovalPolicy.DESTROY });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      Lifecycle: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
          ...statements,
        ],
      }),
    },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ec2:DescribeVpcEndpointConnections has no resource-level permissions (IAM requires "*"); the actions that change anything are scoped to this endpoint service.',
  });
  return { role, logGroup };
}

/** `arn:<partition>:ec2:<region>:<account>:vpc-endpoint-service/<serviceId>` of the scope's stack. */
export function endpointServiceArn(scope: Construct, serviceId: string): string {
  return Stack.of(scope).formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId });
}

/** The one statement every lifecycle function needs: list the service's connections. */
export function describeConnectionsStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointConnections'], resources: ['*'] });
}
