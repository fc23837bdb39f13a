import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../app/app';
import { CONSUMER_STACK, PROVIDER_STACK } from '../src/stack-names';
import { readConfig, type AppConfig } from '../app/config';
import { type ContextLookup } from '../app/settings';
import { configError } from './support/config-error';

const ROOT = join(__dirname, '..');
const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
/** The feature flags the real app gets from cdk.json. */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;

const noContext: ContextLookup = () => undefined;
const context =
  (values: Record<string, unknown>): ContextLookup =>
  (key) =>
    values[key];

interface Built {
  readonly config: AppConfig;
  readonly app: App;
  readonly provider?: Template;
  readonly consumer?: Template;
  readonly stackNames: string[];
}

/** Reads the config and builds the app once (a new App per mode), as app/main.ts does. */
function build(env: NodeJS.ProcessEnv, lookup: ContextLookup = noContext): Built {
  const config = readConfig(env, lookup);
  const app = new App({ context: CDK_JSON_CONTEXT });
  const stacks = buildApp(app, config);
  return {
    config,
    app,
    provider: stacks.provider && Template.fromStack(stacks.provider),
    consumer: stacks.consumer && Template.fromStack(stacks.consumer),
    stackNames: app.node.children.filter((c): c is Stack => c instanceof Stack).map((s) => s.stackName),
  };
}

function rootArn(account: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] };
}

const OWN_ACCOUNT_ROOT = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
};

/** The check function (the one with a CHECK_URL; the preflight is a Node.js 24 function too). */
function checkFunction(template: Template): [string, { Properties: { Environment: { Variables: Record<string, string> } } }] {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ CHECK_URL: Match.anyValue() }) } },
  });
  expect(Object.keys(functions)).toHaveLength(1);
  return Object.entries(functions)[0] as [string, { Properties: { Environment: { Variables: Record<string, string> } } }];
}

/** The outputs each stack must have, by name. */
function outputNames(template: Template): string[] {
  return Object.keys(template.toJSON().Outputs ?? {}).filter((name) => !name.startsWith('ExportsOutput'));
}

describe('demo mode (neither consumerAccountIds nor serviceName)', () => {
  // GIVEN no setting WHEN the app is built (once)
  const built = build({});
  const provider = built.provider!;
  const consumer = built.consumer!;

  test('THEN the mode is demo and both stacks are synthesized', () => {
    expect(built.config.mode).toBe('demo');
    expect(built.stackNames).toEqual([PROVIDER_STACK, CONSUMER_STACK]);
    expect(PROVIDER_STACK).toBe('PrivateLinkProvider');
    expect(CONSUMER_STACK).toBe('PrivateLinkConsumer');
  });

  test('THEN the provider allows its own account, without acceptance', () => {
    provider.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
    provider.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      AllowedPrincipals: [OWN_ACCOUNT_ROOT],
    });
    provider.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: false });
  });

  test('THEN the consumer endpoint imports the service name from the provider stack', () => {
    consumer.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: false,
      ServiceName: {
        'Fn::Join': [
          '.',
          [
            'com.amazonaws.vpce',
            { Ref: 'AWS::Region' },
            { 'Fn::ImportValue': Match.stringLikeRegexp(`^${PROVIDER_STACK}:ExportsOutputRefProviderEndpointService`) },
          ],
        ],
      },
    });
  });

  test('THEN the check expects the demo ALB body "Hello from ALB!"', () => {
    consumer.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: Match.objectLike({ EXPECTED_BODY: 'Hello from ALB!', EXPECTED_STATUS: '200' }) },
    });
  });

  test('THEN the provider outputs ServiceName and ServiceId', () => {
    expect(outputNames(provider)).toEqual(['ServiceName', 'ServiceId', 'AvailabilityZoneIds']);
    const serviceRef = { Ref: Match.stringLikeRegexp('^ProviderEndpointService') };
    provider.hasOutput('ServiceName', {
      Value: { 'Fn::Join': ['.', ['com.amazonaws.vpce', { Ref: 'AWS::Region' }, serviceRef]] },
      Description: Match.stringLikeRegexp('PROVIDER_VPC_ENDPOINT_SERVICE_NAME'),
    });
    provider.hasOutput('ServiceId', { Value: serviceRef });
  });

  test('THEN the consumer outputs EndpointId, EndpointDnsName, CheckFunctionName and AcceptanceRequired', () => {
    expect(outputNames(consumer)).toEqual(['EndpointId', 'EndpointDnsName', 'CheckFunctionName', 'AcceptanceRequired']);
    const endpointId = Object.keys(consumer.findResources('AWS::EC2::VPCEndpoint'))[0];
    const [functionId] = checkFunction(consumer);
    consumer.hasOutput('EndpointId', { Value: { Ref: endpointId } });
    consumer.hasOutput('EndpointDnsName', {
      Value: {
        'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [endpointId, 'DnsEntries'] }] }] }],
      },
    });
    consumer.hasOutput('CheckFunctionName', { Value: { Ref: functionId } });
  });

  test('THEN both templates record the mode', () => {
    expect(provider.toJSON().Metadata).toEqual({ 'cdk-privatelink': { mode: 'demo' } });
    expect(consumer.toJSON().Metadata).toEqual({ 'cdk-privatelink': { mode: 'demo' } });
  });
});

