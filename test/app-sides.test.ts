/**
 * The app settings for cross-region, dual-stack, AZ IDs and the scheduled check: read from env vars and
 * context, validated with messages naming the variable, and wired into the stacks.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../app/config';
import { type ContextLookup } from '../app/settings';
import { buildTemplates } from './support/app';
import { configError } from './support/config-error';

const SERVICE_IN_US_EAST_1 = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const noContext: ContextLookup = () => undefined;


describe('demo mode with IP_ADDRESS_TYPE=dualstack, ALLOWED_REGIONS and CHECK_SCHEDULE_MINUTES', () => {
  // GIVEN the three settings in demo mode (built once)
  const { provider, consumer } = buildTemplates({ IP_ADDRESS_TYPE: 'DualStack', ALLOWED_REGIONS: 'eu-west-1, ap-northeast-1,eu-west-1', CHECK_SCHEDULE_MINUTES: '10' });

  test('THEN the provider service is dual-stack and allows the two regions (once each)', () => {
    provider!.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      SupportedIpAddressTypes: ['ipv4', 'ipv6'],
      SupportedRegions: ['eu-west-1', 'ap-northeast-1'],
    });
    provider!.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', IpAddressType: 'dualstack' });
  });

  test('THEN the consumer endpoint is dual-stack, in a dual-stack VPC', () => {
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack', DnsOptions: { DnsRecordIpType: 'dualstack' } });
    consumer!.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
  });

  test('THEN the check runs every 10 minutes with an alarm', () => {
    consumer!.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(10 minutes)' });
    consumer!.hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 600, MetricName: 'Success' });
  });
});

describe('consumer mode with SERVICE_REGION (from context)', () => {
  test('THEN the endpoint is cross-region, in subnets of its own region', () => {
    const context: Record<string, unknown> = { serviceName: SERVICE_IN_US_EAST_1, serviceRegion: 'us-east-1' };
    const { provider, consumer } = buildTemplates({}, (key) => context[key]);
    expect(provider).toBeUndefined();
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: 'us-east-1' });
    const subnets = Object.values(consumer!.findResources('AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZoneId)).toEqual([undefined, undefined]);
    consumer!.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('GIVEN SERVICE_AVAILABILITY_ZONE_IDS too THEN refused: those AZ IDs are of the service\'s region, not the consumer\'s', () => {
    const err = configError(() =>
      readConfig(
        { PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, SERVICE_REGION: 'us-east-1', SERVICE_AVAILABILITY_ZONE_IDS: 'use1-az2,use1-az4' },
        () => undefined,
      ),
    );
    expect(err.message).toBe(
      'SERVICE_AVAILABILITY_ZONE_IDS: the AZ IDs are the service\'s, in us-east-1 (SERVICE_REGION), and a cross-region ' +
        "consumer's subnets are in its own region, which those IDs do not name. Unset it: any AZ of the consumer's region works.",
    );
  });
});

describe('defaults', () => {
  test('GIVEN none of the settings THEN no IPv6, no regions, no schedule (the templates stay as before)', () => {
    const { provider, consumer } = buildTemplates({});
    provider!.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      SupportedIpAddressTypes: Match.absent(),
      SupportedRegions: Match.absent(),
    });
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: Match.absent(), ServiceRegion: Match.absent() });
    consumer!.resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('readConfig refuses bad values of these settings', () => {
  test('GIVEN a bad region in ALLOWED_REGIONS THEN the message names the variable and the value', () => {
    const err = configError(() => readConfig({ ALLOWED_REGIONS: 'eu-west-1,Frankfurt' }, noContext));
    expect(err.message).toBe(
      'ALLOWED_REGIONS: "Frankfurt" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1". Several are comma-separated.',
    );
  });

  test('GIVEN IP_ADDRESS_TYPE=ipv6 THEN refused with the two choices', () => {
    const err = configError(() => readConfig({ IP_ADDRESS_TYPE: 'ipv6' }, noContext));
    expect(err.message).toBe('IP_ADDRESS_TYPE: "ipv6" is not an IP address type. Use "ipv4" (the default) or "dualstack" (IPv4 and IPv6 on both sides).');
  });

  test.each([
    ['0', 'CHECK_SCHEDULE_MINUTES: 0 is not a schedule in whole minutes. Use a whole number of minutes from 1 to 1440 (one day), e.g. 5.'],
    ['1441', 'CHECK_SCHEDULE_MINUTES: 1441 is not a schedule in whole minutes. Use a whole number of minutes from 1 to 1440 (one day), e.g. 5.'],
    ['2.5', 'CHECK_SCHEDULE_MINUTES: "2.5" is not a whole number of minutes. Use e.g. 5 (from 1 to 1440).'],
    ['five', 'CHECK_SCHEDULE_MINUTES: "five" is not a whole number of minutes. Use e.g. 5 (from 1 to 1440).'],
  ])('GIVEN CHECK_SCHEDULE_MINUTES=%s THEN refused, naming it', (value, message) => {
    const err = configError(() => readConfig({ CHECK_SCHEDULE_MINUTES: value }, noContext));
    expect(err.message).toBe(message);
  });

  test('GIVEN context checkScheduleMinutes as a JSON number THEN read', () => {
    const config = readConfig({}, (key) => (key === 'checkScheduleMinutes' ? 15 : undefined));
    expect(config.consumer?.checkScheduleMinutes).toBe(15);
  });

  test('GIVEN SERVICE_REGION that differs from the region in the service name THEN refused, naming SERVICE_REGION', () => {
    const err = configError(() =>
      readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, SERVICE_REGION: 'eu-west-1' }, noContext),
    );
    expect(err.message).toBe(
      `SERVICE_REGION: "eu-west-1" differs from the region in the service name "${SERVICE_IN_US_EAST_1}" (us-east-1). ` +
        'The service lives in us-east-1: set SERVICE_REGION to "us-east-1" or leave it unset.',
    );
  });

  test('GIVEN SERVICE_REGION in demo mode THEN refused: both sides are in one region', () => {
    const err = configError(() => readConfig({ SERVICE_REGION: 'us-east-1' }, noContext));
    expect(err.message).toBe(
      'SERVICE_REGION is for a consumer of a service in another region, named by PROVIDER_VPC_ENDPOINT_SERVICE_NAME. In demo mode both sides are in one region: unset it.',
    );
  });

  test('GIVEN SERVICE_REGION with only the provider configured THEN refused: set the service name too', () => {
    const err = configError(() => readConfig({ CONSUMER_ACCOUNT_ID: '222222222222', SERVICE_REGION: 'us-east-1' }, noContext));
    expect(err.message).toBe(
      'SERVICE_REGION is for a consumer of a service in another region, named by PROVIDER_VPC_ENDPOINT_SERVICE_NAME. Set PROVIDER_VPC_ENDPOINT_SERVICE_NAME too, or unset it.',
    );
  });

  test('GIVEN the CLI deploys to eu-west-1 and the service is in us-east-1 without SERVICE_REGION THEN refused with the fix', () => {
    const err = configError(() =>
      readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, CDK_DEFAULT_REGION: 'eu-west-1' }, noContext),
    );
    expect(err.message).toBe(
      'PROVIDER_VPC_ENDPOINT_SERVICE_NAME: the service is in us-east-1 and the consumer deploys to eu-west-1 (CDK_DEFAULT_REGION). ' +
        'For a cross-region endpoint set SERVICE_REGION=us-east-1 (the provider must allow eu-west-1: its ALLOWED_REGIONS), or deploy in us-east-1.',
    );
  });

  test('GIVEN the CLI deploys to the service region THEN no SERVICE_REGION is needed', () => {
    const config = readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, CDK_DEFAULT_REGION: 'us-east-1' }, noContext);
    expect(config.consumer?.serviceRegion).toBeUndefined();
  });

  test('GIVEN consumer-only settings without the consumer THEN each is refused, naming what to set', () => {
    const err = configError(() =>
      readConfig({ CONSUMER_ACCOUNT_ID: '222222222222', CHECK_SCHEDULE_MINUTES: '5', SERVICE_AVAILABILITY_ZONE_IDS: 'use1-az1' }, noContext),
    );
    expect(err.problems).toEqual([
      'CHECK_SCHEDULE_MINUTES applies to the consumer stack, which this configuration does not build. Set PROVIDER_VPC_ENDPOINT_SERVICE_NAME too, or unset it.',
      'SERVICE_AVAILABILITY_ZONE_IDS applies to the consumer stack, which this configuration does not build. Set PROVIDER_VPC_ENDPOINT_SERVICE_NAME too, or unset it.',
    ]);
  });

  test('GIVEN ALLOWED_REGIONS without the provider THEN refused, naming CONSUMER_ACCOUNT_ID', () => {
    const err = configError(() => readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, ALLOWED_REGIONS: 'eu-west-1' }, noContext));
    expect(err.message).toBe(
      'ALLOWED_REGIONS applies to the provider stack, which this configuration does not build. Set CONSUMER_ACCOUNT_ID too, or unset it.',
    );
  });

  test('GIVEN an AZ name in SERVICE_AVAILABILITY_ZONE_IDS THEN refused, saying names differ per account', () => {
    const err = configError(() =>
      readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_IN_US_EAST_1, SERVICE_AVAILABILITY_ZONE_IDS: 'use1-az1,us-east-1b' }, noContext),
    );
    expect(err.message).toMatch(
      /^SERVICE_AVAILABILITY_ZONE_IDS: "us-east-1b" is not an Availability Zone ID\. That is an AZ name, which means a different zone in each account\./,
    );
  });

  test('GIVEN bad context values THEN the messages name the context keys', () => {
    const context: Record<string, unknown> = { ipAddressType: 'both', allowedRegions: ['mars-1'] };
    const err = configError(() => readConfig({}, (key) => context[key]));
    expect(err.problems).toEqual([
      'context allowedRegions: "mars-1" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1". Several are comma-separated.',
      'context ipAddressType: "both" is not an IP address type. Use "ipv4" (the default) or "dualstack" (IPv4 and IPv6 on both sides).',
    ]);
  });
});

describe('CHECK_PROTOCOL / context checkProtocol', () => {
  /** The check function's environment (CHECK_URL is a token: its JSON shows the scheme). */
  function checkEnv(consumer: Template): Record<string, unknown> {
    const fns = Object.values(consumer.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties?.Environment?.Variables?.CHECK_URL !== undefined,
    );
    expect(fns).toHaveLength(1);
    return fns[0].Properties.Environment.Variables as Record<string, unknown>;
  }

  test('GIVEN demo mode and CHECK_PROTOCOL=TCP THEN the check connects to tcp://…:80 and expects no body', () => {
    const env = checkEnv(buildTemplates({ CHECK_PROTOCOL: 'TCP' }).consumer!);
    expect(JSON.stringify(env.CHECK_URL)).toMatch(/"tcp:\/\/"/);
    expect(JSON.stringify(env.CHECK_URL)).toMatch(/":80"\]/);
    expect(env.EXPECTED_BODY).toBeUndefined();
  });

  test('GIVEN demo mode without it THEN HTTP with the demo body (the default follows the service)', () => {
    const env = checkEnv(buildTemplates({}).consumer!);
    expect(JSON.stringify(env.CHECK_URL)).toMatch(/"http:\/\/"/);
    expect(env.EXPECTED_BODY).toBe('Hello from ALB!');
  });

  test('GIVEN a consumer of a service name and context checkProtocol=tls THEN tls://', () => {
    const context: Record<string, unknown> = { serviceName: SERVICE_IN_US_EAST_1, checkProtocol: 'tls', servicePort: '5432' };
    const env = checkEnv(buildTemplates({}, (key) => context[key]).consumer!);
    expect(JSON.stringify(env.CHECK_URL)).toMatch(/"tls:\/\/"/);
    expect(JSON.stringify(env.CHECK_URL)).toContain(':5432');
  });

  test.each([
    [{ CHECK_PROTOCOL: 'udp' }, 'CHECK_PROTOCOL: "udp" is not a check protocol. Use "http", "https", "tcp" (the connection opens) or "tls" (a verified TLS handshake), or unset it: the check then speaks what the service is.'],
    [{ CONSUMER_ACCOUNT_ID: '222222222222', CHECK_PROTOCOL: 'tcp' }, 'CHECK_PROTOCOL applies to the consumer stack, which this configuration does not build. Set PROVIDER_VPC_ENDPOINT_SERVICE_NAME too, or unset it.'],
  ])('GIVEN %p THEN refused, naming it', (env, message) => {
    const err = configError(() => readConfig(env, noContext));
    expect(err.problems).toEqual([message]);
  });
});
