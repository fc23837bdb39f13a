import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';
import { newStack } from './support/template';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const DUAL_STACK_SERVICE = PrivateLinkService.fromServiceName(SERVICE_NAME, { supportedIpAddressTypes: [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6] });
const DUAL = [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6];

function userVpc(stack: Stack, dualStack: boolean): ec2.Vpc {
  return new ec2.Vpc(stack, 'UserVpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    ...(dualStack ? { ipProtocol: ec2.IpProtocol.DUAL_STACK } : {}),
  });
}

/** The things a dual-stack VPC created by the library must and must not have. */
function expectIsolatedDualStackVpc(template: Template): void {
  template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
  template.hasResourceProperties('AWS::EC2::VPCCidrBlock', { AmazonProvidedIpv6CidrBlock: true });
  const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
  expect(subnets).toHaveLength(2);
  for (const subnet of subnets) {
    expect(subnet.Properties.Ipv6CidrBlock).toBeDefined();
    expect(subnet.Properties.AssignIpv6AddressOnCreation).toBe(true);
  }
  // No way out of the VPC: no gateway of any kind, no route at all, nothing open to ::/0.
  template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  template.resourceCountIs('AWS::EC2::Route', 0);
  const json = JSON.stringify(template.toJSON());
  expect(json).not.toContain('::/0');
  expect(json).not.toContain('0.0.0.0/0');
}

describe('PrivateLinkProvider with supportedIpAddressTypes [IPV4, IPV6]', () => {
  // GIVEN a dual-stack provider with its own VPC (built once)
  const stack = newStack();
  const provider = new PrivateLinkProvider(stack, 'Provider', { supportedIpAddressTypes: DUAL });
  const template = Template.fromStack(stack);

  test('THEN its VPC has IPv6 in every subnet and still no way out', () => {
    expectIsolatedDualStackVpc(template);
  });

  test('THEN the NLB is dual-stack and the ALB stays IPv4', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', IpAddressType: 'dualstack' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application', IpAddressType: Match.absent() });
  });

  test('THEN the endpoint service accepts IPv4 and IPv6', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedIpAddressTypes: ['ipv4', 'ipv6'] });
    expect(provider.supportedIpAddressTypes).toEqual(DUAL);
  });
});

describe('PrivateLinkProvider IPv4 by default', () => {
  test('GIVEN no supportedIpAddressTypes THEN no IPv6 anywhere and no SupportedIpAddressTypes', () => {
    const stack = newStack();
    const provider = new PrivateLinkProvider(stack, 'Provider');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedIpAddressTypes: Match.absent() });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', IpAddressType: Match.absent() });
    expect(provider.supportedIpAddressTypes).toEqual([ec2.IpAddressType.IPV4]);
  });
});

describe('PrivateLinkProvider dual-stack against the VPC it is given', () => {
  test('GIVEN a dual-stack user VPC THEN accepted, and the NLB is in its subnets', () => {
    const stack = newStack();
    const vpc = userVpc(stack, true);
    new PrivateLinkProvider(stack, 'Provider', { vpc, supportedIpAddressTypes: DUAL });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      IpAddressType: 'dualstack',
      Subnets: [{ Ref: Match.stringLikeRegexp('^UserVpcAppSubnet1') }, { Ref: Match.stringLikeRegexp('^UserVpcAppSubnet2') }],
    });
  });

  test('GIVEN an IPv4-only user VPC THEN refused, naming the subnets without IPv6 and the fix', () => {
    const stack = newStack();
    const vpc = userVpc(stack, false);
    const err = configError(() => new PrivateLinkProvider(stack, 'Provider', { vpc, supportedIpAddressTypes: DUAL }));
    expect(withoutPath(err)).toBe(
      'supportedIpAddressTypes: IPv6 needs a dual-stack NLB, whose subnets must have IPv6 CIDR blocks; these have none: ' +
        'TestStack/UserVpc/AppSubnet1, TestStack/UserVpc/AppSubnet2. ' +
        'Give the VPC IPv6 (ipProtocol: ec2.IpProtocol.DUAL_STACK), pick dual-stack subnets with vpcSubnets, or leave IPV6 out.',
    );
  });

  test('GIVEN an imported VPC THEN synthesized with a warning that IPv6 could not be checked', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    new PrivateLinkProvider(stack, 'Provider', { vpc, supportedIpAddressTypes: DUAL });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Provider',
      Match.stringLikeRegexp('^supportedIpAddressTypes includes IPV6, but the subnets of the NLB are imported: whether they have IPv6 CIDR blocks cannot be checked at synth'),
    );
  });

  test.each([
    [[], '[]'],
    [[ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV4], '["ipv4","ipv4"]'],
  ])('GIVEN supportedIpAddressTypes %j THEN refused with the three valid choices', (types, shown) => {
    const err = configError(() => new PrivateLinkProvider(newStack(), 'Provider', { supportedIpAddressTypes: types }));
    expect(withoutPath(err)).toBe(
      `supportedIpAddressTypes: ${shown} must name each IP address type once, and at least one. Use [IPV4] (the default), [IPV4, IPV6] for dual-stack, or [IPV6].`,
    );
  });

  test('GIVEN an existing IPv4 NLB as the backend WHEN IPv6 is asked THEN refused: the NLB must be dual-stack', () => {
    const stack = newStack();
    const vpc = userVpc(stack, true);
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'UserNlb', { vpc });
    const err = configError(
      () =>
        new PrivateLinkProvider(stack, 'Provider', {
          vpc,
          backend: ProviderBackend.existingNetworkLoadBalancer(nlb, { port: 443 }),
          supportedIpAddressTypes: DUAL,
        }),
    );
    expect(withoutPath(err)).toBe(
      'supportedIpAddressTypes: IPv6 needs a dual-stack NLB, and the existing NLB of the backend is not one. Create it with ipAddressType: elbv2.IpAddressType.DUAL_STACK, or leave IPV6 out.',
    );
  });
});

