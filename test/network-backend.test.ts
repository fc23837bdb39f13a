import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';
import { groupId, newStack } from './support/template';

const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

function isolatedVpc(stack: Stack, id = 'UserVpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

describe('ProviderBackend.networkTargets with IP targets', () => {
  // GIVEN two IP targets of a TCP service on 5432 (built once)
  const stack = newStack();
  const provider = new PrivateLinkProvider(stack, 'Provider', {
    port: 5432,
    backend: ProviderBackend.networkTargets([new targets.IpTarget('10.0.0.10'), new targets.IpTarget('10.0.1.10')]),
  });
  const template = Template.fromStack(stack);
  const nlbSg = provider.loadBalancer.connections.securityGroups[0];

  test('THEN there is no ALB: one load balancer, the NLB, and no ALB exposed', () => {
    template.resourceCountIs(LOAD_BALANCER, 1);
    template.hasResourceProperties(LOAD_BALANCER, { Type: 'network', Scheme: 'internal' });
    expect(provider.applicationLoadBalancer).toBeUndefined();
  });

  test('THEN the NLB listens on TCP 5432 and forwards to an ip target group with both targets and a TCP health check', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 5432, Protocol: 'TCP' });
    template.resourceCountIs(TARGET_GROUP, 1);
    template.hasResourceProperties(TARGET_GROUP, {
      TargetType: 'ip',
      Protocol: 'TCP',
      Port: 5432,
      Targets: [{ Id: '10.0.0.10' }, { Id: '10.0.1.10' }],
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: Match.absent(),
    });
    expect(provider.port).toBe(5432);
  });

  test("THEN the NLB may reach only the VPC's IPv4 CIDR on 5432 (no 0.0.0.0/0) and admits nothing", () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^cdk-privatelink NLB'),
      SecurityGroupEgress: [
        {
          CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProviderVpc'), 'CidrBlock'] },
          Description: 'NLB to the targets',
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
        },
      ],
      SecurityGroupIngress: Match.absent(),
    });
    const ingressToNlb = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupId(nlbSg)),
    );
    expect(ingressToNlb).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
  });

  test('THEN the endpoint service fronts the NLB', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      NetworkLoadBalancerArns: [{ Ref: Match.stringLikeRegexp('^ProviderNlb') }],
    });
  });
});

describe('ProviderBackend.networkTargets with instance targets and their security group', () => {
  test('GIVEN an instance target and its security group THEN the NLB reaches that group on the port, and the group admits the NLB', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    const instanceSg = new ec2.SecurityGroup(stack, 'InstanceSg', { vpc, allowAllOutbound: false });
    const provider = new PrivateLinkProvider(stack, 'Provider', {
      vpc,
      port: 6379,
      backend: ProviderBackend.networkTargets([new targets.InstanceIdTarget('i-0123456789abcdef0')], {
        connections: [instanceSg],
        healthCheck: { protocol: elbv2.Protocol.TCP, port: '6379' },
      }),
    });
    const template = Template.fromStack(stack);
    const nlbSg = provider.loadBalancer.connections.securityGroups[0];
    template.hasResourceProperties(TARGET_GROUP, {
      TargetType: 'instance',
      Targets: [{ Id: 'i-0123456789abcdef0' }],
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: '6379',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId(instanceSg),
      SourceSecurityGroupId: groupId(nlbSg),
      FromPort: 6379,
      ToPort: 6379,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: groupId(nlbSg),
      DestinationSecurityGroupId: groupId(instanceSg),
      FromPort: 6379,
      ToPort: 6379,
    });
    // AND no CIDR egress is added when the targets' security groups are known
    const nlbSgResource = template.findResources('AWS::EC2::SecurityGroup')[Stack.of(nlbSg).getLogicalId(nlbSg.node.defaultChild as CfnElement)];
    expect(nlbSgResource.Properties.SecurityGroupEgress).toBeUndefined();
  });
});

describe('ProviderBackend.networkTargets refuses', () => {
  test('GIVEN no target THEN the message says to pass one', () => {
    const err = configError(() => new PrivateLinkProvider(newStack(), 'Provider', { backend: ProviderBackend.networkTargets([]) }));
    expect(withoutPath(err)).toBe(
      'ProviderBackend.networkTargets(): no target given. Pass at least one, e.g. new IpTarget("10.0.1.20") or new InstanceTarget(instance).',
    );
  });

  test('GIVEN a VPC imported without its CIDR and no connections THEN the message says what to pass', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    const err = configError(
      () => new PrivateLinkProvider(stack, 'Provider', { vpc, backend: ProviderBackend.networkTargets([new targets.IpTarget('10.1.0.5')]) }),
    );
    expect(withoutPath(err)).toBe(
      "ProviderBackend.networkTargets(): the VPC was imported without its CIDR block, so the NLB's egress to the targets cannot default to it. " +
        "Pass connections (the targets' security groups) in the options, or import the VPC with vpcCidrBlock.",
    );
  });
});

