/**
 * The `privatelink` CLI against moto_server for what moto implements (service configuration,
 * permissions, CloudFormation stack outputs) and a loopback fake for the rest (connections, Lambda
 * Invoke): exit codes, stdout, stderr.
 *
 * End to end as spawned processes: the launcher bin/privatelink.js over the CLI bundled by
 * scripts/bundle-cli.mjs (as `npm run build` does; here with the SDK left in node_modules, to see which
 * clients a command loads, and once with the SDK inside, from a directory without node_modules), and from
 * source through tsx as in a checkout. The remaining cases call the same `main()` in-process (with the
 * command modules imported statically), because each spawned process pays ~1 s to load the EC2 client.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateResourceShareCommand, RAMClient } from '@aws-sdk/client-ram';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { COMMAND_NAMES } from '../src/cli/spec';
import { inProcess, OFFLINE_ENV, packageWithBundle, type Run, SOURCE_BIN, spawnCli } from './support/cli-run';
import { type FakeAws, type FakeConnection, type FakeInvitation, type FakeStack, startFakeAws } from './support/fake-aws';
import { type Moto, startMoto } from './support/moto';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { PrivateLinkResource } from '../src/resource/private-link-resource';
import { PrivateLinkResourceEndpoint } from '../src/resource/private-link-resource-endpoint';
import { ResourceTarget } from '../src/resource/target';
import { PrivateLinkService } from '../src/service/private-link-service';

const ROOT = path.join(__dirname, '..');
/** A build of the CLI inside the repository (so node_modules resolves), removed after the tests. */
const BUILD_DIR = path.join(ROOT, '.jest-cache', `privatelink-cli-${process.pid}`);
const BIN = path.join(BUILD_DIR, 'bin', 'privatelink.js');
const SOURCE_LAYOUT = path.join(BUILD_DIR, 'source');
const A = '222222222222';
const B = '333333333333';
const C = '444444444444';

function cli(
  args: string[],
  env: Record<string, string>,
  options: { reportModules?: boolean; fromSource?: boolean; bin?: string } = {},
): Promise<Run> {
  const bin = options.bin ?? (options.fromSource ? path.join(SOURCE_LAYOUT, 'bin', 'privatelink.js') : BIN);
  return spawnCli(bin, args, env, options);
}

beforeAll(async () => {
  // The CLI as `npm run build` bundles it, but with the SDK left in node_modules, so that the tests can
  // see which SDK clients each command loads.
  await packageWithBundle(BUILD_DIR, '--external-packages');

  // A source checkout without lib/cli/: the real launcher next to a link to src/, so that it takes its
  // tsx path whether or not this checkout has been built.
  fs.mkdirSync(path.join(SOURCE_LAYOUT, 'bin'), { recursive: true });
  fs.copyFileSync(SOURCE_BIN, path.join(SOURCE_LAYOUT, 'bin', 'privatelink.js'));
  fs.symlinkSync(path.join(ROOT, 'src'), path.join(SOURCE_LAYOUT, 'src'), 'dir');
}, 60_000);
afterAll(() => fs.rmSync(BUILD_DIR, { recursive: true, force: true }));

