// Default security group restriction: a custom resource that removes every rule of a VPC's default
// security group on Create and Update (Delete does nothing: the VPC goes with its stack). It stands in
// for aws-cdk-lib's `restrictDefaultSecurityGroup` where a template can carry no asset (a StackSet member
// template, whose handlers are inline). Node built-ins and the SDK v3 EC2 client only: bundled by
// scripts/bundle.mjs.
import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  type Clock,
  type CustomResourceEvent,
  type LambdaContext,
  type Outcome,
  realClock,
  runCustomResource,
  withThrottlingRetries,
} from '../shared/custom-resource';

export interface DefaultSgProperties {
  readonly SecurityGroupId?: string;
}

export interface DefaultSgDeps {
  readonly ec2: EC2Client;
  readonly clock?: Clock;
}

const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/** What one event does: revoke every ingress and egress rule of the group (a group without rules is fine). */
export async function onEvent(event: CustomResourceEvent<DefaultSgProperties>, deps: DefaultSgDeps): Promise<Outcome> {
  const groupId = String(event.ResourceProperties?.SecurityGroupId ?? '');
  const physicalResourceId = `default-sg-restriction-${groupId}`;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  if (!SECURITY_GROUP_ID.test(groupId)) throw new Error(`SecurityGroupId ${JSON.stringify(groupId)} is not a security group ID (sg-...).`);
  const clock = deps.clock ?? realClock;
  const out = await withThrottlingRetries(() => deps.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })), clock);
  const group = out.SecurityGroups?.[0];
  if (!group) throw new Error(`security group ${groupId} not found`);
  const ingress = group.IpPermissions ?? [];
  const egress = group.IpPermissionsEgress ?? [];
  if (ingress.length > 0) {
    await withThrottlingRetries(() => deps.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ingress })), clock);
  }
  if (egress.length > 0) {
    await withThrottlingRetries(() => deps.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress })), clock);
  }
  return { physicalResourceId, data: { RevokedIngress: String(ingress.length), RevokedEgress: String(egress.length) } };
}

/** Lambda entry point (custom resource). */
export async function handler(event: CustomResourceEvent<DefaultSgProperties>, _context?: LambdaContext): Promise<void> {
  const ec2 = new EC2Client({ maxAttempts: 5 });
  await runCustomResource(event, `default-sg-restriction-${event.ResourceProperties?.SecurityGroupId ?? 'invalid'}`, () => onEvent(event, { ec2 }));
}