describe('ProviderBackend.existingNetworkLoadBalancer', () => {
  // GIVEN the user's NLB with a TCP listener on 443 (built once)
  const stack = newStack();
  const vpc = isolatedVpc(stack);
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'UserNlb', { vpc, internetFacing: false });
  nlb.addListener('Tcp', { port: 443, defaultTargetGroups: [new elbv2.NetworkTargetGroup(stack, 'Tg', { vpc, port: 443, targetType: elbv2.TargetType.IP })] });
  const provider = new PrivateLinkProvider(stack, 'Provider', {
    vpc,
    backend: ProviderBackend.existingNetworkLoadBalancer(nlb, { port: 443 }),
    allowedPrincipals: ['222222222222'],
  });
  const template = Template.fromStack(stack);

  test('THEN the provider creates no load balancer, listener, target group or security group of its own', () => {
    template.resourceCountIs(LOAD_BALANCER, 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.resourceCountIs(TARGET_GROUP, 1);
    expect(provider.node.tryFindChild('Nlb')).toBeUndefined();
    expect(provider.node.tryFindChild('NlbSecurityGroup')).toBeUndefined();
    expect(provider.node.tryFindChild('Alb')).toBeUndefined();
  });

  test('GIVEN an NLB imported by its attributes (an INetworkLoadBalancer) THEN the service fronts it by ARN', () => {
    const s = newStack();
    const arn = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/shared/0123456789abcdef';
    const n = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(s, 'Shared', { loadBalancerArn: arn, vpc: isolatedVpc(s) });
    const p = new PrivateLinkProvider(s, 'Provider', { backend: ProviderBackend.existingNetworkLoadBalancer(n, { port: 5432 }), allowedPrincipals: ['222222222222'] });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpointService', { NetworkLoadBalancerArns: [arn] });
    Template.fromStack(s).resourceCountIs(LOAD_BALANCER, 0);
    expect(p.loadBalancer).toBe(n);
    expect(p.port).toBe(5432);
    expect(p.protocol).toBeUndefined();
  });

  test('GIVEN no vpc THEN the provider takes the NLB\'s VPC and creates none', () => {
    const s = newStack();
    const v = isolatedVpc(s);
    const n = new elbv2.NetworkLoadBalancer(s, 'Nlb', { vpc: v });
    const p = new PrivateLinkProvider(s, 'Provider', { backend: ProviderBackend.existingNetworkLoadBalancer(n, { port: 443 }) });
    expect(p.vpc).toBe(v);
    Template.fromStack(s).resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('THEN the endpoint service fronts the user NLB, and the provider exposes it with the port', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      NetworkLoadBalancerArns: [{ Ref: stack.getLogicalId(nlb.node.defaultChild as CfnElement) }],
    });
    expect(provider.loadBalancer).toBe(nlb);
    expect(provider.port).toBe(443);
    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
  });

  test('GIVEN accessLogBucket THEN refused: the NLB\'s logs are the user\'s to set', () => {
    const s = newStack();
    const v = isolatedVpc(s);
    const n = new elbv2.NetworkLoadBalancer(s, 'Nlb', { vpc: v });
    const err = configError(
      () =>
        new PrivateLinkProvider(s, 'Provider', {
          vpc: v,
          backend: ProviderBackend.existingNetworkLoadBalancer(n, { port: 443 }),
          accessLogBucket: new s3.Bucket(s, 'Logs'),
        }),
    );
    expect(withoutPath(err)).toBe(
      'accessLogBucket: the backend is an existing NLB, whose access logs are yours to set: call logAccessLogs() on it, and leave accessLogBucket unset.',
    );
  });

  test('GIVEN port 0 for the existing NLB THEN the message names that option', () => {
    const s = newStack();
    const n = new elbv2.NetworkLoadBalancer(s, 'Nlb', { vpc: isolatedVpc(s) });
    const err = configError(() => new PrivateLinkProvider(s, 'Provider', { backend: ProviderBackend.existingNetworkLoadBalancer(n, { port: 0 }) }));
    expect(withoutPath(err)).toBe('ProviderBackend.existingNetworkLoadBalancer() port: 0 is not a TCP port. Use a whole number from 1 to 65535.');
  });

  test('GIVEN a port that differs from the one given to the backend THEN refused (one port)', () => {
    const s = newStack();
    const v = isolatedVpc(s);
    const n = new elbv2.NetworkLoadBalancer(s, 'Nlb', { vpc: v });
    const err = configError(
      () => new PrivateLinkProvider(s, 'Provider', { vpc: v, port: 80, backend: ProviderBackend.existingNetworkLoadBalancer(n, { port: 443 }) }),
    );
    expect(withoutPath(err)).toMatch(/^port: 80 differs from the backend listener's port 443\./);
  });
});
