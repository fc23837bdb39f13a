import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { createHandlerFunction } from './handler-function';

/**
 * Removes every rule of a VPC's default security group, with our own bundled handler: what aws-cdk-lib's
 * `restrictDefaultSecurityGroup` does, for templates that carry no asset (its handler is one; ours goes
 * inline under INLINE_HANDLERS_CONTEXT).
 */
export function restrictDefaultSecurityGroup(vpc: ec2.Vpc): CustomResource {
  const scope = new Construct(vpc, 'RestrictDefaultSecurityGroup');
  const groupArn = Stack.of(vpc).formatArn({ service: 'ec2', resource: 'security-group', resourceName: vpc.vpcDefaultSecurityGroup });
  const fn = createHandlerFunction(scope, {
    handler: 'default-sg',
    description: "cdk-privatelink: removes every rule of the VPC's default security group",
    timeout: Duration.minutes(2),
    statements: [
      new iam.PolicyStatement({ actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'], resources: [groupArn] }),
      new iam.PolicyStatement({ actions: ['ec2:DescribeSecurityGroups'], resources: ['*'] }),
    ],
    wildcardReason: 'ec2:DescribeSecurityGroups has no resource-level permissions (IAM requires "*"); the actions that change anything are scoped to this default security group.',
  });
  return new CustomResource(scope, 'Resource', {
    serviceToken: fn.functionArn,
    resourceType: 'Custom::PrivateLinkDefaultSecurityGroup',
    properties: { SecurityGroupId: vpc.vpcDefaultSecurityGroup },
  });
}