describe('without AWS: help, and arguments refused before any call', () => {
  test('privatelink --help lists every command and the global options, exit 0, loading no SDK client and no aws-cdk-lib', async () => {
    const r = await cli(['--help'], OFFLINE_ENV, { reportModules: true });
    expect(r.code).toBe(0);
    for (const name of COMMAND_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(r.stdout).toContain('--region <region>');
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('Exit codes: 0 success, 1 failure (reason on stderr), 2 invalid arguments');
    expect(r.modules!.filter((m) => m.includes('@aws-sdk') || m.includes('aws-cdk-lib'))).toEqual([]);
    expect(r.modules!.some((m) => m.includes('node_modules'))).toBe(false); // nothing from node_modules at all

    // From a source checkout (no lib/): the same, through tsx.
    const source = await cli(['--help'], OFFLINE_ENV, { fromSource: true, reportModules: true });
    expect(source.code).toBe(0);
    expect(source.stdout).toBe(r.stdout);
    expect(source.modules!.some((m) => /src[\\/]cli[\\/]main\.ts$/.test(m))).toBe(true);
    expect(source.modules!.filter((m) => m.includes('@aws-sdk') || m.includes('aws-cdk-lib'))).toEqual([]);
  }, 30_000);

  test('every command has --help with its usage and the global options', async () => {
    const runs = await Promise.all(COMMAND_NAMES.map((name) => inProcess([name, '--help'], OFFLINE_ENV)));
    runs.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: privatelink ${COMMAND_NAMES[i]}`);
      expect(r.stdout).toContain('--region <region>');
      expect(r.stdout).toContain('--json');
      expect(r.stderr).not.toContain('privatelink');
    });
    const version = await inProcess(['--version'], OFFLINE_ENV);
    expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    // --help wins even over invalid arguments
    const bad = await inProcess(['accept', 'not-an-id', '--help'], OFFLINE_ENV);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain('Usage: privatelink accept');
  }, 60_000);

  // Each is refused with exit 2 and ONE line; the endpoint is a closed port, so an AWS call would have
  // produced "could not reach AWS" instead of the validation message. A sample runs as processes.
  const cases: Array<[string[], string]> = [
    [['frobnicate'], 'privatelink: unknown command "frobnicate". Commands: status, accept, reject, allow, revoke, check, doctor, teardown, rollout-status, accept-share.'],
    [['statsu'], 'privatelink: unknown command "statsu" (did you mean "status"?). Commands: status, accept, reject, allow, revoke, check, doctor, teardown, rollout-status, accept-share.'],
    [['accept', 'vpce-123'], 'privatelink accept: "vpce-123" is not a VPC endpoint ID: use vpce- followed by 17 hex digits, e.g. vpce-0123456789abcdef0 (see "privatelink status") (see "privatelink accept --help")'],
    [['accept'], 'privatelink accept: name the endpoints (vpce-…) or --account <12-digit ID>; see "privatelink status" for the pending ones (see "privatelink accept --help")'],
    [['reject', '--account', '12345'], 'privatelink reject: --account: "12345" is not an AWS account ID. It has 5 digits; account IDs have exactly 12 (keep leading zeros). Use the 12-digit ID of the account, e.g. "123456789012". (see "privatelink reject --help")'],
    [['allow', '2222-2222-2222'], 'privatelink allow: argument: "2222-2222-2222" is not an account ID or an IAM principal ARN.'],
    [['allow', '*'], 'privatelink allow: "*" would let every AWS account connect: the CLI does not do that (name the accounts)'],
    [['status', '--bogus'], 'privatelink status: unknown option --bogus (see "privatelink status --help")'],
    [['status', '--region', 'moon-1'], 'privatelink status: --region: "moon-1" is not an AWS region code.'],
    [['status', '--stack', 'P', '--service-id', 'vpce-svc-0123456789abcdef0'], 'privatelink status: give --stack or --service-id, not both'],
    [['status', '--service-id', 'vpce-0123456789abcdef0'], 'privatelink status: --service-id "vpce-0123456789abcdef0" is not an endpoint service ID'],
    [['teardown'], 'privatelink teardown: rejects every connection of the service, so every consumer loses access: add --yes to confirm'],
    [['teardown', '--yes', '--timeout', '0'], 'privatelink teardown: --timeout "0" is not a number of seconds from 1 to 3600'],
    [['check', '--function', 'no spaces allowed'], 'privatelink check: --function "no spaces allowed" is not a Lambda function name or ARN'],
    [['status', 'extra'], 'privatelink status: takes no arguments, got "extra"'],
    [['status', '--endpoint-id', 'vpce-svc-0123456789abcdef0'], 'privatelink status: --endpoint-id "vpce-svc-0123456789abcdef0" is not a VPC endpoint ID'],
    [['status', '--endpoint-id', 'vpce-0123456789abcdef0', '--stack', 'P'], 'privatelink status: give --endpoint-id or --stack, not both'],
  ];
  /** Exit 2, one line, the validation message, nothing on stdout and no "could not reach AWS". */
  function expectRefused(r: Run, args: string[], message: string): void {
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0].startsWith(message)).toBe(true);
    expect(r.stderr).not.toContain('could not reach');
    expect(r.stdout).toBe('');
  }

  test('as processes: malformed endpoint and account IDs and unknown commands exit 2 with the validation message, before any AWS call', async () => {
    const spawned = [cases[0], cases[2], cases[4], cases[7], cases[11]];
    const runs = await Promise.all(spawned.map(([args]) => cli(args, OFFLINE_ENV)));
    runs.forEach((r, i) => expectRefused(r, ...spawned[i]));
  }, 60_000);

  test('every refusal, in-process: the same messages', async () => {
    for (const [args, message] of cases) expectRefused(await inProcess(args, OFFLINE_ENV), args, message);
  });

  test('with nothing reachable, a valid command fails with exit 1 and one line naming the endpoint', async () => {
    const r = await inProcess(['status', '--service-id', 'vpce-svc-0123456789abcdef0'], OFFLINE_ENV);
    expect(r.code).toBe(1);
    expect(r.reasons).toEqual([
      'privatelink status: could not reach AWS at http://127.0.0.1:9 (ECONNREFUSED): check your network, proxy or AWS_ENDPOINT_URL',
    ]);
  }, 30_000);
});

test('without a region or without credentials: exit 1 with what to set', async () => {
  const noFiles = { AWS_CONFIG_FILE: path.join(ROOT, 'no-such-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, 'no-such-aws-credentials') };
  const noRegion = await inProcess(['status', '--service-id', 'vpce-svc-0123456789abcdef0'], {
    ...OFFLINE_ENV,
    ...noFiles,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
  });
  expect(noRegion.code).toBe(1);
  expect(noRegion.reasons).toEqual(['privatelink status: no AWS region: pass --region or set AWS_REGION']);

  const noCredentials = await inProcess(['status', '--service-id', 'vpce-svc-0123456789abcdef0'], {
    ...OFFLINE_ENV,
    ...noFiles,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  });
  expect(noCredentials.code).toBe(1);
  expect(noCredentials.reasons).toEqual([
    'privatelink status: no AWS credentials found: set AWS_PROFILE (or run "aws configure"), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  ]);
}, 30_000);

/**
 * A stack as CloudFormation holds it after a deploy (for the fake): its template, and its resources with
 * the given physical IDs by type (`<logicalId>-physical` for the others, and for Lambda functions other
 * than a check named HealthProbe).
 */
function deployed(stack: Stack, physical: Record<string, string>): FakeStack {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string }> };
  const resources = Object.entries(template.Resources).map(([logicalId, r]) => ({
    logicalId,
    type: r.Type,
    physicalId: physical[r.Type] && (r.Type !== 'AWS::Lambda::Function' || logicalId.startsWith('HealthProbe')) ? physical[r.Type] : `${logicalId}-physical`,
  }));
  return { resources, template };
}

describe('against moto_server and the loopback fake', () => {
  let moto: Moto;
  let fake: FakeAws;
  let serviceId: string;
  let ec2: EC2Client;

  const connection = (n: number, owner: string, state: string): FakeConnection => ({
    serviceId,
    endpointId: `vpce-0000000000000000${n.toString(16)}`,
    owner,
    state,
  });

  beforeAll(async () => {
    moto = await startMoto();
    fake = await startFakeAws(moto);
    ec2 = new EC2Client(moto.clientConfig);
    const cfn = new CloudFormationClient(moto.clientConfig);
    const [vpc] = await Promise.all([
      ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })),
      cfn.send(new CreateStackCommand({ StackName: 'Warmup', TemplateBody: '{"Resources":{"H":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}' })),
    ]);
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }));
    const nlb = await new ElasticLoadBalancingV2Client(moto.clientConfig).send(
      new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [subnet.Subnet!.SubnetId!] }),
    );
    const service = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!], AcceptanceRequired: true }),
    );
    serviceId = service.ServiceConfiguration!.ServiceId!;
    await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [`arn:aws:iam::${A}:root`] }));
    // Stacks as CloudFormation holds them after a deploy: the app's two, and a user's stack with other
    // names (the library's constructs among the user's own resources, two checks of which one is ours).
    const app = new App();
    const providerStack = new Stack(app, 'PrivateLinkProvider');
    new PrivateLinkProvider(providerStack, 'Provider', { allowedPrincipals: [A] });
    const consumerStack = new Stack(app, 'PrivateLinkConsumer');
    const consumer = new PrivateLinkConsumer(consumerStack, 'Consumer', { service: PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0') });
    new ConnectivityCheck(consumerStack, 'HealthProbe', { endpoint: consumer });
    const userStack = new Stack(app, 'TeamPayments');
    new PrivateLinkProvider(userStack, 'PaymentsApi', { allowedPrincipals: [A] });
    new lambda.Function(userStack, 'OwnFunction', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
    const twoServices = new Stack(app, 'TwoServices');
    new PrivateLinkProvider(twoServices, 'Api', { allowedPrincipals: [A] });
    new PrivateLinkProvider(twoServices, 'Admin', { allowedPrincipals: [A] });
    fake.stacks.set('PrivateLinkProvider', deployed(providerStack, { 'AWS::EC2::VPCEndpointService': serviceId }));
    fake.stacks.set('PrivateLinkConsumer', deployed(consumerStack, { 'AWS::EC2::VPCEndpoint': 'vpce-0123456789abcdef0', 'AWS::Lambda::Function': 'PrivateLinkConsumer-CheckFunction-abc' }));
    fake.stacks.set('TeamPayments', deployed(userStack, { 'AWS::EC2::VPCEndpointService': serviceId }));
    fake.stacks.set('TwoServices', deployed(twoServices, {}));
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await moto?.stop();
  });
  beforeEach(() => fake.reset());

  test('status: the service, its principals and every connection (over several pages), as aligned tables', async () => {
    fake.pageSize = 2;
    fake.connections = [
      connection(1, A, 'pendingAcceptance'),
      connection(2, B, 'available'),
      connection(3, A, 'available'),
      connection(4, C, 'rejected'),
      connection(5, B, 'pendingAcceptance'),
    ];
    const r = await cli(['status'], fake.env, { reportModules: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Service             ${serviceId}\nName                com.amazonaws.vpce.us-east-1.${serviceId}`);
    expect(r.stdout).toContain('Acceptance          required (privatelink accept <vpce-id>)');
    expect(r.stdout).toContain('Availability zones  us-east-1a');
    expect(r.stdout).toContain(`Allowed principals: 1\nPRINCIPAL                       TYPE\narn:aws:iam::${A}:root  -`);
    expect(r.stdout).toContain(
      [
        'Connections: 5 (2 pendingAcceptance)',
        'ENDPOINT                OWNER         STATE              CREATED',
        `vpce-00000000000000001  ${A}  pendingAcceptance  2026-01-01T00:00:00.000Z`,
        `vpce-00000000000000002  ${B}  available          2026-01-01T00:00:00.000Z`,
      ].join('\n'),
    );
    expect(r.stdout).toContain(`vpce-00000000000000005  ${B}  pendingAcceptance`);
    // found among the stack's resources; three pages of connections
    expect(fake.calls.filter((c) => c === 'ListStackResources')).toHaveLength(1);
    expect(fake.calls.filter((c) => c === 'DescribeVpcEndpointConnections')).toHaveLength(3);
    // only the clients the command needs
    const sdk = r.modules!.filter((m) => /@aws-sdk[\\/]client-/.test(m)).map((m) => /client-[a-z0-9-]+/.exec(m)![0]);
    expect([...new Set(sdk)].sort()).toEqual(['client-cloudformation', 'client-ec2']);
    expect(r.modules!.some((m) => m.includes('aws-cdk-lib'))).toBe(false);
  }, 30_000);

  test('status --json --service-id: machine output, no stack lookup', async () => {
    fake.connections = [connection(1, A, 'PendingAcceptance')];
    const r = await inProcess(['status', '--json', '--service-id', serviceId], fake.env);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({
      serviceId,
      acceptanceRequired: true,
      principals: [{ principal: `arn:aws:iam::${A}:root` }],
      connections: [{ endpointId: 'vpce-00000000000000001', owner: A, state: 'pendingAcceptance' }],
    });
    expect(fake.calls).not.toContain('ListStackResources');
  }, 30_000);

  test('accept <ids>: one accepted, one refused by EC2 (Unsuccessful) → a table of both, exit 1 with one line', async () => {
    fake.connections = [connection(1, A, 'pendingAcceptance'), connection(2, B, 'pendingAcceptance')];
    fake.failures.set('vpce-00000000000000002', { code: 'InvalidState', message: 'Endpoint is not in pendingAcceptance' });
    const r = await inProcess(['accept', 'vpce-00000000000000001', 'vpce-00000000000000002'], fake.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'ENDPOINT                OWNER  RESULT    DETAIL',
        'vpce-00000000000000001  -      accepted',
        'vpce-00000000000000002  -      FAILED    InvalidState: Endpoint is not in pendingAcceptance',
        '',
      ].join('\n'),
    );
    expect(r.reasons).toEqual([
      'privatelink accept: could not accept 1 of 2 endpoint(s): vpce-00000000000000002 (InvalidState: Endpoint is not in pendingAcceptance)',
    ]);
    expect(fake.connections.map((c) => c.state)).toEqual(['available', 'pendingAcceptance']);
  }, 30_000);

  test('accept --account: only that account\'s pending endpoints; the others stay pending', async () => {
    fake.connections = [connection(1, A, 'pendingAcceptance'), connection(2, B, 'pendingAcceptance'), connection(3, A, 'available')];
    const r = await inProcess(['accept', '--account', A, '--json'], fake.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      serviceId,
      action: 'accept',
      results: [{ endpointId: 'vpce-00000000000000001', ok: true, owner: A }],
    });
    expect(fake.connections.map((c) => c.state)).toEqual(['available', 'pendingAcceptance', 'available']);

    const none = await inProcess(['accept', '--account', C], fake.env);
    expect(none.code).toBe(1);
    expect(none.reasons).toEqual([
      `privatelink accept: no pendingAcceptance connection from account ${C} on ${serviceId}, nothing to accept (see "privatelink status")`,
    ]);
  }, 30_000);

  test('reject --service-id: the connection is rejected, even after throttling (the SDK retries)', async () => {
    fake.connections = [connection(1, B, 'available')];
    fake.throttleNext = 2;
    const r = await inProcess(['reject', 'vpce-00000000000000001', '--service-id', serviceId], fake.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vpce-00000000000000001  -      rejected');
    expect(fake.connections[0].state).toBe('rejected');
    expect(fake.calls.filter((c) => c === 'RejectVpcEndpointConnections')).toHaveLength(3);
  }, 30_000);

  test('allow, then revoke: the permissions change in moto, the table shows them, and the stack note is printed', async () => {
    const allow = await inProcess(['allow', C, 'arn:aws:iam::555555555555:role/Consumer', A], fake.env);
    expect(allow.code).toBe(0);
    expect(allow.stdout).toContain(`arn:aws:iam::${C}:root`);
    expect(allow.stderr).toContain(`arn:aws:iam::${A}:root is already allowed: unchanged`);
    expect(allow.stderr).toContain('note: stack PrivateLinkProvider manages this list too');
    const principals = async () =>
      ((await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }))).AllowedPrincipals ?? [])
        .map((p) => p.Principal)
        .sort();
    expect(await principals()).toEqual([`arn:aws:iam::${A}:root`, `arn:aws:iam::${C}:root`, 'arn:aws:iam::555555555555:role/Consumer']);

    const revoke = await inProcess(['revoke', C, 'arn:aws:iam::555555555555:role/Consumer', '--json'], fake.env);
    expect(revoke.code).toBe(0);
    expect(JSON.parse(revoke.stdout).changed).toEqual([`arn:aws:iam::${C}:root`, 'arn:aws:iam::555555555555:role/Consumer']);
    expect(await principals()).toEqual([`arn:aws:iam::${A}:root`]);
  }, 30_000);

  test('teardown --yes: every active connection rejected, progress on stderr, then the way to delete the stack', async () => {
    fake.pageSize = 2;
    fake.connections = [
      connection(1, A, 'available'),
      connection(2, B, 'pendingAcceptance'),
      connection(3, A, 'rejected'),
      connection(4, C, 'available'),
    ];
    const r = await cli(['teardown', '--yes'], fake.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Rejecting every connection of ${serviceId}, then waiting up to 300 s until none is active...`);
    expect(r.stderr).toMatch(/ {2}0 s: 3 still active \(vpce-00000000000000001 available, vpce-00000000000000002 pendingAcceptance, vpce-00000000000000004 available\)/);
    expect(r.stdout).toContain(`No active connection left on ${serviceId} (3 rejected). The provider stack can now be deleted: npx cdk destroy PrivateLinkProvider`);
    expect(fake.connections.map((c) => c.state)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  }, 30_000);

  test('teardown that times out: exit 1, naming what is still active', async () => {
    fake.connections = [connection(1, A, 'available')];
    fake.sticky.add('vpce-00000000000000001');
    const r = await inProcess(['teardown', '--yes', '--timeout', '2', '--service-id', serviceId], fake.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/still active \(vpce-00000000000000001 available\)/);
    expect(r.reasons).toEqual([
      'privatelink teardown: 1 connection(s) still active after 2 s: vpce-00000000000000001 (available). Run teardown again, or ask the consumers to delete their endpoints',
    ]);
  }, 30_000);

  test('--stack of any stack built with the library: the service is found among its resources, whatever the ids', async () => {
    const r = await inProcess(['status', '--stack', 'TeamPayments', '--json'], fake.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ serviceId });
  }, 30_000);

  test('a stack that does not exist, has no endpoint service, or has two: exit 1 with what to do', async () => {
    const missing = await inProcess(['status', '--stack', 'NoSuchStack'], fake.env);
    const consumerOnly = await inProcess(['status', '--stack', 'PrivateLinkConsumer'], fake.env);
    const two = await inProcess(['status', '--stack', 'TwoServices'], fake.env);
    expect(missing.code).toBe(1);
    expect(missing.reasons).toEqual([
      'privatelink status: stack NoSuchStack not found in us-east-1: deploy it, pass --region, or name the resource directly (--service-id <vpce-svc-…>)',
    ]);
    expect(consumerOnly.code).toBe(1);
    expect(consumerOnly.reasons).toEqual([
      'privatelink status: stack PrivateLinkConsumer has no endpoint service (AWS::EC2::VPCEndpointService): is it the right stack? Pass --stack <name>, or --service-id <vpce-svc-…>',
    ]);
    expect(two.code).toBe(1);
    expect(two.reasons).toEqual([expect.stringMatching(/^privatelink status: stack TwoServices has 2 endpoint services \(Api\w+ = Api\w+-physical, Admin\w+ = Admin\w+-physical\): pass --service-id <vpce-svc-…>$/)]);
  }, 30_000);

  test('the bundle as published (SDK inside) works in a directory with no node_modules anywhere above', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-package-'));
    try {
      const bin = await packageWithBundle(dir);
      fake.connections = [connection(1, A, 'pendingAcceptance')];
      const r = await cli(['status', '--json'], fake.env, { bin });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ serviceId, connections: [{ owner: A, state: 'pendingAcceptance' }] });
      const version = await cli(['--version'], OFFLINE_ENV, { bin });
      expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('PrivateLink for resources: accept-share and status', () => {
    const RCFG = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
    const OTHER = 'arn:aws:vpc-lattice:us-east-1:999999999999:resourceconfiguration/rcfg-0000000000000000f';
    const ENDPOINT_ID = 'vpce-0aaaaaaaaaaaaaaa1';
    const DNS = `${ENDPOINT_ID}-snra-0123456789abcdef0.rcfg-0123456789abcdef0.4232ccc.vpc-lattice-rsc.us-east-1.on.aws`;
    const invitation = (n: number, sender: string, status: string, resources: string[]): FakeInvitation => ({
      arn: `arn:aws:ram:us-east-1:${sender}:resource-share-invitation/inv-${n}`,
      shareArn: `arn:aws:ram:us-east-1:${sender}:resource-share/share-${n}`,
      shareName: `share-${n}`,
      sender,
      status,
      resources,
    });
    let shareArn: string;

    beforeAll(async () => {
      // moto keeps the provider's share (principals only: moto cannot share a resource configuration)
      const ram = new RAMClient(moto.clientConfig);
      shareArn = (await ram.send(new CreateResourceShareCommand({ name: 'db-share', principals: [A, B], allowExternalPrincipals: true })))
        .resourceShare!.resourceShareArn!;
      // The stacks as the app builds them (RESOURCE_TARGET with CONSUMER_ACCOUNT_ID; RESOURCE_CONFIGURATION_ARN)
      const app = new App();
      const provider = new Stack(app, 'ResourceProvider');
      new PrivateLinkResource(provider, 'Db', { target: ResourceTarget.dnsName('db.internal.example.com'), port: 5432, shareWith: [A, B] });
      const consumer = new Stack(app, 'ResourceConsumer');
      const endpoint = new PrivateLinkResourceEndpoint(consumer, 'Db', { resource: PrivateLinkResource.fromResourceConfigurationArn(RCFG, { port: 5432 }) });
      new ConnectivityCheck(consumer, 'HealthProbe', { endpoint });
      fake.stacks.set('ResourceProvider', deployed(provider, { 'AWS::VpcLattice::ResourceConfiguration': RCFG, 'AWS::RAM::ResourceShare': shareArn }));
      fake.stacks.set('ResourceConsumer', deployed(consumer, { 'AWS::EC2::VPCEndpoint': ENDPOINT_ID }));
    }, 30_000);

    test('accept-share: accepts the pending invitation that holds the configuration (invitations over pages), only that one, loading only the RAM client', async () => {
      fake.invitationPageSize = 1;
      fake.invitations = [
        invitation(1, '999999999999', 'PENDING', [OTHER]),
        invitation(2, '111111111111', 'ACCEPTED', ['arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-11111111111111111']),
        invitation(3, '111111111111', 'PENDING', [RCFG]),
      ];
      const r = await cli(['accept-share', RCFG], fake.env, { reportModules: true });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`RESOURCE CONFIGURATION${' '.repeat(RCFG.length - 22)}  SHARE    FROM          STATUS\n${RCFG}  share-3  111111111111  ACCEPTED`);
      expect(r.stdout).toContain('deploy the consumer stack');
      expect(fake.invitations.map((i) => i.status)).toEqual(['PENDING', 'ACCEPTED', 'ACCEPTED']);
      // three pages of invitations; only the one from the configuration's account was opened
      expect(fake.calls.filter((c) => c === 'RAM:GetResourceShareInvitations')).toHaveLength(3);
      expect(fake.calls.filter((c) => c === 'RAM:ListPendingInvitationResources')).toHaveLength(1);
      expect(fake.calls.filter((c) => c === 'RAM:AcceptResourceShareInvitation')).toHaveLength(1);
      const sdk = r.modules!.filter((m) => /@aws-sdk[\\/]client-/.test(m)).map((m) => /client-[a-z0-9-]+/.exec(m)![0]);
      expect([...new Set(sdk)]).toEqual(['client-ram']);
    }, 30_000);

    test('accept-share of a configuration already shared: nothing accepted, exit 0; --json says so', async () => {
      fake.sharedWithMe = [RCFG];
      fake.invitations = [invitation(3, '111111111111', 'PENDING', [RCFG])];
      const r = await inProcess(['accept-share', RCFG, '--json'], fake.env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([{ resourceConfigurationArn: RCFG, result: 'already-shared', invitations: [] }]);
      expect(fake.calls).not.toContain('RAM:AcceptResourceShareInvitation');
      expect(fake.invitations[0].status).toBe('PENDING');
    }, 30_000);

    test('accept-share with no pending invitation for it: exit 1, naming the provider account and what to do', async () => {
      fake.invitations = [invitation(1, '999999999999', 'PENDING', [OTHER])];
      const r = await inProcess(['accept-share', RCFG], fake.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${RCFG}  -      -     no pending invitation`);
      expect(r.reasons).toEqual([
        `privatelink accept-share: no pending invitation in us-east-1 holds ${RCFG}: ask the provider (account 111111111111) to add this ` +
          "account to the share (shareWith / CONSUMER_ACCOUNT_ID), check --region (the share's region), or the invitation expired " +
          '(the provider removes the account from the share and adds it again)',
      ]);
    }, 30_000);

    test('accept-share refuses what is not a configuration ARN before any call (exit 2)', async () => {
      const none = await inProcess(['accept-share'], OFFLINE_ENV);
      const id = await inProcess(['accept-share', 'rcfg-0123456789abcdef0'], OFFLINE_ENV);
      expect([none.code, id.code]).toEqual([2, 2]);
      expect(none.reasons).toEqual([
        'privatelink accept-share: name the resource configuration ARN the provider team sent you (its ResourceConfigurationArn output) (see "privatelink accept-share --help")',
      ]);
      expect(id.reasons[0]).toMatch(/^privatelink accept-share: argument: "rcfg-0123456789abcdef0" is not a resource configuration ARN\. That is the configuration ID: give its ARN\./);
    });

    test('status of a resource provider stack: the configuration, and the share with each principal and its status', async () => {
      const r = await inProcess(['status', '--stack', 'ResourceProvider'], fake.env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Resource configuration  ${RCFG}\nShare                   ${shareArn} (ACTIVE)`);
      expect(r.stdout).toContain(`Shared with: 2\nPRINCIPAL     STATUS      EXTERNAL  MESSAGE\n${A}  ASSOCIATED  false     -\n${B}  ASSOCIATED  false     -`);
      expect(fake.calls).not.toContain('DescribeVpcEndpointServiceConfigurations');
    }, 30_000);

    test('status of a resource consumer stack: the endpoint state, its DNS name, and the pending share with the command to accept it', async () => {
      fake.resourceEndpoints = [{ endpointId: ENDPOINT_ID, vpcId: 'vpc-0123', state: 'available', resourceConfigurationArn: RCFG, dnsName: DNS, accessibility: 'Accessible' }];
      fake.invitations = [invitation(3, '111111111111', 'PENDING', [RCFG])];
      const human = await inProcess(['status', '--stack', 'ResourceConsumer'], fake.env);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(
        [
          `Resource endpoint       ${ENDPOINT_ID}`,
          'State                   available',
          'VPC                     vpc-0123',
          `Resource configuration  ${RCFG}`,
          `DNS name                ${DNS}`,
          'Private DNS name        none',
          'Association             Accessible',
          `Share                   invitation pending: privatelink accept-share ${RCFG}`,
        ].join('\n'),
      );
      fake.sharedWithMe = [RCFG];
      const machine = await inProcess(['status', '--endpoint-id', ENDPOINT_ID, '--json'], fake.env);
      expect(JSON.parse(machine.stdout)).toMatchObject({ endpointId: ENDPOINT_ID, type: 'Resource', state: 'available', dnsName: DNS, share: 'shared' });
      expect(fake.calls.filter((c) => c === 'ListStackResources')).toHaveLength(1);
      expect(fake.calls.filter((c) => c === 'GetTemplate')).toHaveLength(1);
    }, 30_000);
  });

  describe('check', () => {
    const ok = { ok: true, url: 'http://vpce-1.example:80/', statusCode: 200, body: 'Hello from ALB!', latencyMs: 23 };

    test('invokes the ConnectivityCheck function of PrivateLinkConsumer (not its preflight) and prints the result, loading only the Lambda and CloudFormation clients', async () => {
      const invoked: string[] = [];
      fake.lambda = (name) => {
        invoked.push(name);
        return { payload: JSON.stringify(ok) };
      };
      const r = await cli(['check'], fake.env, { reportModules: true });
      expect(r.code).toBe(0);
      expect(invoked).toEqual(['PrivateLinkConsumer-CheckFunction-abc']);
      expect(r.stdout).toBe(
        ['Result   ok', 'URL      http://vpce-1.example:80/', 'Status   200', 'Latency  23 ms', 'Body     Hello from ALB!', ''].join('\n'),
      );
      const sdk = r.modules!.filter((m) => /@aws-sdk[\\/]client-/.test(m)).map((m) => /client-[a-z0-9-]+/.exec(m)![0]);
      expect([...new Set(sdk)].sort()).toEqual(['client-cloudformation', 'client-lambda']);
    }, 30_000);

    test('a failed check: exit 1, the diagnosis on stdout and as the one-line reason; --json keeps the result', async () => {
      const failed = { ok: false, url: 'http://vpce-1.example:80/', latencyMs: 5003, error: { code: 'TIMEOUT', message: 'No response within 5000 ms.' } };
      fake.lambda = () => ({ payload: JSON.stringify(failed) });
      const human = await inProcess(['check', '--function', 'my-check'], fake.env);
      const machine = await inProcess(['check', '--function', 'my-check', '--json'], fake.env);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain('Result   FAILED');
      expect(human.stdout).toContain('Error    TIMEOUT: No response within 5000 ms.');
      expect(human.reasons).toEqual(['privatelink check: check failed: TIMEOUT: No response within 5000 ms.']);
      expect(machine.code).toBe(1);
      expect(JSON.parse(machine.stdout)).toEqual({ functionName: 'my-check', ...failed });
      expect(fake.calls).not.toContain('ListStackResources');
    }, 30_000);

    test('--stack of a stack without a ConnectivityCheck (only the user\'s own function): exit 1 naming the marker and --function', async () => {
      const r = await inProcess(['check', '--stack', 'TeamPayments'], fake.env);
      expect(r.code).toBe(1);
      expect(r.reasons).toEqual([
        'privatelink check: stack TeamPayments has no connectivity check function (AWS::Lambda::Function made by ConnectivityCheck): is it the right stack? Pass --stack <name>, or --function <name>',
      ]);
    }, 30_000);

    test('a function that crashed: exit 1 with its error', async () => {
      fake.lambda = () => ({ payload: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: 'Cannot find module index' }), functionError: 'Unhandled' });
      const r = await inProcess(['check', '--function', 'my-check'], fake.env);
      expect(r.code).toBe(1);
      expect(r.reasons).toEqual([
        'privatelink check: the check function my-check failed (Unhandled): Runtime.ImportModuleError: Cannot find module index',
      ]);
    }, 30_000);
  });
});
