import { App, CfnElement, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { buildApp } from '../app/app';
import { readConfig } from '../app/config';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError } from './support/config-error';
import { newStack } from './support/template';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

describe('PrivateLinkProvider availabilityZoneIds', () => {
  test('GIVEN its own VPC THEN the AZ IDs are the AvailabilityZoneId attributes of the NLB subnets, joined for an output', () => {
    const stack = newStack();
    const provider = new PrivateLinkProvider(stack, 'Provider');
    const subnetIds = provider.vpc.isolatedSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as CfnElement));
    expect(stack.resolve(provider.availabilityZoneIds)).toEqual(subnetIds.map((id) => ({ 'Fn::GetAtt': [id, 'AvailabilityZoneId'] })));
    expect(stack.resolve(provider.availabilityZoneIdsText())).toEqual({
      'Fn::Join': [',', subnetIds.map((id) => ({ 'Fn::GetAtt': [id, 'AvailabilityZoneId'] }))],
    });
  });

  test('GIVEN a user VPC and vpcSubnets picking one subnet THEN only that subnet\'s AZ ID', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'UserVpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const provider = new PrivateLinkProvider(stack, 'Provider', { vpc, vpcSubnets: { subnets: [vpc.isolatedSubnets[1]] } });
    const id = stack.getLogicalId(vpc.isolatedSubnets[1].node.defaultChild as CfnElement);
    expect(stack.resolve(provider.availabilityZoneIds)).toEqual([{ 'Fn::GetAtt': [id, 'AvailabilityZoneId'] }]);
  });

  test('GIVEN an imported VPC THEN the AZ IDs are unknown (undefined, no output text)', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const provider = new PrivateLinkProvider(stack, 'Provider', { vpc });
    expect(provider.availabilityZoneIds).toBeUndefined();
    expect(provider.availabilityZoneIdsText()).toBeUndefined();
  });

  test('GIVEN an existing NLB as the backend THEN the AZ IDs are unknown', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'UserVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'A', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const provider = new PrivateLinkProvider(stack, 'Provider', { vpc, backend: ProviderBackend.existingNetworkLoadBalancer(nlb, { port: 443 }) });
    expect(provider.availabilityZoneIds).toBeUndefined();
  });
});

describe('the app outputs the AZ IDs', () => {
  test('GIVEN the provider stack THEN an AvailabilityZoneIds output joins the NLB subnets\' AZ IDs', () => {
    const app = new App();
    const { provider } = buildApp(app, readConfig({ CONSUMER_ACCOUNT_ID: '222222222222' }, () => undefined));
    Template.fromStack(provider!).hasOutput('AvailabilityZoneIds', {
      Value: {
        'Fn::Join': [
          ',',
          [
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProviderVpcIsolatedSubnet1'), 'AvailabilityZoneId'] },
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProviderVpcIsolatedSubnet2'), 'AvailabilityZoneId'] },
          ],
        ],
      },
      Description: Match.stringLikeRegexp('SERVICE_AVAILABILITY_ZONE_IDS'),
    });
  });
});

