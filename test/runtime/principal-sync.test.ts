/**
 * The principal sync handler against moto_server (127.0.0.1): moto implements Organizations (an
 * organization, OUs, accounts, moves), STS AssumeRole and the endpoint service permissions. What moto
 * cannot do (a listing that fails half-way, a refused modification) is staged with aws-sdk-client-mock.
 */
import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent, readConfig, type SyncConfig, type SyncDeps, syncPrincipals } from '../../src/runtime/principal-sync';
import { awsError, cfnEvent, fakeClock, startResponseServer, withEnv } from '../support/custom-resource';
import { createEndpointService, type Moto, startMoto } from '../support/moto';

describe('against moto_server', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let org: OrganizationsClient;
  let serviceId: string;
  let rootId: string;
  let teamOu: string;
  let childOu: string;
  let otherOu: string;
  const accounts: Record<string, string> = {};

  async function newAccount(name: string, parent: string): Promise<string> {
    const created = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    const id = created.CreateAccountStatus!.AccountId!;
    await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parent }));
    return id;
  }

  async function allowed(): Promise<string[]> {
    const out = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
    return (out.AllowedPrincipals ?? []).map((p) => p.Principal!).sort();
  }

  function deps(log: string[] = []): SyncDeps {
    return {
      ec2,
      sts: new STSClient(moto.clientConfig),
      organizations: (credentials) => new OrganizationsClient({ ...moto.clientConfig, ...(credentials ? { credentials } : {}) }),
      clock: fakeClock(),
      log: (m) => log.push(m),
    };
  }

  const config = (extra: Partial<SyncConfig> = {}): SyncConfig => ({
    serviceId,
    organizationalUnits: [teamOu],
    staticPrincipals: [],
    partition: 'aws',
    ...extra,
  });
  const root = (id: string) => `arn:aws:iam::${id}:root`;

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
    org = new OrganizationsClient(moto.clientConfig);
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const ou = async (name: string, parent: string) =>
      (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name }))).OrganizationalUnit!.Id!;
    teamOu = await ou('consumers', rootId);
    childOu = await ou('consumers-eu', teamOu);
    otherOu = await ou('sandbox', rootId);
    accounts.a = await newAccount('a', teamOu);
    accounts.b = await newAccount('b', teamOu);
    accounts.child = await newAccount('child', childOu);
    accounts.outside = await newAccount('outside', otherOu);

    serviceId = await createEndpointService(moto);
  }, 30_000);
  afterAll(() => moto?.stop());

  test('GIVEN an OU with a child OU WHEN synced THEN every active account below it is allowed, with the statics, and the report says so', async () => {
    const log: string[] = [];
    const report = await syncPrincipals(config({ staticPrincipals: ['555555555555'] }), deps(log));
    const expected = [root(accounts.a), root(accounts.b), root(accounts.child), root('555555555555')].sort();
    expect(await allowed()).toEqual(expected);
    expect(report.added.sort()).toEqual(expected);
    expect(report).toMatchObject({ removed: [], unchanged: 0, activeAccounts: 3 });
    expect(JSON.parse(log[0])).toMatchObject({ serviceId, added: report.added });
    expect(await allowed()).not.toContain(root(accounts.outside));
  });

  test('GIVEN one account moved in and one moved out WHEN synced again THEN the principals converge: one added, one removed', async () => {
    await org.send(new MoveAccountCommand({ AccountId: accounts.outside, SourceParentId: otherOu, DestinationParentId: teamOu }));
    await org.send(new MoveAccountCommand({ AccountId: accounts.b, SourceParentId: teamOu, DestinationParentId: otherOu }));
    const report = await syncPrincipals(config({ staticPrincipals: ['555555555555'] }), deps());
    expect(report.added).toEqual([root(accounts.outside)]);
    expect(report.removed).toEqual([root(accounts.b)]);
    expect(report.unchanged).toBe(3);
    expect(await allowed()).toEqual([root(accounts.a), root(accounts.child), root(accounts.outside), root('555555555555')].sort());

    const again = await syncPrincipals(config({ staticPrincipals: ['555555555555'] }), deps());
    expect(again).toMatchObject({ added: [], removed: [], unchanged: 4 });
  });

  test('GIVEN the read role WHEN synced THEN the organization is read with the assumed role', async () => {
    const sts = new STSClient(moto.clientConfig);
    const send = jest.spyOn(sts, 'send');
    const report = await syncPrincipals(
      config({ staticPrincipals: ['555555555555'], readRoleArn: 'arn:aws:iam::123456789012:role/OrgRead' }),
      { ...deps(), sts },
    );
    expect(send).toHaveBeenCalledTimes(1);
    expect((send.mock.calls[0][0] as { input: unknown }).input).toMatchObject({ RoleArn: 'arn:aws:iam::123456789012:role/OrgRead' });
    expect(report).toMatchObject({ added: [], removed: [], unchanged: 4 });
  });

  test('GIVEN an OU that does not exist WHEN synced THEN it fails and nothing changes', async () => {
    const before = await allowed();
    await expect(syncPrincipals(config({ organizationalUnits: [teamOu, 'ou-zzzz-zzzzzzzz'] }), deps())).rejects.toThrow(
      /principal sync changed nothing: listing ou-zzzz-zzzzzzzz failed: .*The service keeps its 4 principal\(s\)/,
    );
    expect(await allowed()).toEqual(before);
  });

  test('GIVEN the listing fails half-way (the child OU refused) THEN nothing is added or removed', async () => {
    const before = await allowed();
    const failing = new OrganizationsClient(moto.clientConfig);
    const real = failing.send.bind(failing);
    let calls = 0;
    jest.spyOn(failing, 'send').mockImplementation(((command: unknown) => {
      calls++;
      if (command instanceof ListAccountsForParentCommand && calls > 1) return Promise.reject(awsError('AccessDeniedException', 'not allowed'));
      return real(command as ListAccountsForParentCommand);
    }) as typeof failing.send);
    // With the account b moved back, a half listing would both add (b) and remove (child): neither happens.
    await org.send(new MoveAccountCommand({ AccountId: accounts.b, SourceParentId: otherOu, DestinationParentId: teamOu }));
    const log: string[] = [];
    await expect(
      syncPrincipals(config({ staticPrincipals: ['555555555555'] }), { ...deps(log), organizations: () => failing }),
    ).rejects.toThrow(/changed nothing: listing .* failed: AccessDeniedException: not allowed/);
    expect(await allowed()).toEqual(before);
    expect(JSON.parse(log[0])).toMatchObject({ added: [], removed: [], heldBack: expect.stringContaining('AccessDenied') });
  });

  test('GIVEN a custom resource Create WHEN handled THEN it syncs and answers SUCCESS with the counts; Delete changes nothing', async () => {
    const server = await startResponseServer();
    try {
      const env = { SERVICE_ID: serviceId, ORGANIZATIONAL_UNITS: teamOu, STATIC_PRINCIPALS: '555555555555', PARTITION: 'aws' };
      await withEnv(env, () => onEvent(cfnEvent('Create', {}, { responseUrl: server.url }), deps()));
      expect(server.answers[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `principal-sync-${serviceId}`, Data: { Added: '1', Removed: '0' } });
      expect(await allowed()).toContain(root(accounts.b));
      const before = await allowed();
      await withEnv({ ...env, ORGANIZATIONAL_UNITS: otherOu }, () =>
        onEvent(cfnEvent('Delete', {}, { responseUrl: server.url, physicalResourceId: `principal-sync-${serviceId}` }), deps()),
      );
      expect(server.answers[1]).toMatchObject({ Status: 'SUCCESS' });
      expect(await allowed()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  test('GIVEN the bundled handler called as Lambda calls it (event, context, callback) THEN it syncs with clients from the environment', async () => {
    // assets/principal-sync/index.js as built by scripts/bundle.mjs; its SDK clients take moto from AWS_ENDPOINT_URL.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('../../assets/principal-sync/index.js') as { handler: (...args: unknown[]) => Promise<{ added: string[]; unchanged: number }> };
    const report = await withEnv(
      { ...moto.env, SERVICE_ID: serviceId, ORGANIZATIONAL_UNITS: teamOu, STATIC_PRINCIPALS: '555555555555', PARTITION: 'aws' },
      () => bundle.handler({ source: 'aws.events' }, { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sync', getRemainingTimeInMillis: () => 60_000 }, () => undefined),
    );
    expect(report.added).toEqual([]);
    expect(report.unchanged).toBeGreaterThan(0);
  });

  test('GIVEN a scheduled event WHEN handled THEN one sync runs from the environment', async () => {
    const report = await withEnv(
      { SERVICE_ID: serviceId, ORGANIZATIONAL_UNITS: `${teamOu},${rootId}`, STATIC_PRINCIPALS: '', PARTITION: 'aws' },
      () => onEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, deps()),
    );
    // The root holds every account, the management account (moto's 123456789012) included.
    expect(report).toMatchObject({ removed: [root('555555555555')] });
    expect(await allowed()).toEqual(expect.arrayContaining([root('123456789012'), root(accounts.outside), root(accounts.b)]));
  });
});

describe('modifications EC2 refuses', () => {
  // Created here, not at collection time: a mock replaces every client's send, moto's tests' too.
  let ec2Mock: ReturnType<typeof mockClient>;
  let orgMock: ReturnType<typeof mockClient>;
  beforeAll(() => {
    ec2Mock = mockClient(EC2Client);
    orgMock = mockClient(OrganizationsClient);
  });
  afterAll(() => {
    ec2Mock.restore();
    orgMock.restore();
  });

  test('GIVEN a refused removal THEN the error names what was already added', async () => {
    orgMock.on(ListAccountsForParentCommand).resolves({ Accounts: [{ Id: '222222222222', State: 'ACTIVE' }] });
    orgMock.on(ListChildrenCommand).resolves({ Children: [] });
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::333333333333:root' }] });
    ec2Mock
      .on(ModifyVpcEndpointServicePermissionsCommand, { RemoveAllowedPrincipals: ['arn:aws:iam::333333333333:root'] })
      .rejects(awsError('InvalidParameter', 'nope'));
    const deps: SyncDeps = {
      ec2: new EC2Client({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
      organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
      clock: fakeClock(),
      log: () => undefined,
    };
    await expect(
      syncPrincipals({ serviceId: 'vpce-svc-0123456789abcdef0', organizationalUnits: ['ou-ab12-cdefgh34'], staticPrincipals: [], partition: 'aws' }, deps),
    ).rejects.toThrow('ModifyVpcEndpointServicePermissions failed for arn:aws:iam::333333333333:root: nope (already added: arn:aws:iam::222222222222:root; already removed: none)');
  });
});

describe('readConfig', () => {
  test('GIVEN good variables THEN the config, the partition from the region when not given', () => {
    expect(
      readConfig({ SERVICE_ID: 'vpce-svc-0123456789abcdef0', ORGANIZATIONAL_UNITS: 'ou-ab12-cdefgh34, r-ab12', STATIC_PRINCIPALS: '222222222222', AWS_REGION: 'cn-north-1' }),
    ).toEqual({
      serviceId: 'vpce-svc-0123456789abcdef0',
      organizationalUnits: ['ou-ab12-cdefgh34', 'r-ab12'],
      staticPrincipals: ['222222222222'],
      partition: 'aws-cn',
      readRoleArn: undefined,
    });
  });

  test('GIVEN bad variables THEN one message naming each', () => {
    expect(() => readConfig({ SERVICE_ID: 'svc', ORGANIZATIONAL_UNITS: 'ou-1', READ_ROLE_ARN: 'role' })).toThrow(
      'principal sync misconfigured: SERVICE_ID "svc" is not a VPC endpoint service ID; ORGANIZATIONAL_UNITS has values that are not OU or root IDs: ou-1; READ_ROLE_ARN "role" is not an IAM role ARN',
    );
    expect(() => readConfig({ SERVICE_ID: 'vpce-svc-0123456789abcdef0' })).toThrow('ORGANIZATIONAL_UNITS is empty');
  });
});
