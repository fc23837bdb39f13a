import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PrivateLinkConsumer, type PrivateLinkConsumerProps } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError } from './support/config-error';
import { newStack } from './support/template';

const SERVICE = 'AWS::EC2::VPCEndpointService';
const ENDPOINT = 'AWS::EC2::VPCEndpoint';
const SERVICE_IN_US_EAST_1 = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

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
  const inUsEast1 = () => PrivateLinkService.fromServiceName(SERVICE_IN_US_EAST_1);

  test('GIVEN a consumer in eu-west-1 of a service in us-east-1 WHEN serviceRegion is us-east-1 THEN the endpoint has ServiceRegion', () => {
    const stack = newStack({ env: { region: 'eu-west-1' } });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: inUsEast1(), serviceRegion: 'us-east-1' });
    Template.fromStack(stack).hasResourceProperties(ENDPOINT, {
      ServiceName: SERVICE_IN_US_EAST_1,
      ServiceRegion: 'us-east-1',
      VpcEndpointType: 'Interface',
    });
    expect(consumer.serviceRegion).toBe('us-east-1');
  });

  test('GIVEN no serviceRegion in the service\'s own region THEN no ServiceRegion', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    new PrivateLinkConsumer(stack, 'Consumer', { service: inUsEast1() });
    Template.fromStack(stack).hasResourceProperties(ENDPOINT, { ServiceRegion: Match.absent() });
  });

  test('GIVEN a bad region code THEN the message names serviceRegion and the construct', () => {
    const err = configError(create({ service: inUsEast1(), serviceRegion: 'useast1' }));
    expect(err.message).toBe('TestStack/Consumer: serviceRegion: "useast1" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".');
  });

  test('GIVEN serviceRegion that is not the region of the service name THEN refused with the right one', () => {
    const err = configError(create({ service: inUsEast1(), serviceRegion: 'eu-west-1' }));
    expect(err.message).toBe(
      `TestStack/Consumer: serviceRegion: "eu-west-1" is not the service's region "us-east-1" (the region in its name "${SERVICE_IN_US_EAST_1}"). Set serviceRegion: "us-east-1".`,
    );
  });

  test('GIVEN a stack in eu-west-1 and a service in us-east-1 without serviceRegion THEN refused: the fix is serviceRegion', () => {
    const err = configError(create({ service: inUsEast1() }));
    expect(err.message).toBe(
      'TestStack/Consumer: service: the service is in us-east-1 and this stack deploys to eu-west-1. ' +
        'For a cross-region endpoint set serviceRegion: "us-east-1" (the provider must allow eu-west-1 in its allowedRegions), or deploy the consumer in us-east-1.',
    );
  });

  test('GIVEN a service name whose allowedRegions are known and leave out this region THEN refused', () => {
    const service = PrivateLinkService.fromServiceName(SERVICE_IN_US_EAST_1, { allowedRegions: ['ap-northeast-1'] });
    const err = configError(create({ service, serviceRegion: 'us-east-1' }));
    expect(err.message).toBe(
      'TestStack/Consumer: service: the provider in us-east-1 does not accept endpoints from eu-west-1 (its allowedRegions: us-east-1, ap-northeast-1). ' +
        'Add "eu-west-1" to the provider\'s allowedRegions, or deploy the consumer in us-east-1.',
    );
  });
});