describe('PrivateLinkConsumer of a service with availabilityZoneIds with its own VPC', () => {
  // GIVEN the provider's three AZ IDs (built once)
  const stack = newStack();
  new PrivateLinkConsumer(stack, 'Consumer', {
    service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: ['use1-az4', 'use1-az6', 'use1-az1'] }),
  });
  const template = Template.fromStack(stack);

  test('THEN the VPC\'s two subnets are placed by AZ ID in the first two, not by AZ name', () => {
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZoneId)).toEqual(['use1-az4', 'use1-az6']);
    for (const s of subnets) expect(s.Properties.AvailabilityZone).toBeUndefined();
  });

  test('THEN the endpoint uses those two subnets, and nothing warns (aligned by construction)', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^ConsumerVpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^ConsumerVpcIsolatedSubnet2') }],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('PrivateLinkConsumer of a provider across stacks of one app of one app', () => {
  test('THEN its subnets are placed in the AZ IDs imported from the provider stack', () => {
    const app = new App();
    const providerStack = new Stack(app, 'ProviderStack');
    const consumerStack = new Stack(app, 'ConsumerStack');
    const provider = new PrivateLinkProvider(providerStack, 'Provider');
    new PrivateLinkConsumer(consumerStack, 'Consumer', { service: provider });
    const subnets = Object.values(Template.fromStack(consumerStack).findResources('AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZoneId)).toEqual([
      { 'Fn::ImportValue': expect.stringMatching(/^ProviderStack:ExportsOutputFnGetAttProviderVpcIsolatedSubnet1.*AvailabilityZoneId/) },
      { 'Fn::ImportValue': expect.stringMatching(/^ProviderStack:ExportsOutputFnGetAttProviderVpcIsolatedSubnet2.*AvailabilityZoneId/) },
    ]);
  });
});

describe('PrivateLinkConsumer of a service with availabilityZoneIds that cannot be checked', () => {
  test('GIVEN one AZ ID THEN one subnet in it', () => {
    const stack = newStack();
    new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: ['apne1-az1'] }) });
    const subnets = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZoneId)).toEqual(['apne1-az1']);
  });

  test('GIVEN a user VPC THEN synthesized with a warning that says how to compare the AZ IDs', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'UserVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'A', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new PrivateLinkConsumer(stack, 'Consumer', { vpc, service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: ['use1-az1', 'use1-az2'] }) });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Consumer', Match.anyValue());
    expect(warnings).toHaveLength(1);
    const text = JSON.stringify(warnings[0].entry.data);
    expect(text).toContain("service.availabilityZoneIds: whether the endpoint's subnets are in the service's AZs cannot be checked at synth");
    expect(text).toContain('the VPC was given');
    expect(text).toContain('aws ec2 describe-subnets');
    expect(text).toContain('does not support the availability zone of the subnet');
    // AND the user's subnets are left where they are
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: Match.anyValue(), AvailabilityZoneId: Match.absent() });
  });

  test('GIVEN the AZ IDs as a token list (e.g. an imported output) THEN a warning: the length is unknown', () => {
    const stack = newStack();
    new PrivateLinkConsumer(stack, 'Consumer', {
      service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: Fn.split(',', Fn.importValue('ProviderAzIds')) }),
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Consumer', Match.stringLikeRegexp('the AZ IDs are a token list of unknown length'));
    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 2);
  });

  test('GIVEN AZ names instead of AZ IDs THEN refused, each by index, saying names differ per account', () => {
    const err = configError(
      () => new PrivateLinkConsumer(newStack(), 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: ['us-east-1a', 'use1-az2', 'zone'] }) }),
    );
    expect(err.problems).toEqual([
      'availabilityZoneIds[0]: "us-east-1a" is not an Availability Zone ID. That is an AZ name, which means a different zone in each account. ' +
        'Use AZ IDs such as "use1-az1" (the provider stack output AvailabilityZoneIds, or `aws ec2 describe-vpc-endpoint-services --service-names <name>` → AvailabilityZoneIds).',
      'availabilityZoneIds[2]: "zone" is not an Availability Zone ID. ' +
        'Use AZ IDs such as "use1-az1" (the provider stack output AvailabilityZoneIds, or `aws ec2 describe-vpc-endpoint-services --service-names <name>` → AvailabilityZoneIds).',
    ]);
  });

  test('GIVEN an empty list THEN refused', () => {
    const err = configError(() => new PrivateLinkConsumer(newStack(), 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { availabilityZoneIds: [] }) }));
    expect(err.message).toBe(
      'PrivateLinkService.fromServiceName(): availabilityZoneIds: the list is empty. Give the AZ IDs the service serves (e.g. ["use1-az1", "use1-az2"]), or leave it unset.',
    );
  });
});
