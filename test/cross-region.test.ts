import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PrivateLinkConsumer, type PrivateLinkConsumerProps } from '../src/consumer/private-link-consumer';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError } from './support/config-error';

const SERVICE = 'AWS::EC2::VPCEndpointService';
const ENDPOINT = 'AWS::EC2::VPCEndpoint';
const SERVICE_IN_US_EAST_1 = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

function newStack(props?: StackProps): Stack {
  return new Stack(new App(), 'TestStack', props);
}

describe('PrivateLinkProvider allowedRegions', () => {
  test('GIVEN a stack in us-east-1 WHEN eu-west-1 and ap-northeast-1 are allowed THEN SupportedRegions lists the own region first, then them', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const provider = new PrivateLinkProvider(stack, 'Provider', { allowedRegions: ['eu-west-1', 'ap-northeast-1'] });
    Template.fromStack(stack).hasResourceProperties(SERVICE, {
      SupportedRegions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
    });
    expect(provider.allowedRegions).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
  });

  test('GIVEN the own region and a duplicate in the list THEN each region appears once', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    new PrivateLinkProvider(stack, 'Provider', { allowedRegions: ['eu-west-1', 'us-east-1', 'eu-west-1'] });
    Template.fromStack(stack).hasResourceProperties(SERVICE, { SupportedRegions: ['us-east-1', 'eu-west-1'] });
  });

  test('GIVEN an environment-agnostic stack (region unknown at synth) THEN the list is written as given', () => {
    const stack = newStack();
    new PrivateLinkProvider(stack, 'Provider', { allowedRegions: ['eu-west-1'] });
    Template.fromStack(stack).hasResourceProperties(SERVICE, { SupportedRegions: ['eu-west-1'] });
  });

  test('GIVEN no allowedRegions THEN SupportedRegions is absent (the own region only)', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const provider = new PrivateLinkProvider(stack, 'Provider');
    Template.fromStack(stack).hasResourceProperties(SERVICE, { SupportedRegions: Match.absent() });
    expect(provider.allowedRegions).toEqual([]);
  });

  test('GIVEN two bad region codes THEN one error names each by index, shows the value and an example', () => {
    const err = configError(() => new PrivateLinkProvider(newStack(), 'Provider', { allowedRegions: ['eu-west-1', 'Europe', 'us_east_1'] }));
    expect(err.problems).toEqual([
      'allowedRegions[1]: "Europe" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".',
      'allowedRegions[2]: "us_east_1" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".',
    ]);
  });
});

describe('PrivateLinkConsumer serviceRegion', () => {
  const create = (props: PrivateLinkConsumerProps, stack = newStack({ env: { region: 'eu-west-1' } })) => () =>
    new PrivateLinkConsumer(stack, 'Consumer', props);

  test('GIVEN a consumer in eu-west-1 of a service in us-east-1 WHEN serviceRegion is us-east-1 THEN the endpoint has ServiceRegion', () => {
    const stack = newStack({ env: { region: 'eu-west-1' } });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { serviceName: SERVICE_IN_US_EAST_1, serviceRegion: 'us-east-1' });
    Template.fromStack(stack).hasResourceProperties(ENDPOINT, {
      ServiceName: SERVICE_IN_US_EAST_1,
      ServiceRegion: 'us-east-1',
      VpcEndpointType: 'Interface',
    });
    expect(consumer.serviceRegion).toBe('us-east-1');
    // The preflight looks the service up in its own region.
    Template.fromStack(stack).hasResourceProperties('Custom::PrivateLinkPreflight', { ServiceRegion: 'us-east-1' });
  });

  test('GIVEN no serviceRegion THEN the endpoint has no ServiceRegion', () => {
    const stack = newStack();
    new PrivateLinkConsumer(stack, 'Consumer', { serviceName: SERVICE_IN_US_EAST_1 });
    Template.fromStack(stack).hasResourceProperties(ENDPOINT, { ServiceRegion: Match.absent() });
  });

  test('GIVEN a serviceRegion that differs from the region in the service name THEN refused, naming both and the fix', () => {
    const err = configError(create({ serviceName: SERVICE_IN_US_EAST_1, serviceRegion: 'us-west-2' }));
    expect(err.message).toBe(
      `serviceRegion: "us-west-2" differs from the region in the service name "${SERVICE_IN_US_EAST_1}" (us-east-1). ` +
        'The service lives in us-east-1: set serviceRegion to "us-east-1" or leave it unset.',
    );
  });

  test('GIVEN a malformed serviceRegion THEN the message names serviceRegion and shows an example', () => {
    const err = configError(create({ serviceName: SERVICE_IN_US_EAST_1, serviceRegion: 'virginia' }));
    expect(err.message).toBe('serviceRegion: "virginia" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".');
  });

  test('GIVEN a stack in eu-west-1 and a service in us-east-1 without serviceRegion THEN refused: the fix is serviceRegion', () => {
    const err = configError(create({ serviceName: SERVICE_IN_US_EAST_1 }));
    expect(err.message).toBe(
      'serviceName: the service is in us-east-1 and this stack deploys to eu-west-1. ' +
        'For a cross-region endpoint set serviceRegion: "us-east-1" (the provider must allow eu-west-1 in its allowedRegions), or deploy the consumer in us-east-1.',
    );
  });

  test('GIVEN a malformed service name THEN only the service name is reported (no region guess from it)', () => {
    const err = configError(create({ serviceName: 'nope', serviceRegion: 'us-east-1' }));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(/^serviceName: "nope" is not a VPC endpoint service name/);
  });

  test('GIVEN the provider object in a stack of another known region WHEN serviceRegion differs from it THEN refused', () => {
    const app = new App();
    const providerStack = new Stack(app, 'P', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    const consumerStack = new Stack(app, 'C', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    const provider = new PrivateLinkProvider(providerStack, 'Provider', { allowedRegions: ['eu-west-1'] });
    const err = configError(() => new PrivateLinkConsumer(consumerStack, 'Consumer', { provider, serviceRegion: 'us-west-2' }));
    expect(err.message).toBe(
      'serviceRegion: "us-west-2" differs from the provider stack\'s region "us-east-1". Set it to "us-east-1" or leave it unset.',
    );
  });
});
