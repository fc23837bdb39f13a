/**
 * `privatelink rollout-status`: against moto_server for what moto implements (an organization, a
 * service-managed StackSet, its instances in an OU; every moto instance is CURRENT/SUCCEEDED), the
 * stack that deploys the StackSet answered by the loopback fake (moto does not create StackSet
 * resources), and with aws-sdk-client-mock for the states moto never reports (failed, running,
 * outdated, drifted), for pagination and for the SELF / DELEGATED_ADMIN fallback. In-process through the CLI's main(); the argument
 * errors need no AWS at all.
 */
import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DescribeStackSetCommand,
  ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { inProcess, OFFLINE_ENV } from './support/cli-run';
import { awsError } from './support/custom-resource';
import { type FakeAws, startFakeAws } from './support/fake-aws';
import { type Moto, startMoto } from './support/moto';

describe('arguments refused before any call (exit 2)', () => {
  test.each([
    [['rollout-status', '--stack-set', '1bad'], 'privatelink rollout-status: --stack-set "1bad" is not a StackSet name (up to 128 letters, digits and hyphens, starting with a letter)'],
    [['rollout-status', '--stack', 'S', '--stack-set', 'X'], 'privatelink rollout-status: give --stack or --stack-set, not both'],
    [['rollout-status', '--call-as', 'ADMIN'], 'privatelink rollout-status: --call-as "ADMIN" is not SELF or DELEGATED_ADMIN'],
    [['rollout-status', 'extra'], 'privatelink rollout-status: takes no arguments, got "extra"'],
  ])('%j', async (args, message) => {
    const r = await inProcess(args, OFFLINE_ENV);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
  });

  test('--help describes the command', async () => {
    const r = await inProcess(['rollout-status', '--help'], OFFLINE_ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: privatelink rollout-status [--stack <name> | --stack-set <name>] [--call-as SELF|DELEGATED_ADMIN]');
    expect(r.stdout).toContain('without --call-as it asks as SELF, then as DELEGATED_ADMIN');
  });
});

describe('against moto_server', () => {
  let moto: Moto;
  let fake: FakeAws;
  const members: string[] = [];
  let ou: string;

  beforeAll(async () => {
    moto = await startMoto();
    const org = new OrganizationsClient(moto.clientConfig);
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const root = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'consumers' }))).OrganizationalUnit!.Id!;
    for (const name of ['b', 'a']) {
      const id = (await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus!.AccountId!;
      await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: ou }));
      members.push(id);
    }
    const cfn = new CloudFormationClient(moto.clientConfig);
    const created = await cfn.send(
      new CreateStackSetCommand({
        StackSetName: 'PrivateLinkConsumer',
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        TemplateBody: '{"Resources":{"H":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}',
      }),
    );
    await cfn.send(
      new CreateStackInstancesCommand({ StackSetName: 'PrivateLinkConsumer', DeploymentTargets: { OrganizationalUnitIds: [ou] }, Regions: ['us-east-1', 'eu-west-1'] }),
    );
    // The stack that deploys the StackSet, as CloudFormation lists it: the StackSet's physical ID is its ID.
    fake = await startFakeAws(moto);
    fake.stacks.set('PrivateLinkConsumerStackSet', {
      resources: [
        { logicalId: 'RolloutD1A2B3C4', physicalId: created.StackSetId!, type: 'AWS::CloudFormation::StackSet' },
        { logicalId: 'CDKMetadata', physicalId: 'x', type: 'AWS::CDK::Metadata' },
      ],
      template: {},
    });
    fake.stacks.set('Unrelated', { resources: [{ logicalId: 'Handle', physicalId: 'h', type: 'AWS::CloudFormation::WaitConditionHandle' }], template: {} });
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await moto?.stop();
  });

  test('GIVEN the app stack WHEN rollout-status THEN every instance by account and region, exit 0', async () => {
    const r = await inProcess(['rollout-status'], fake.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('StackSet         PrivateLinkConsumer');
    expect(r.stdout).toContain('Stack instances: 4 (4 current)');
    const rows = r.stdout.split('\n').filter((l) => /^\d{12} /.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    const [a, b] = [...members].sort();
    expect(rows).toEqual([`${a} eu-west-1`, `${a} us-east-1`, `${b} eu-west-1`, `${b} us-east-1`]);
  });

  test('GIVEN --stack-set and --json THEN the same instances as JSON', async () => {
    const r = await inProcess(['rollout-status', '--stack-set', 'PrivateLinkConsumer', '--json'], moto.env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ stackSet: 'PrivateLinkConsumer', callAs: 'SELF', counts: { current: 4, failed: 0 } });
    expect(out.instances[0]).toMatchObject({ status: 'CURRENT', detailedStatus: 'SUCCEEDED', region: 'eu-west-1' });
  });

  test('GIVEN an unknown StackSet, a stack without one, or no stack THEN exit 1 with what to do', async () => {
    const missing = await inProcess(['rollout-status', '--stack-set', 'Nope', '--call-as', 'SELF'], moto.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('privatelink rollout-status: StackSet Nope not found in us-east-1 (called as SELF): check the name and --region\n');
    const none = await inProcess(['rollout-status', '--stack', 'Unrelated'], fake.env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('stack Unrelated has no StackSet (AWS::CloudFormation::StackSet): is it the right stack? Pass --stack <name>, or --stack-set <name>');
    const noStack = await inProcess(['rollout-status', '--stack', 'Elsewhere'], fake.env);
    expect(noStack.code).toBe(1);
    expect(noStack.stderr).toContain('stack Elsewhere not found in us-east-1');
    expect(noStack.stderr).toContain('--stack-set <name>');
  });
});

describe('states moto does not report (aws-sdk-client-mock)', () => {
  let cfnMock: ReturnType<typeof mockClient>;
  beforeAll(() => {
    cfnMock = mockClient(CloudFormationClient);
  });
  afterAll(() => cfnMock.restore());

  test('GIVEN failed, running, outdated, drifted and current instances over two pages THEN failures first, exit 1, and CallAs passed on', async () => {
    cfnMock.on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE', AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true } } });
    cfnMock
      .on(ListStackInstancesCommand)
      .resolvesOnce({
        Summaries: [
          { Account: '111111111111', Region: 'us-east-1', Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' }, DriftStatus: 'IN_SYNC' },
          { Account: '555555555555', Region: 'us-east-1', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'RUNNING' } },
        ],
        NextToken: 'next',
      })
      .resolvesOnce({
        Summaries: [
          { Account: '444444444444', Region: 'eu-west-1', Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' }, DriftStatus: 'DRIFTED' },
          {
            Account: '333333333333',
            Region: 'us-east-1',
            OrganizationalUnitId: 'ou-ab12-cdefgh34',
            Status: 'OUTDATED',
            StackInstanceStatus: { DetailedStatus: 'FAILED' },
            StatusReason: 'ResourceLogicalId:Endpoint, ResourceType:AWS::EC2::VPCEndpoint, ResourceStatusReason:not allowed',
          },
          { Account: '222222222222', Region: 'us-east-1', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } },
        ],
      });
    const r = await inProcess(['rollout-status', '--stack-set', 'PrivateLinkConsumer', '--call-as', 'delegated_admin'], OFFLINE_ENV);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('on (an account leaving its OU: stack retained)');
    expect(r.stdout).toContain('Stack instances: 5 (1 failed, 1 in progress, 1 outdated, 1 drifted, 1 current)');
    const accounts = r.stdout.split('\n').filter((l) => /^\d{12} /.test(l)).map((l) => l.slice(0, 12));
    expect(accounts).toEqual(['333333333333', '555555555555', '222222222222', '444444444444', '111111111111']);
    expect(r.stdout).toMatch(/333333333333 +us-east-1 +ou-ab12-cdefgh34 +OUTDATED \(FAILED\) +- +ResourceLogicalId:Endpoint/);
    const calls = cfnMock.commandCalls(ListStackInstancesCommand);
    expect(calls.map((c) => [c.args[0].input.CallAs, c.args[0].input.NextToken])).toEqual([
      ['DELEGATED_ADMIN', undefined],
      ['DELEGATED_ADMIN', 'next'],
    ]);
  });

  test('GIVEN no --call-as in a delegated administrator account THEN SELF finds nothing and DELEGATED_ADMIN is asked', async () => {
    cfnMock.reset();
    cfnMock.on(DescribeStackSetCommand, { CallAs: 'SELF' }).rejects(awsError('StackSetNotFoundException', 'StackSet PrivateLinkConsumer not found'));
    cfnMock.on(DescribeStackSetCommand, { CallAs: 'DELEGATED_ADMIN' }).resolves({ StackSet: { Status: 'ACTIVE' } });
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [{ Account: '222222222222', Region: 'us-east-1', Status: 'CURRENT' }] });
    const r = await inProcess(['rollout-status', '--stack-set', 'PrivateLinkConsumer', '--json'], OFFLINE_ENV);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ callAs: 'DELEGATED_ADMIN', counts: { current: 1 } });
    expect(cfnMock.commandCalls(ListStackInstancesCommand)[0].args[0].input.CallAs).toBe('DELEGATED_ADMIN');
  });

  test('GIVEN neither SELF nor DELEGATED_ADMIN finds it (no delegated administrator) THEN not found, as both', async () => {
    cfnMock.reset();
    cfnMock.on(DescribeStackSetCommand, { CallAs: 'SELF' }).rejects(awsError('StackSetNotFoundException', 'not found'));
    cfnMock.on(DescribeStackSetCommand, { CallAs: 'DELEGATED_ADMIN' }).rejects(awsError('ValidationError', 'Account is not registered as delegated administrator'));
    const r = await inProcess(['rollout-status', '--stack-set', 'PrivateLinkConsumer'], OFFLINE_ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('privatelink rollout-status: StackSet PrivateLinkConsumer not found in us-east-1 (called as SELF, then as DELEGATED_ADMIN): check the name and --region\n');
  });

  test('GIVEN no instance yet THEN it says why there may be none', async () => {
    cfnMock.reset();
    cfnMock.on(DescribeStackSetCommand).resolves({ StackSet: { Status: 'ACTIVE' } });
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [] });
    const r = await inProcess(['rollout-status', '--stack-set', 'PrivateLinkConsumer'], OFFLINE_ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Stack instances: none (no account in the target OUs yet, or the first operation has not started)');
  });
});