describe('provider-only mode (CONSUMER_ACCOUNT_ID)', () => {
  // GIVEN two consumer accounts WHEN the app is built (once)
  const built = build({ CONSUMER_ACCOUNT_ID: '111111111111, 222222222222' });
  const provider = built.provider!;

  test('THEN only the provider stack is synthesized', () => {
    expect(built.config.mode).toBe('provider');
    expect(built.stackNames).toEqual([PROVIDER_STACK]);
    expect(built.consumer).toBeUndefined();
  });

  test('THEN the two accounts are the only principals (not the provider account)', () => {
    provider.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
    provider.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      AllowedPrincipals: [rootArn('111111111111'), rootArn('222222222222')],
    });
  });

  test('THEN acceptance is required by default', () => {
    provider.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
  });

  test('THEN the outputs are ServiceName and ServiceId, and the mode is recorded', () => {
    expect(outputNames(provider)).toEqual(['ServiceName', 'ServiceId', 'AvailabilityZoneIds']);
    expect(provider.toJSON().Metadata).toEqual({ 'cdk-privatelink': { mode: 'provider' } });
  });

  test('GIVEN ACCEPTANCE=auto THEN acceptance is off', () => {
    const auto = build({ CONSUMER_ACCOUNT_ID: '111111111111', ACCEPTANCE: 'auto' });
    expect(auto.stackNames).toEqual([PROVIDER_STACK]);
    auto.provider!.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: false });
    auto.provider!.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      AllowedPrincipals: [rootArn('111111111111')],
    });
  });
});

describe('consumer-only mode (PROVIDER_VPC_ENDPOINT_SERVICE_NAME)', () => {
  // GIVEN a valid service name WHEN the app is built (once)
  const built = build({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE_NAME });
  const consumer = built.consumer!;

  test('THEN only the consumer stack is synthesized', () => {
    expect(built.config.mode).toBe('consumer');
    expect(built.stackNames).toEqual([CONSUMER_STACK]);
    expect(built.provider).toBeUndefined();
  });

  test('THEN the endpoint uses the service name as a literal, private DNS off', () => {
    consumer.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: SERVICE_NAME,
      PrivateDnsEnabled: false,
    });
    expect(JSON.stringify(consumer.toJSON())).not.toContain('Fn::ImportValue');
  });

  test('THEN the check does not expect the demo body (the real service answers what it answers)', () => {
    const [, fn] = checkFunction(consumer);
    expect(fn.Properties.Environment.Variables.EXPECTED_BODY).toBeUndefined();
    expect(fn.Properties.Environment.Variables.EXPECTED_STATUS).toBe('200');
  });

  test('THEN the outputs are EndpointId, EndpointDnsName, CheckFunctionName and AcceptanceRequired', () => {
    expect(outputNames(consumer)).toEqual(['EndpointId', 'EndpointDnsName', 'CheckFunctionName', 'AcceptanceRequired']);
  });
});

