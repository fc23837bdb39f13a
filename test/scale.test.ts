/**
 * Many consumers: 1,000 allowed principals and 20 consumer endpoints in one app. Principals are data:
 * one permissions resource, duplicates merged, templates within CloudFormation's limits.
 * (Synth time at 1, 10, 100 and 1,000 principals is measured by `npm run bench`, not here.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { COMPACT_PRINCIPALS_ABOVE } from '../src/provider/principals';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';

/** CloudFormation's limits on a template body: uploaded directly, and from S3 (what CDK does). */
const DIRECT_UPLOAD_LIMIT = 51_200;
const S3_TEMPLATE_LIMIT = 1_000_000;
const RESOURCE_LIMIT = 500;

const accounts = Array.from({ length: 1000 }, (_, i) => String(100_000_000_000 + i));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-scale-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

type Json = unknown;

/** Evaluates the intrinsics the permissions list may use, as CloudFormation would in partition `aws`. */
function evaluate(value: Json): Json {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(evaluate);
  const [fn, arg] = Object.entries(value as Record<string, Json>)[0];
  switch (fn) {
    case 'Ref':
      if (arg === 'AWS::Partition') return 'aws';
      throw new Error(`unexpected Ref ${String(arg)}`);
    case 'Fn::Join': {
      const [sep, items] = arg as [string, Json[]];
      return (evaluate(items) as string[]).join(sep);
    }
    case 'Fn::Split': {
      const [sep, source] = arg as [string, Json];
      return (evaluate(source) as string).split(sep);
    }
    case 'Fn::Sub': {
      const [body, vars] = arg as [string, Record<string, Json>];
      return body.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (name === 'AWS::Partition') return 'aws';
        if (!(name in vars)) throw new Error(`unknown variable ${name}`);
        return evaluate(vars[name]) as string;
      });
    }
    default:
      throw new Error(`unexpected intrinsic ${fn}`);
  }
}

function readTemplate(file: string): { bytes: number; json: { Resources: Record<string, { Type: string; Properties: Record<string, Json> }> } } {
  const text = fs.readFileSync(path.join(outdir, file), 'utf8');
  return { bytes: Buffer.byteLength(text), json: JSON.parse(text) };
}

describe('1,000 principals and 20 consumer endpoints in one app', () => {
  // GIVEN an env-agnostic provider stack (partition known only at deploy) with 1,000 accounts, each added
  // twice and once more as its root ARN, plus two role ARNs (one with a comma in its name); an env-aware
  // provider stack (literal partition) with the same 1,000 accounts; and 20 consumer endpoints wired to
  // the first provider, sharing one VPC. Synthesized once.
  const app = new App({ outdir, context: { '@aws-cdk/core:enablePartitionLiterals': true } });
  const providerStack = new Stack(app, 'Provider');
  const provider = new PrivateLinkProvider(providerStack, 'Provider', { allowedPrincipals: accounts.slice(0, 10) });
  for (const account of accounts) provider.allowPrincipal(account);
  for (const account of accounts) provider.allowPrincipal(account);
  for (const account of accounts.slice(0, 100)) provider.allowPrincipal(`arn:aws:iam::${account}:root`);
  provider.allowPrincipal('arn:aws:iam::222222222222:role/Consumer');
  provider.allowPrincipal('arn:aws:iam::222222222222:role/odd,name');

  const literalStack = new Stack(app, 'ProviderInUsEast1', { env: { account: '111111111111', region: 'us-east-1' } });
  const literal = new PrivateLinkProvider(literalStack, 'Provider');
  for (const account of accounts) literal.allowPrincipal(account);

  const consumerStack = new Stack(app, 'Consumers');
  const first = new PrivateLinkConsumer(consumerStack, 'Consumer0', { service: provider });
  for (let i = 1; i < 20; i++) new PrivateLinkConsumer(consumerStack, `Consumer${i}`, { service: provider, vpc: first.vpc });

  const assembly = app.synth();
  const providerTemplate = readTemplate(assembly.getStackByName('Provider').templateFile);
  const literalTemplate = readTemplate(assembly.getStackByName('ProviderInUsEast1').templateFile);
  const consumerTemplate = readTemplate(assembly.getStackByName('Consumers').templateFile);
  const permissionsOf = (t: typeof providerTemplate) =>
    Object.values(t.json.Resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpointServicePermissions');

  test('THEN the provider has exactly one permissions resource', () => {
    expect(permissionsOf(providerTemplate)).toHaveLength(1);
    expect(permissionsOf(literalTemplate)).toHaveLength(1);
  });

  test('THEN the permissions list, as CloudFormation evaluates it, holds each of the 1,002 principals once', () => {
    const list = evaluate(permissionsOf(providerTemplate)[0].Properties.AllowedPrincipals) as string[];
    expect(list).toHaveLength(1002);
    expect(new Set(list).size).toBe(1002);
    expect(list.slice(0, 2)).toEqual(['arn:aws:iam::100000000000:root', 'arn:aws:iam::100000000001:root']);
    expect(list).toContain('arn:aws:iam::100000000999:root');
    expect(list).toContain('arn:aws:iam::222222222222:role/odd,name');
    expect(list).toContain('arn:aws:iam::222222222222:role/Consumer');
  });

  test(`THEN above ${COMPACT_PRINCIPALS_ABOVE} principals the unknown-partition roots are one Fn::Sub split on "|"`, () => {
    const value = permissionsOf(providerTemplate)[0].Properties.AllowedPrincipals as { 'Fn::Split': [string, unknown] };
    expect(value['Fn::Split'][0]).toBe('|');
    expect(JSON.stringify(value)).toContain('${Iam}100000000000:root|${Iam}100000000001:root');
  });

  test('THEN with a known partition the compact form has the literal prefix, and evaluates to the 1,000 roots', () => {
    const value = permissionsOf(literalTemplate)[0].Properties.AllowedPrincipals;
    expect(JSON.stringify(value)).not.toContain('AWS::Partition');
    expect((value as { 'Fn::Split': [string, { 'Fn::Sub': [string, unknown] }] })['Fn::Split'][1]['Fn::Sub'][1]).toEqual({ Iam: 'arn:aws:iam::' });
    const list = evaluate(value) as string[];
    expect(list).toEqual(accounts.map((a) => `arn:aws:iam::${a}:root`));
  });

  test('THEN both provider templates are under the 51,200 bytes of a direct upload (and far under 1 MB)', () => {
    expect(providerTemplate.bytes).toBeLessThan(DIRECT_UPLOAD_LIMIT);
    expect(literalTemplate.bytes).toBeLessThan(DIRECT_UPLOAD_LIMIT);
  });

  test('THEN the consumer stack has 20 endpoints, within the resource and size limits', () => {
    const resources = Object.values(consumerTemplate.json.Resources);
    expect(resources.filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')).toHaveLength(20);
    expect(resources.filter((r) => r.Type === 'AWS::EC2::VPC')).toHaveLength(1);
    expect(resources.length).toBeLessThan(RESOURCE_LIMIT);
    expect(consumerTemplate.bytes).toBeLessThan(S3_TEMPLATE_LIMIT);
  });
});
