/**
 * The app's lifecycle setting rejectConnectionsOnDelete / REJECT_CONNECTIONS_ON_DELETE, and bad values
 * of the lifecycle settings failing the synth with the setting named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../app/app';
import { readConfig } from '../app/config';
import { SETTINGS, type ContextLookup } from '../app/settings';
import { configError } from './support/config-error';

const ROOT = join(__dirname, '..');
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const noContext: ContextLookup = () => undefined;
const TEARDOWN = 'Custom::PrivateLinkConnectionTeardown';

function providerTemplate(env: NodeJS.ProcessEnv, context: ContextLookup = noContext): Template {
  const app = new App({ context: CDK_JSON_CONTEXT });
  return Template.fromStack(buildApp(app, readConfig(env, context)).provider!);
}

test('the setting has its context key and env var', () => {
  expect(SETTINGS.rejectConnectionsOnDelete).toEqual({ context: 'rejectConnectionsOnDelete', env: 'REJECT_CONNECTIONS_ON_DELETE' });
});

describe('GIVEN REJECT_CONNECTIONS_ON_DELETE=true with consumer accounts', () => {
  const template = providerTemplate({ CONSUMER_ACCOUNT_ID: '222222222222', REJECT_CONNECTIONS_ON_DELETE: 'TRUE' });
  test('THEN the provider stack has the teardown custom resource, and acceptance stays manual', () => {
    template.resourceCountIs(TEARDOWN, 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
  });
  test('THEN the ServiceId output is there, and the setting adds no output', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toContain('ServiceId');
    expect(outputs).toEqual(Object.keys(providerTemplate({ CONSUMER_ACCOUNT_ID: '222222222222' }).toJSON().Outputs));
  });
});

test('GIVEN context rejectConnectionsOnDelete: true as cdk.json holds it (a boolean) in demo mode THEN the teardown is there', () => {
  const template = providerTemplate({}, (key) => (key === 'rejectConnectionsOnDelete' ? true : undefined));
  template.resourceCountIs(TEARDOWN, 1);
});

test('GIVEN REJECT_CONNECTIONS_ON_DELETE=false, or unset, THEN no teardown (the default: consumers are never cut off silently)', () => {
  expect(readConfig({ CONSUMER_ACCOUNT_ID: '222222222222', REJECT_CONNECTIONS_ON_DELETE: 'false' }, noContext).provider).toEqual({
    consumerAccountIds: ['222222222222'],
    acceptanceRequired: true,
    rejectConnectionsOnDelete: false,
  });
  expect(readConfig({ CONSUMER_ACCOUNT_ID: '222222222222' }, noContext).provider?.rejectConnectionsOnDelete).toBeUndefined();
  providerTemplate({ CONSUMER_ACCOUNT_ID: '222222222222', REJECT_CONNECTIONS_ON_DELETE: 'false' }).resourceCountIs(TEARDOWN, 0);
});

describe('bad values', () => {
  test('GIVEN REJECT_CONNECTIONS_ON_DELETE=yes THEN the message names the variable, the value and the two values', () => {
    const err = configError(() => readConfig({ REJECT_CONNECTIONS_ON_DELETE: 'yes' }, noContext));
    expect(err.message).toBe('REJECT_CONNECTIONS_ON_DELETE: "yes" is not a boolean. Use "true" or "false".');
  });

  test('GIVEN a bad context value THEN the message names the context key', () => {
    const err = configError(() => readConfig({}, (key) => (key === 'rejectConnectionsOnDelete' ? 'maybe' : undefined)));
    expect(err.message).toBe('context rejectConnectionsOnDelete: "maybe" is not a boolean. Use "true" or "false".');
  });

  test('GIVEN bad ACCEPTANCE and REJECT_CONNECTIONS_ON_DELETE together THEN one error names both (app/main.ts prints it and synthesizes nothing, see app.test.ts)', () => {
    const err = configError(() => readConfig({ CONSUMER_ACCOUNT_ID: '222222222222', ACCEPTANCE: 'automatic', REJECT_CONNECTIONS_ON_DELETE: '1' }, noContext));
    expect(err.problems).toEqual([
      'ACCEPTANCE: "automatic" is not an acceptance mode. Use "manual" (the default: the provider accepts each connection) or "auto".',
      'REJECT_CONNECTIONS_ON_DELETE: "1" is not a boolean. Use "true" or "false".',
    ]);
  });

  test('GIVEN REJECT_CONNECTIONS_ON_DELETE set but empty THEN refused as empty', () => {
    const err = configError(() => readConfig({ REJECT_CONNECTIONS_ON_DELETE: ' ' }, noContext));
    expect(err.message).toMatch(/^REJECT_CONNECTIONS_ON_DELETE is set but empty\./);
  });
});