describe('both settings (one repo serving both teams)', () => {
  // GIVEN accounts from the env and the service name from context WHEN built (once)
  const built = build({ CONSUMER_ACCOUNT_ID: '333333333333' }, context({ serviceName: SERVICE_NAME }));

  test('THEN both stacks are synthesized, each from its own setting', () => {
    expect(built.config.mode).toBe('provider+consumer');
    expect(built.stackNames).toEqual([PROVIDER_STACK, CONSUMER_STACK]);
    built.provider!.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      AllowedPrincipals: [rootArn('333333333333')],
    });
    built.provider!.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
    built.consumer!.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: SERVICE_NAME });
  });

  test('THEN the consumer is not wired to the provider of this app', () => {
    expect(JSON.stringify(built.consumer!.toJSON())).not.toContain('Fn::ImportValue');
    expect(Object.keys(built.provider!.toJSON().Outputs)).toEqual(['ServiceName', 'ServiceId', 'AvailabilityZoneIds']);
  });
});

describe('readConfig', () => {
  test('GIVEN nothing THEN demo with automatic acceptance', () => {
    expect(readConfig({}, noContext)).toEqual({
      mode: 'demo',
      provider: { consumerAccountIds: [], acceptanceRequired: false },
      consumer: {},
    });
  });

  test('GIVEN context values (as cdk.json could hold them) THEN they are read', () => {
    expect(
      readConfig({}, context({ consumerAccountIds: ['111111111111', '222222222222'], acceptance: 'AUTO' })),
    ).toEqual({
      mode: 'provider',
      provider: { consumerAccountIds: ['111111111111', '222222222222'], acceptanceRequired: false },
      consumer: undefined,
    });
  });

  test('GIVEN an account listed twice THEN it is kept once', () => {
    expect(readConfig({ CONSUMER_ACCOUNT_ID: '111111111111,111111111111' }, noContext).provider).toEqual({
      consumerAccountIds: ['111111111111'],
      acceptanceRequired: true,
    });
  });

  test('GIVEN a setting both in env and context THEN the env var wins (a bad context value is not even read)', () => {
    const config = readConfig(
      { CONSUMER_ACCOUNT_ID: '111111111111', ACCEPTANCE: 'manual' },
      context({ consumerAccountIds: '12345', acceptance: 'auto', serviceName: SERVICE_NAME }),
    );
    expect(config).toEqual({
      mode: 'provider+consumer',
      provider: { consumerAccountIds: ['111111111111'], acceptanceRequired: true },
      consumer: { serviceName: SERVICE_NAME },
    });
  });

  test('GIVEN CONSUMER_ACCOUNT_ID=12345 THEN the message names the variable, the value, the digit count and the fix', () => {
    const err = configError(() => readConfig({ CONSUMER_ACCOUNT_ID: '12345' }, noContext));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(/^CONSUMER_ACCOUNT_ID: "12345" is not an AWS account ID\. It has 5 digits/);
    expect(err.message).toContain('Use the 12-digit ID of the account');
    expect(err.message).toContain('comma-separated: 111111111111,222222222222');
  });

  test('GIVEN one bad ID in a list THEN only that ID is reported', () => {
    const err = configError(() =>
      readConfig({ CONSUMER_ACCOUNT_ID: '111111111111,22222222222x,333333333333' }, noContext),
    );
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(/^CONSUMER_ACCOUNT_ID: "22222222222x" is not an AWS account ID\./);
    expect(err.message).not.toContain('"111111111111"');
  });

  test('GIVEN CONSUMER_ACCOUNT_ID set to "" THEN refused (the seed synthesized arn:aws:iam::undefined:root)', () => {
    const err = configError(() => readConfig({ CONSUMER_ACCOUNT_ID: '' }, noContext));
    expect(err.message).toBe(
      'CONSUMER_ACCOUNT_ID is set but empty. Unset it, or set it to a value (see README "Configuration").',
    );
  });

  test('GIVEN PROVIDER_VPC_ENDPOINT_SERVICE_NAME set to blanks THEN refused as empty', () => {
    const err = configError(() => readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: '  ' }, noContext));
    expect(err.message).toMatch(/^PROVIDER_VPC_ENDPOINT_SERVICE_NAME is set but empty\./);
  });

  test('GIVEN an empty context value THEN refused, naming the context key', () => {
    const err = configError(() => readConfig({}, context({ serviceName: '' })));
    expect(err.message).toMatch(/^context serviceName is set but empty\. Remove it/);
  });

  test('GIVEN a bad service name THEN the message names the variable, shows the value and an example', () => {
    const err = configError(() =>
      readConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: 'com.amazonaws.vpce.us-east-1.vpce-svc-123' }, noContext),
    );
    expect(err.message).toMatch(
      /^PROVIDER_VPC_ENDPOINT_SERVICE_NAME: "com\.amazonaws\.vpce\.us-east-1\.vpce-svc-123" is not a VPC endpoint service name\./,
    );
    expect(err.message).toContain(`e.g. "${SERVICE_NAME}"`);
  });

  test('GIVEN a bad ACCEPTANCE THEN the message names it, shows the value and the two modes', () => {
    const err = configError(() => readConfig({ ACCEPTANCE: 'yes' }, noContext));
    expect(err.message).toMatch(/^ACCEPTANCE: "yes" is not an acceptance mode\./);
    expect(err.message).toContain('"manual"');
    expect(err.message).toContain('"auto"');
  });

  test('GIVEN bad context values THEN the messages name the context keys', () => {
    const err = configError(() =>
      readConfig({}, context({ consumerAccountIds: '12345', serviceName: 'svc', acceptance: 'maybe' })),
    );
    expect(err.problems).toHaveLength(3);
    expect(err.message).toContain('context consumerAccountIds: "12345" is not an AWS account ID');
    expect(err.message).toContain('context serviceName: "svc" is not a VPC endpoint service name');
    expect(err.message).toContain('context acceptance: "maybe" is not an acceptance mode');
    expect(err.message).not.toContain('CONSUMER_ACCOUNT_ID:');
  });

  test('GIVEN several bad env vars THEN one error lists them all, one per line', () => {
    const err = configError(() =>
      readConfig({ CONSUMER_ACCOUNT_ID: '123,abc', PROVIDER_VPC_ENDPOINT_SERVICE_NAME: 'x', ACCEPTANCE: '1' }, noContext),
    );
    expect(err.problems).toHaveLength(4);
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('4 configuration problems:');
    expect(lines.slice(1).map((l) => l.match(/^ {2}- ([A-Z_]+): /)?.[1]).sort()).toEqual([
      'ACCEPTANCE',
      'CONSUMER_ACCOUNT_ID',
      'CONSUMER_ACCOUNT_ID',
      'PROVIDER_VPC_ENDPOINT_SERVICE_NAME',
    ]);
    expect(err.message).toContain('"123"');
    expect(err.message).toContain('"abc"');
  });
});

describe('app/main.ts as a process (what `cdk synth` runs)', () => {
  test('GIVEN CONSUMER_ACCOUNT_ID=123 WHEN run THEN exit 1, a message naming the variable and value, and no template', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-privatelink-app-test-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir, CONSUMER_ACCOUNT_ID: '123' };
      for (const key of ['PROVIDER_VPC_ENDPOINT_SERVICE_NAME', 'ACCEPTANCE', 'CDK_CONTEXT_JSON']) delete env[key];
      const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], { cwd: ROOT, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

      expect(code).toBe(1);
      expect(stderr).toContain('invalid configuration, nothing was synthesized');
      expect(stderr).toContain('CONSUMER_ACCOUNT_ID: "123" is not an AWS account ID');
      expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json') || f === 'manifest.json')).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 30_000);
});