describe('A PrivateLinkProvider used by a consumer in another region of the same app', () => {
  const env = (region: string) => ({ account: '111111111111', region });
  function build(providerProps: ConstructorParameters<typeof PrivateLinkProvider>[2], serviceRegion?: string) {
    const app = new App();
    const providerStack = new Stack(app, 'P', { env: env('us-east-1'), crossRegionReferences: true });
    const consumerStack = new Stack(app, 'C', { env: env('eu-west-1'), crossRegionReferences: true });
    const provider = new PrivateLinkProvider(providerStack, 'Provider', { allowedPrincipals: ['111111111111'], ...providerProps });
    return () => new PrivateLinkConsumer(consumerStack, 'Consumer', { service: provider, serviceRegion });
  }

  test('GIVEN serviceRegion and a provider allowing the region THEN the service name carries the PROVIDER\'s region, not the consumer\'s', () => {
    const consumer = build({ allowedRegions: ['eu-west-1'] }, 'us-east-1')();
    const endpoint = Object.values(Template.fromStack(Stack.of(consumer)).findResources(ENDPOINT))[0];
    const name = JSON.stringify(endpoint.Properties.ServiceName);
    expect(name).toContain('com.amazonaws.vpce.us-east-1');
    expect(name).not.toContain('AWS::Region');
    expect(endpoint.Properties.ServiceRegion).toBe('us-east-1');
  });

  test('GIVEN no serviceRegion THEN refused at synth with the fix', () => {
    const err = configError(build({ allowedRegions: ['eu-west-1'] }));
    expect(err.message).toBe(
      'C/Consumer: service: the service is in us-east-1 and this stack deploys to eu-west-1. ' +
        'For a cross-region endpoint set serviceRegion: "us-east-1" (the provider must allow eu-west-1 in its allowedRegions), or deploy the consumer in us-east-1.',
    );
  });

  test('GIVEN a provider that does not list the consumer\'s region THEN refused, naming allowedRegions', () => {
    const err = configError(build({}, 'us-east-1'));
    expect(err.message).toBe(
      'C/Consumer: service: the provider in us-east-1 does not accept endpoints from eu-west-1 (its allowedRegions: us-east-1 only). ' +
        'Add "eu-west-1" to the provider\'s allowedRegions, or deploy the consumer in us-east-1.',
    );
  });

  test('GIVEN serviceRegion that is not the provider\'s region THEN refused', () => {
    const err = configError(build({ allowedRegions: ['eu-west-1'] }, 'us-west-2'));
    expect(err.message).toMatch(/^C\/Consumer: serviceRegion: "us-west-2" is not the service's region "us-east-1"/);
  });
});

describe('A PrivateLinkProvider used by a consumer in another account', () => {
  test('GIVEN a consumer stack in an account the provider does not allow THEN synth fails naming the account and the fix', () => {
    const app = new App();
    const providerStack = new Stack(app, 'P', { env: { account: '111111111111', region: 'us-east-1' } });
    const consumerStack = new Stack(app, 'C', { env: { account: '111111111111', region: 'us-east-1' } });
    const provider = new PrivateLinkProvider(providerStack, 'Provider', { allowedPrincipals: ['222222222222'] });
    new PrivateLinkConsumer(consumerStack, 'Consumer', { service: provider });
    expect(() => app.synth()).toThrow(
      /C\/Consumer.*service: the provider does not allow account 111111111111 \(this stack's\) to connect.*allowPrincipal\("111111111111"\)/s,
    );
  });

  test('GIVEN the account allowed later with allowPrincipal() THEN synth succeeds', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const provider = new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['222222222222'] });
    new PrivateLinkConsumer(stack, 'Consumer', { service: provider });
    provider.allowPrincipal('arn:aws:iam::111111111111:role/Deployer');
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN the provider in another account of the app THEN refused: CloudFormation cannot reference across accounts', () => {
    const app = new App();
    const providerStack = new Stack(app, 'P', { env: { account: '111111111111', region: 'us-east-1' } });
    const consumerStack = new Stack(app, 'C', { env: { account: '222222222222', region: 'us-east-1' } });
    const provider = new PrivateLinkProvider(providerStack, 'Provider', { allowedPrincipals: ['222222222222'] });
    const err = configError(() => new PrivateLinkConsumer(consumerStack, 'Consumer', { service: provider }));
    expect(err.message).toMatch(/^C\/Consumer: service: the provider's stack is in account 111111111111 and this stack in 222222222222.*PrivateLinkService\.fromServiceName/);
  });
});
