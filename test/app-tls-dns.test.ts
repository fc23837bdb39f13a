/**
 * The app's HTTPS and private DNS settings: CERTIFICATE_ARN, PRIVATE_DNS_NAME, HOSTED_ZONE_ID,
 * CONSUMER_PRIVATE_DNS and SERVICE_PORT (each also a context key), read, validated and wired.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../app/app';
import { readConfig } from '../app/config';
import { SETTINGS, type ContextLookup } from '../app/settings';
import { readAssembly, summarize } from '../app/summary';
import { configError } from './support/config-error';

const ROOT = join(__dirname, '..');
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const CERT = 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const noContext: ContextLookup = () => undefined;
const context =
  (values: Record<string, unknown>): ContextLookup =>
  (key) =>
    values[key];

function build(env: NodeJS.ProcessEnv) {
  const app = new App({ context: CDK_JSON_CONTEXT });
  const stacks = buildApp(app, readConfig(env, noContext));
  return {
    provider: stacks.provider && Template.fromStack(stacks.provider),
    consumer: stacks.consumer && Template.fromStack(stacks.consumer),
  };
}

function checkUrl(template: Template): unknown {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ CHECK_URL: Match.anyValue() }) } },
  });
  return Object.values(fns)[0].Properties.Environment.Variables.CHECK_URL;
}

test('the settings keep their documented names', () => {
  expect(SETTINGS).toMatchObject({
    certificateArn: { context: 'certificateArn', env: 'CERTIFICATE_ARN' },
    privateDnsName: { context: 'privateDnsName', env: 'PRIVATE_DNS_NAME' },
    hostedZoneId: { context: 'hostedZoneId', env: 'HOSTED_ZONE_ID' },
    consumerPrivateDns: { context: 'consumerPrivateDns', env: 'CONSUMER_PRIVATE_DNS' },
    servicePort: { context: 'servicePort', env: 'SERVICE_PORT' },
  });
});

describe('demo mode with HTTPS and a private DNS name verified in a zone', () => {
  // GIVEN every HTTPS / private DNS setting in demo mode WHEN the app is built (once)
  const { provider, consumer } = build({
    CERTIFICATE_ARN: CERT,
    PRIVATE_DNS_NAME: 'api.example.com',
    HOSTED_ZONE_ID: ZONE,
    CONSUMER_PRIVATE_DNS: 'true',
  });

  test('THEN the ALB listens HTTPS 443 with the certificate and the NLB forwards TCP 443', () => {
    provider!.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERT }],
    });
    provider!.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'TCP' });
    expect(JSON.stringify(provider!.findResources('AWS::ElasticLoadBalancingV2::Listener'))).not.toContain('"Protocol":"HTTP"');
  });

  test('THEN the private DNS name is verified in the zone and output with its record', () => {
    provider!.hasResourceProperties('Custom::PrivateLinkPrivateDnsName', { DomainName: 'api.example.com', HostedZoneId: ZONE });
    expect(Object.keys(provider!.toJSON().Outputs).filter((o) => !o.startsWith('Exports'))).toEqual([
      'ServiceName',
      'ServiceId',
      'AvailabilityZoneIds',
      'PrivateDnsName',
      'PrivateDnsState',
      'PrivateDnsTxtName',
      'PrivateDnsTxtValue',
    ]);
    provider!.hasOutput('PrivateDnsName', { Value: 'api.example.com' });
  });

  test('THEN the consumer enables private DNS and the check calls https://api.example.com:443/', () => {
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true });
    expect(checkUrl(consumer!)).toBe('https://api.example.com:443/');
  });
});

describe('provider mode with a private DNS name and no zone', () => {
  const { provider } = build({ CONSUMER_ACCOUNT_ID: '222222222222', CERTIFICATE_ARN: CERT, PRIVATE_DNS_NAME: 'api.example.com' });

  test('THEN the record to publish is output with the command that starts the verification', () => {
    const props = Object.values(provider!.findResources('Custom::PrivateLinkPrivateDnsName'))[0].Properties;
    expect(props.HostedZoneId).toBeUndefined();
    provider!.hasOutput('PrivateDnsTxtName', { Description: Match.stringLikeRegexp('^Publish a TXT record with this name') });
    provider!.hasOutput('PrivateDnsTxtValue', {
      Description: Match.stringLikeRegexp('aws ec2 start-vpc-endpoint-service-private-dns-verification'),
    });
  });
});

describe('consumer mode with private DNS on 443', () => {
  const { consumer } = build({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_NAME, CONSUMER_PRIVATE_DNS: 'true', SERVICE_PORT: '443' });

  test('THEN the endpoint enables private DNS, opens 443, and the check calls the name the preflight read', () => {
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true, ServiceName: SERVICE_NAME });
    consumer!.hasResourceProperties('Custom::PrivateLinkPreflight', { PrivateDnsEnabled: 'true', ServiceName: SERVICE_NAME });
    consumer!.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443 });
    expect(checkUrl(consumer!)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^ConsumerPreflight/), 'PrivateDnsName'] }, ':443/']],
    });
  });

  test('THEN AcceptanceRequired is output from the preflight', () => {
    consumer!.hasOutput('AcceptanceRequired', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerPreflight'), 'AcceptanceRequired'] },
    });
  });
});

describe('readConfig: HTTPS and private DNS settings', () => {
  test('GIVEN valid env values THEN they land on the side they configure', () => {
    expect(
      readConfig(
        {
          CONSUMER_ACCOUNT_ID: '222222222222',
          PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_NAME,
          CERTIFICATE_ARN: CERT,
          PRIVATE_DNS_NAME: 'api.example.com',
          HOSTED_ZONE_ID: ZONE,
          CONSUMER_PRIVATE_DNS: 'TRUE',
          SERVICE_PORT: '443',
        },
        noContext,
      ),
    ).toEqual({
      mode: 'provider+consumer',
      provider: {
        consumerAccountIds: ['222222222222'],
        acceptanceRequired: true,
        certificateArn: CERT,
        privateDnsName: 'api.example.com',
        hostedZoneId: ZONE,
      },
      consumer: { serviceName: SERVICE_NAME, privateDnsEnabled: true, port: 443 },
    });
  });

  test('GIVEN context values (booleans and numbers as cdk.json holds them) THEN they are read', () => {
    const config = readConfig(
      {},
      context({ serviceName: SERVICE_NAME, consumerPrivateDns: false, servicePort: 8443 }),
    );
    expect(config.consumer).toEqual({ serviceName: SERVICE_NAME, privateDnsEnabled: false, port: 8443 });
  });

  test.each([
    ['CERTIFICATE_ARN', 'arn:aws:acm:us-east-1:1:certificate/x', /^CERTIFICATE_ARN: "arn:aws:acm:us-east-1:1:certificate\/x" is not an ACM certificate ARN\./],
    ['PRIVATE_DNS_NAME', '*.example.com', /^PRIVATE_DNS_NAME: "\*\.example\.com" is a wildcard\./],
    ['PRIVATE_DNS_NAME', 'api.example.com.', /^PRIVATE_DNS_NAME: "api\.example\.com\." ends with a dot\./],
  ])('GIVEN %s=%s THEN the message names the variable and the value', (name, value, message) => {
    const err = configError(() => readConfig({ [name]: value }, noContext));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(message);
  });

  test('GIVEN a bad HOSTED_ZONE_ID THEN named (with PRIVATE_DNS_NAME set)', () => {
    const err = configError(() => readConfig({ PRIVATE_DNS_NAME: 'api.example.com', HOSTED_ZONE_ID: 'example.com' }, noContext));
    expect(err.message).toMatch(/^HOSTED_ZONE_ID: "example\.com" is not a Route 53 hosted zone ID\./);
  });

  test.each(['yes', '1', 'on'])('GIVEN CONSUMER_PRIVATE_DNS=%s THEN refused as not a boolean', (value) => {
    const err = configError(() => readConfig({ CONSUMER_PRIVATE_DNS: value, PRIVATE_DNS_NAME: 'api.example.com' }, noContext));
    expect(err.message).toBe(`CONSUMER_PRIVATE_DNS: ${JSON.stringify(value)} is not a boolean. Use "true" or "false".`);
  });

  test.each([
    ['abc', '"abc"'],
    ['0', '0'],
    ['70000', '70000'],
  ])('GIVEN SERVICE_PORT=%s THEN refused as not a TCP port', (value, shown) => {
    const err = configError(() => readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_NAME, SERVICE_PORT: value }, noContext));
    expect(err.message).toBe(`SERVICE_PORT: ${shown} is not a TCP port. Use a whole number from 1 to 65535.`);
  });

  test('GIVEN bad context values THEN the messages name the context keys', () => {
    const err = configError(() =>
      readConfig({}, context({ consumerAccountIds: '111111111111', certificateArn: 'x', privateDnsName: 'a', hostedZoneId: 'b' })),
    );
    expect(err.problems.map((p) => p.split(':')[0])).toEqual([
      'context certificateArn',
      'context privateDnsName',
      'context hostedZoneId',
    ]);
  });

  test('GIVEN HOSTED_ZONE_ID without PRIVATE_DNS_NAME THEN refused', () => {
    const err = configError(() => readConfig({ HOSTED_ZONE_ID: ZONE }, noContext));
    expect(err.message).toBe(
      'HOSTED_ZONE_ID is set but PRIVATE_DNS_NAME (context privateDnsName) is not: the hosted zone is where the private ' +
        'DNS name is verified. Set the name too, or unset the zone.',
    );
  });

  test('GIVEN provider settings in consumer-only mode THEN refused rather than ignored', () => {
    const err = configError(() =>
      readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_NAME, CERTIFICATE_ARN: CERT, PRIVATE_DNS_NAME: 'api.example.com' }, noContext),
    );
    expect(err.problems).toEqual([
      'CERTIFICATE_ARN is a provider setting, but no provider stack is synthesized (CONSUMER_ACCOUNT_ID is not set). Set the consumer accounts to build the provider, or unset it.',
      'PRIVATE_DNS_NAME is a provider setting, but no provider stack is synthesized (CONSUMER_ACCOUNT_ID is not set). Set the consumer accounts to build the provider, or unset it.',
    ]);
  });

  test('GIVEN consumer settings in provider-only mode THEN refused rather than ignored', () => {
    const err = configError(() =>
      readConfig({ CONSUMER_ACCOUNT_ID: '222222222222', CONSUMER_PRIVATE_DNS: 'true', SERVICE_PORT: '443' }, noContext),
    );
    expect(err.problems).toEqual([
      'CONSUMER_PRIVATE_DNS is a consumer setting, but no consumer stack is synthesized (PROVIDER_VPC_ENDPOINT_SERVICE_NAME is not set). Set the service name to build the consumer, or unset it.',
      'SERVICE_PORT is a consumer setting, but no consumer stack is synthesized (PROVIDER_VPC_ENDPOINT_SERVICE_NAME is not set). Set the service name to build the consumer, or unset it.',
    ]);
  });

  test('GIVEN SERVICE_PORT in demo mode THEN refused: the consumer uses the provider port', () => {
    const err = configError(() => readConfig({ SERVICE_PORT: '443' }, noContext));
    expect(err.message).toBe(
      "SERVICE_PORT: in demo mode the consumer uses the provider's port (443 with CERTIFICATE_ARN, else 80). Unset it.",
    );
  });

  test('GIVEN CONSUMER_PRIVATE_DNS=true in demo mode without PRIVATE_DNS_NAME THEN refused with the deploy error it prevents', () => {
    const err = configError(() => readConfig({ CONSUMER_PRIVATE_DNS: 'true' }, noContext));
    expect(err.message).toBe(
      'CONSUMER_PRIVATE_DNS=true needs a private DNS name on the provider: set PRIVATE_DNS_NAME (and HOSTED_ZONE_ID to ' +
        'verify it during the deploy), or unset it. Without one the endpoint fails with "Private DNS can\'t be enabled ' +
        'because the service ... does not provide a private DNS name".',
    );
  });

  test('GIVEN CONSUMER_PRIVATE_DNS=false in demo mode THEN fine without a name', () => {
    expect(readConfig({ CONSUMER_PRIVATE_DNS: 'false' }, noContext).consumer).toEqual({ privateDnsEnabled: false });
  });
});

describe('the synth summary', () => {
  test.each([
    [
      { CERTIFICATE_ARN: CERT, PRIVATE_DNS_NAME: 'api.example.com', HOSTED_ZONE_ID: ZONE },
      `Provider: private DNS name api.example.com, verified during the deploy (TXT record in ${ZONE})`,
    ],
    [
      { CERTIFICATE_ARN: CERT, PRIVATE_DNS_NAME: 'api.example.com' },
      'Provider: private DNS name api.example.com, publish the TXT record of the PrivateDnsTxtName/PrivateDnsTxtValue outputs, then verify',
    ],
  ])('GIVEN HTTPS and a private DNS name THEN it says so (%j)', (env, dnsLine) => {
    const outdir = mkdtempSync(join(tmpdir(), 'privatelink-summary-'));
    try {
      const app = new App({ outdir, context: CDK_JSON_CONTEXT });
      buildApp(app, readConfig(env, noContext));
      app.synth();
      const text = summarize(readAssembly(outdir), 'cdk.out');
      expect(text).toContain('Provider: HTTPS on port 443 (TLS at the ALB, TCP through the NLB)');
      expect(text).toContain(dnsLine);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