describe('PrivateLinkConsumer with ipAddressType DUALSTACK', () => {
  // GIVEN a dual-stack consumer with its own VPC and a check (built once)
  const stack = newStack();
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
    service: DUAL_STACK_SERVICE,
    ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
  });
  new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
  const template = Template.fromStack(stack);

  test('THEN its VPC has IPv6 in every subnet and still no way out', () => {
    expectIsolatedDualStackVpc(template);
  });

  test('THEN the endpoint is dual-stack with A and AAAA records', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      IpAddressType: 'dualstack',
      DnsOptions: { DnsRecordIpType: 'dualstack' },
    });
    expect(consumer.ipAddressType).toBe(ec2.VpcEndpointIpAddressType.DUALSTACK);
  });

  test('THEN the check function may use IPv6 in the dual-stack subnets', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      VpcConfig: Match.objectLike({ Ipv6AllowedForDualStack: true }),
    });
  });
});

describe('PrivateLinkConsumer IP address type checks', () => {
  test('GIVEN no ipAddressType THEN the endpoint sets neither IpAddressType nor DnsOptions, and the check is IPv4 only', () => {
    const stack = newStack();
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) });
    new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: Match.absent(), DnsOptions: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      VpcConfig: Match.objectLike({ Ipv6AllowedForDualStack: Match.absent() }),
    });
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 0);
  });

  test('GIVEN DUALSTACK to a service known by name as IPv4-only (the default) THEN refused, saying how to describe it', () => {
    const err = configError(
      () => new PrivateLinkConsumer(newStack(), 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME), ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK }),
    );
    expect(withoutPath(err)).toBe(
      'ipAddressType: dualstack needs the service to accept ipv6, and the service is described as accepting only ipv4. If the provider accepts ipv6, ' +
        'add IpAddressType.IPV6 to the supportedIpAddressTypes of PrivateLinkService.fromServiceName(); otherwise change ipAddressType.',
    );
  });

  test('GIVEN IPV6 without a VPC THEN refused: IPv6-only subnets are needed', () => {
    const err = configError(
      () => new PrivateLinkConsumer(newStack(), 'Consumer', { service: DUAL_STACK_SERVICE, ipAddressType: ec2.VpcEndpointIpAddressType.IPV6 }),
    );
    expect(withoutPath(err)).toBe(
      'ipAddressType: IPV6 needs IPv6-only subnets, which the VPC created here does not have. Give vpc (and subnets) with IPv6-only subnets, or use DUALSTACK.',
    );
  });

  test('GIVEN DUALSTACK in an IPv4-only user VPC THEN refused, naming the subnets', () => {
    const stack = newStack();
    const vpc = userVpc(stack, false);
    const err = configError(
      () => new PrivateLinkConsumer(stack, 'Consumer', { vpc, service: DUAL_STACK_SERVICE, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK }),
    );
    expect(withoutPath(err)).toBe(
      'ipAddressType: dualstack needs subnets with IPv6 CIDR blocks; these have none: TestStack/UserVpc/AppSubnet1, TestStack/UserVpc/AppSubnet2. ' +
        'Give the VPC IPv6 (ipProtocol: ec2.IpProtocol.DUAL_STACK), pick IPv6 subnets with subnets, or use IPV4.',
    );
  });

  test('GIVEN DUALSTACK in a dual-stack user VPC THEN accepted', () => {
    const stack = newStack();
    const vpc = userVpc(stack, true);
    new PrivateLinkConsumer(stack, 'Consumer', { vpc, service: DUAL_STACK_SERVICE, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack' });
  });

  test('GIVEN DUALSTACK in an imported VPC THEN a warning says IPv6 could not be checked', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    new PrivateLinkConsumer(stack, 'Consumer', { vpc, service: DUAL_STACK_SERVICE, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    Annotations.fromStack(stack).hasWarning('/TestStack/Consumer', Match.stringLikeRegexp('^ipAddressType is dualstack, but the endpoint\'s subnets are imported'));
  });

  test('GIVEN an IPv4-only provider in the same app WHEN the consumer asks DUALSTACK THEN refused: the provider must accept IPv6', () => {
    const stack = newStack();
    const provider = new PrivateLinkProvider(stack, 'Provider');
    const err = configError(
      () => new PrivateLinkConsumer(stack, 'Consumer', { service: provider, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK }),
    );
    expect(withoutPath(err)).toBe(
      "ipAddressType: dualstack needs the service to accept ipv6, and the provider accepts only ipv4. Add IpAddressType.IPV6 to the provider's supportedIpAddressTypes, or change ipAddressType.",
    );
  });

  test('GIVEN a dual-stack provider in the same app WHEN the consumer asks DUALSTACK THEN accepted', () => {
    const stack = newStack();
    const provider = new PrivateLinkProvider(stack, 'Provider', { supportedIpAddressTypes: DUAL });
    new PrivateLinkConsumer(stack, 'Consumer', { service: provider, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack' });
  });
});
