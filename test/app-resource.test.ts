/**
 * The app's PrivateLink for resources settings (RESOURCE_TARGET, RESOURCE_PORT, RESOURCE_CONFIGURATION_ARN):
 * read from env vars and context, validated naming the variable, wired into the stacks, summarized and
 * priced.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildApp } from '../app/app';
import { readConfig } from '../app/config';
import { resourceTargetKind } from '../app/resource-settings';
import { type ContextLookup } from '../app/settings';
import { readAssembly, summarize } from '../app/summary';
import { buildTemplates } from './support/app';
import { configError } from './support/config-error';

const RDS = 'arn:aws:rds:us-east-1:111111111111:db:orders';
const RCFG = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
const noContext: ContextLookup = () => undefined;


describe('provider: RESOURCE_TARGET (an RDS ARN) shared with CONSUMER_ACCOUNT_ID', () => {
  // GIVEN (built once)
  const { provider, consumer } = buildTemplates({ RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '222222222222,333333333333' });

  test('THEN a resource gateway, a configuration of type ARN and one share with both accounts; no load balancer, no endpoint service', () => {
    expect(consumer).toBeUndefined();
    provider!.resourceCountIs('AWS::VpcLattice::ResourceGateway', 1);
    provider!.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', { ResourceConfigurationType: 'ARN', ResourceConfigurationDefinition: { ArnResource: RDS } });
    provider!.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: ['222222222222', '333333333333'], AllowExternalPrincipals: true });
    provider!.resourceCountIs('AWS::EC2::VPCEndpointService', 0);
    provider!.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('THEN outputs for the consumer team: the configuration ARN and ID, the port and the share', () => {
    provider!.hasOutput('ResourceConfigurationArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedResource[0-9A-F]{8}$'), 'Arn'] } });
    provider!.hasOutput('ResourceConfigurationId', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedResource[0-9A-F]{8}$'), 'Id'] } });
    provider!.hasOutput('ResourcePort', { Value: '5432' });
    provider!.hasOutput('ResourceShareArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedResourceShare'), 'Arn'] } });
  });
});

test('the provider stack warns that its gateway is in a new VPC, and how to use an existing one', () => {
  const app = new App();
  const { provider } = buildApp(app, readConfig({ RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '222222222222' }, noContext));
  const warnings = Annotations.fromStack(provider!).findWarning('*', Match.stringLikeRegexp('new isolated VPC of its own'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0].entry.data).toContain('new PrivateLinkResource(stack, id, { vpc, target, port })');
});

describe('demo: RESOURCE_TARGET alone (a DNS name)', () => {
  // GIVEN (built once)
  const { provider, consumer } = buildTemplates({ RESOURCE_TARGET: 'db.internal.example.com', RESOURCE_PORT: '3306' });

  test('THEN both sides in one account: no share, the resource endpoint wired to the configuration of the provider stack', () => {
    provider!.resourceCountIs('AWS::RAM::ResourceShare', 0);
    provider!.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationDefinition: { DnsResource: { DomainName: 'db.internal.example.com', IpAddressType: 'IPV4' } },
      PortRanges: ['3306'],
    });
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Resource',
      ResourceConfigurationArn: { 'Fn::ImportValue': Match.stringLikeRegexp('^PrivateLinkProvider:ExportsOutputFnGetAttSharedResource') },
    });
  });

  test('THEN the check connects over TCP to the endpoint DNS name on 3306', () => {
    consumer!.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHECK_URL: { 'Fn::Join': ['', ['tcp://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointDnsName'), 'DnsName'] }, ':3306']] } }) },
    });
    consumer!.hasOutput('EndpointId', {});
    // the ARN is the provider's export: not repeated as an output (cfn-lint W6001)
    expect(consumer!.findOutputs('ResourceConfigurationArn')).toEqual({});
  });
});

describe('consumer: RESOURCE_CONFIGURATION_ARN and RESOURCE_PORT (from context)', () => {
  test('THEN a resource endpoint to the ARN in a new VPC, and no provider stack', () => {
    const context: Record<string, unknown> = { resourceConfigurationArn: RCFG, resourcePort: 5432, consumerPrivateDns: 'true' };
    const { provider, consumer } = buildTemplates({}, (key) => context[key]);
    expect(provider).toBeUndefined();
    consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Resource', ResourceConfigurationArn: RCFG, PrivateDnsEnabled: true });
    consumer!.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, ToPort: 5432 });
    consumer!.hasOutput('ResourceConfigurationArn', { Value: RCFG });
  });
});

test('resourceTargetKind: an ARN, an IP address (malformed ones too), else a DNS name', () => {
  expect(['arn:aws:rds:x', '10.0.1.20', '10.0.1.300', 'fd00::1', 'db.example.com'].map(resourceTargetKind)).toEqual([
    'arn',
    'ip-address',
    'ip-address',
    'ip-address',
    'dns-name',
  ]);
});

describe('bad values stop the synth, naming the variable', () => {
  test.each([
    ['a malformed IP address', { RESOURCE_TARGET: '10.0.1.300', RESOURCE_PORT: '80' }, /^RESOURCE_TARGET: "10\.0\.1\.300" is not an IP address\./],
    ['a malformed DNS name', { RESOURCE_TARGET: 'db_1.example.com', RESOURCE_PORT: '80' }, /^RESOURCE_TARGET: "db_1\.example\.com" is not a DNS name/],
    ['an unsupported ARN', { RESOURCE_TARGET: 'arn:aws:s3:::bucket', RESOURCE_PORT: '443' }, /^RESOURCE_TARGET: "arn:aws:s3:::bucket" is an ARN of s3/],
    ['a port out of range', { RESOURCE_TARGET: RDS, RESOURCE_PORT: '70000' }, /^RESOURCE_PORT: 70000 is not a TCP port/],
    ['a port that is not a number', { RESOURCE_TARGET: RDS, RESOURCE_PORT: 'postgres' }, /^RESOURCE_PORT: "postgres" is not a TCP port/],
    ['no port', { RESOURCE_TARGET: RDS }, /^RESOURCE_PORT is missing: RESOURCE_TARGET needs the resource's TCP port/],
    ['a port alone', { RESOURCE_PORT: '5432' }, /^RESOURCE_PORT is the port of a shared resource: set RESOURCE_TARGET \(provider\) or RESOURCE_CONFIGURATION_ARN \(consumer\) too/],
    ['a configuration ID for the ARN', { RESOURCE_CONFIGURATION_ARN: 'rcfg-0123456789abcdef0', RESOURCE_PORT: '5432' }, /^RESOURCE_CONFIGURATION_ARN: "rcfg-0123456789abcdef0" is not a resource configuration ARN\. That is the configuration ID/],
    ['a share principal that is no account', { RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '2222' }, /^CONSUMER_ACCOUNT_ID: "2222" is not an AWS account ID/],
    [
      'both consumer kinds',
      { RESOURCE_CONFIGURATION_ARN: RCFG, RESOURCE_PORT: '5432', PROVIDER_VPC_ENDPOINT_SERVICE_NAME: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' },
      /^RESOURCE_CONFIGURATION_ARN and PROVIDER_VPC_ENDPOINT_SERVICE_NAME are both set: the consumer stack builds one endpoint/,
    ],
    [
      'an endpoint-service setting with a resource',
      { RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '222222222222', ACCEPTANCE: 'auto' },
      /^ACCEPTANCE configures an endpoint service, and RESOURCE_TARGET shares a resource without one/,
    ],
    [
      'OUs to keep in sync with a resource',
      { RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ORGANIZATIONAL_UNITS: 'ou-ab12-cdef3456' },
      /^CONSUMER_ORGANIZATIONAL_UNITS configures an endpoint service, and RESOURCE_TARGET shares a resource without one/,
    ],
    ['SERVICE_PORT for a resource endpoint', { RESOURCE_CONFIGURATION_ARN: RCFG, RESOURCE_PORT: '5432', SERVICE_PORT: '5432' }, /^SERVICE_PORT applies to an endpoint to an endpoint service, not to a resource endpoint \(RESOURCE_CONFIGURATION_ARN\)\. Give the resource's port as RESOURCE_PORT\./],
    ['IP_ADDRESS_TYPE for a resource endpoint', { RESOURCE_CONFIGURATION_ARN: RCFG, RESOURCE_PORT: '5432', IP_ADDRESS_TYPE: 'dualstack' }, /^IP_ADDRESS_TYPE: the app's resource endpoint is IPv4/],
    ['a target without a provider stack', { RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', RESOURCE_CONFIGURATION_ARN: RCFG }, /^RESOURCE_TARGET is a provider setting, but no provider stack is synthesized: set CONSUMER_ACCOUNT_ID/],
    ['an empty variable', { RESOURCE_TARGET: ' ', RESOURCE_PORT: '5432' }, /^RESOURCE_TARGET is set but empty/],
  ] as Array<[string, NodeJS.ProcessEnv, RegExp]>)('GIVEN %s THEN refused', (_name, env, message) => {
    const err = configError(() => readConfig(env, noContext));
    expect(err.problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('GIVEN a bad context value THEN the message names the context key', () => {
    const context: Record<string, unknown> = { resourceTarget: 'not a name', resourcePort: '5432' };
    expect(configError(() => readConfig({}, (k) => context[k])).problems).toEqual([expect.stringMatching(/^context resourceTarget: "not a name" is not a DNS name/)]);
  });
});

describe('the synth summary and the cost estimate', () => {
  function summaryOf(env: NodeJS.ProcessEnv): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resource-summary-'));
    try {
      const app = new App({ outdir });
      buildApp(app, readConfig(env, noContext));
      app.synth();
      return summarize(readAssembly(outdir), 'cdk.out');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('GIVEN the provider THEN what is shared, with whom, the next steps, and the gateway priced per GB only', () => {
    const text = summaryOf({ RESOURCE_TARGET: RDS, RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '222222222222' });
    expect(text).toContain('Mode: provider — a resource shared with the consumer accounts (PrivateLink for resources)');
    expect(text).toContain(`Provider: shares ${RDS} on the database's port through a resource gateway (no load balancer, no endpoint service)`);
    expect(text).toContain('Provider: RAM share with 222222222222; accounts outside the organization accept the invitation (privatelink accept-share)');
    expect(text).toContain('Estimated cost: $0.00/month fixed');
    expect(text).toContain('$0.01 per GB (data to the shared resources (resource gateway))');
    expect(text).toContain('send the ResourceConfigurationArn and ResourcePort outputs to the consumer team (RESOURCE_CONFIGURATION_ARN, RESOURCE_PORT)');
  });

  test('GIVEN the consumer THEN the resource endpoint, its AZ-hours, and accept-share among the next steps', () => {
    const text = summaryOf({ RESOURCE_CONFIGURATION_ARN: RCFG, RESOURCE_PORT: '5432' });
    expect(text).toContain('Mode: consumer — a resource endpoint to a shared resource (PrivateLink for resources)');
    expect(text).toContain(`Consumer: resource endpoint to ${RCFG}; the check connects over TCP`);
    expect(text).toContain('  Resource endpoint, per AZ        2 × $0.01/h      $14.60');
    expect(text).toContain(`npx privatelink accept-share ${RCFG}`);
  });
});
