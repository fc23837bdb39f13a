/**
 * The acceptor handler with aws-sdk-client-mock (moto lacks Describe/AcceptVpcEndpointConnections).
 */
import { AcceptVpcEndpointConnectionsCommand, DescribeVpcEndpointConnectionsCommand, EC2Client, type State } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { acceptPending, eventTypes, handler, readConfig, type SnsEvent } from '../../src/runtime/acceptor';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });
const config = { serviceId: SERVICE, accounts: ['222222222222', '333333333333'] };

function notification(...types: string[]): SnsEvent {
  return {
    Records: types.map((eventType) => ({
      Sns: { Message: JSON.stringify({ eventType, endpointServiceId: SERVICE, endpointId: 'vpce-00000000000000001' }) },
    })),
  };
}

const conn = (n: number, owner: string, state = 'pendingAcceptance') => ({
  ServiceId: SERVICE,
  VpcEndpointId: `vpce-${String(n).padStart(17, '0')}`,
  VpcEndpointOwner: owner,
  VpcEndpointState: state as State, // the API answers lower camel case, the SDK enum is capitalized
});

let logs: string[];
const clock = () => ({ log: (m: string) => logs.push(m), sleep: async () => undefined });

beforeEach(() => {
  ec2Mock.reset();
  logs = [];
});
afterAll(() => ec2Mock.restore());

describe('acceptPending', () => {
  test('GIVEN pending requests of listed and unlisted accounts (two pages) WHEN Connect THEN only the listed ones are accepted, the others logged and left pending', async () => {
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1, '222222222222'), conn(2, '999999999999')], NextToken: 'n' })
      .resolvesOnce({ VpcEndpointConnections: [conn(3, '333333333333'), conn(4, '222222222222', 'available')] });
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({});

    const result = await acceptPending(notification('Connect'), config, ec2, clock());

    expect(result).toEqual({
      accepted: ['vpce-00000000000000001', 'vpce-00000000000000003'],
      leftPending: [{ endpointId: 'vpce-00000000000000002', owner: '999999999999' }],
      failed: [],
      skipped: false,
    });
    const accepts = ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand);
    expect(accepts).toHaveLength(1);
    expect(accepts[0].args[0].input).toEqual({ ServiceId: SERVICE, VpcEndpointIds: ['vpce-00000000000000001', 'vpce-00000000000000003'] });
    expect(logs).toContain(
      'left pending: vpce-00000000000000002 of account 999999999999 is not in autoAcceptAccounts (accept or reject it yourself: privatelink accept|reject vpce-00000000000000002)',
    );
  });

  test('GIVEN only unlisted pending requests THEN no Accept call at all', async () => {
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [conn(1, '999999999999')] });
    const result = await acceptPending(notification('Connect'), config, ec2, clock());
    expect(result.accepted).toEqual([]);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
  });

  test('GIVEN Accept/Reject/Delete notifications only THEN nothing is listed or accepted', async () => {
    const result = await acceptPending(notification('Accept', 'Reject', 'Delete'), config, ec2, clock());
    expect(result.skipped).toBe(true);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  test('GIVEN a message that cannot be read THEN it acts anyway (a missed request is worse than a useless listing)', async () => {
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    const result = await acceptPending({ Records: [{ Sns: { Message: 'not json' } }] }, config, ec2, clock());
    expect(result.skipped).toBe(false);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
  });

  test('GIVEN a throttled listing THEN it is retried', async () => {
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' }))
      .resolves({ VpcEndpointConnections: [conn(1, '222222222222')] });
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({});
    const result = await acceptPending(notification('Connect'), config, ec2, clock());
    expect(result.accepted).toEqual(['vpce-00000000000000001']);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(2);
  });

  test('eventTypes reads each record, undefined when unreadable', () => {
    expect(eventTypes({ Records: [...notification('Connect').Records!, { Sns: { Message: '{}' } }, {}] })).toEqual([
      'Connect',
      undefined,
      undefined,
    ]);
  });
});

describe('handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['SERVICE_ID', 'ACCEPT_ACCOUNTS', 'AWS_REGION']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  test('GIVEN a partial failure THEN it throws (Lambda retries the event) naming the endpoint and the error', async () => {
    process.env.SERVICE_ID = SERVICE;
    process.env.ACCEPT_ACCOUNTS = '222222222222';
    process.env.AWS_REGION = 'us-east-1';
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [conn(1, '222222222222'), conn(2, '222222222222')],
    });
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: 'vpce-00000000000000002', Error: { Code: 'InvalidState', Message: 'already deleted' } }],
    });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(handler(notification('Connect'), { getRemainingTimeInMillis: () => 60_000 })).rejects.toThrow(
        'could not accept vpce-00000000000000002 (InvalidState: already deleted)',
      );
    } finally {
      log.mockRestore();
    }
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)[0].args[0].input.VpcEndpointIds).toEqual([
      'vpce-00000000000000001',
      'vpce-00000000000000002',
    ]);
  });

  test('GIVEN a bad environment THEN it fails before any AWS call, naming every problem', async () => {
    process.env.SERVICE_ID = 'svc';
    process.env.ACCEPT_ACCOUNTS = '222222222222,12345';
    await expect(handler(notification('Connect'))).rejects.toThrow(
      'acceptor misconfigured: SERVICE_ID "svc" is not a VPC endpoint service ID; ACCEPT_ACCOUNTS has values that are not 12-digit account IDs: 12345',
    );
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  test('readConfig trims and splits ACCEPT_ACCOUNTS; an empty list is refused', () => {
    expect(readConfig({ SERVICE_ID: SERVICE, ACCEPT_ACCOUNTS: ' 222222222222 , 333333333333,' })).toEqual(config);
    expect(() => readConfig({ SERVICE_ID: SERVICE, ACCEPT_ACCOUNTS: '' })).toThrow('ACCEPT_ACCOUNTS is empty');
  });
});
