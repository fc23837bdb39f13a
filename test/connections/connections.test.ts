/**
 * The shared connection operations (src/connections/connections.ts) with aws-sdk-client-mock: moto
 * does not implement Describe/Accept/RejectVpcEndpointConnections. Time is a fake clock: no real wait.
 */
import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
  type State,
  RejectVpcEndpointConnectionsCommand,
  type VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  acceptConnections,
  BATCH_SIZE,
  isThrottling,
  listConnections,
  normalizeState,
  rejectAllAndWait,
  rejectConnections,
  retryThrottled,
} from '../../src/connections/connections';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

/** A fake clock: sleep advances time instantly and records each pause. */
function fakeClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

function throttle(name = 'RequestLimitExceeded'): Error {
  return Object.assign(new Error('Request limit exceeded.'), { name, $metadata: { httpStatusCode: 503 } });
}

function conn(n: number, state = 'available', owner = '222222222222'): VpcEndpointConnection {
  return { ServiceId: SERVICE, VpcEndpointId: `vpce-${String(n).padStart(17, '0')}`, VpcEndpointOwner: owner, VpcEndpointState: state as State };
}

beforeEach(() => ec2Mock.reset());

describe('listConnections', () => {
  test('GIVEN three pages WHEN listed THEN every connection, following NextToken, filtered by service', async () => {
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1), conn(2)], NextToken: 't1' })
      .resolvesOnce({ VpcEndpointConnections: [conn(3, 'PendingAcceptance')], NextToken: 't2' })
      .resolvesOnce({ VpcEndpointConnections: [conn(4, 'rejected')] });
    const list = await listConnections(ec2, SERVICE, { pageSize: 2 });
    expect(list.map((c) => [c.endpointId.slice(-1), c.state])).toEqual([
      ['1', 'available'],
      ['2', 'available'],
      ['3', 'pendingAcceptance'],
      ['4', 'rejected'],
    ]);
    const calls = ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1', 't2']);
    expect(calls[0].args[0].input).toMatchObject({ Filters: [{ Name: 'service-id', Values: [SERVICE] }], MaxResults: 2 });
  });

  test('GIVEN a connection of another service in the answer THEN it is left out', async () => {
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [conn(1), { ...conn(2), ServiceId: 'vpce-svc-0000000000000000f' }],
    });
    expect((await listConnections(ec2, SERVICE)).map((c) => c.endpointId)).toEqual(['vpce-00000000000000001']);
  });

  test('GIVEN a throttled page WHEN listed THEN that page is retried after a pause, and nothing is lost', async () => {
    const clock = fakeClock();
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1)], NextToken: 't1' })
      .rejectsOnce(throttle())
      .rejectsOnce(throttle('ThrottlingException'))
      .resolvesOnce({ VpcEndpointConnections: [conn(2)] });
    const list = await listConnections(ec2, SERVICE, clock);
    expect(list).toHaveLength(2);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      't1',
      't1',
      't1',
    ]);
  });
});

describe('retryThrottled', () => {
  test('GIVEN throttling every time THEN it gives up after the attempts and throws the last error', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retryThrottled(async () => {
        calls++;
        throw throttle();
      }, clock, 4),
    ).rejects.toThrow('Request limit exceeded.');
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  test('GIVEN a deadline closer than the next pause THEN it stops early', async () => {
    const clock = fakeClock();
    let calls = 0;
    const deadline = clock.now() + 2500;
    await expect(
      retryThrottled(async () => {
        calls++;
        throw throttle();
      }, { ...clock, deadline }),
    ).rejects.toThrow();
    expect(calls).toBe(2); // 1 s pause fits, the 2 s one would end past the deadline
  });

  test('GIVEN an error that is not throttling THEN it is thrown at once', async () => {
    const clock = fakeClock();
    let calls = 0;
    const denied = Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
    await expect(
      retryThrottled(async () => {
        calls++;
        throw denied;
      }, clock),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('isThrottling knows the SDK markers', () => {
    expect(isThrottling(throttle())).toBe(true);
    expect(isThrottling({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottling({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottling({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling(new Error('boom'))).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });

  test('normalizeState: the API answers both PendingAcceptance and pendingAcceptance', () => {
    expect(normalizeState('PendingAcceptance')).toBe('pendingAcceptance');
    expect(normalizeState('available')).toBe('available');
    expect(normalizeState(undefined)).toBe('unknown');
  });
});

describe('acceptConnections / rejectConnections', () => {
  test('GIVEN one Unsuccessful item WHEN accepting THEN that endpoint fails with its code, the others succeed', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        { ResourceId: 'vpce-00000000000000002', Error: { Code: 'InvalidState', Message: 'Endpoint is not pending' } },
      ],
    });
    const results = await acceptConnections(ec2, SERVICE, ['vpce-00000000000000001', 'vpce-00000000000000002']);
    expect(results).toEqual([
      { endpointId: 'vpce-00000000000000001', ok: true },
      { endpointId: 'vpce-00000000000000002', ok: false, error: 'InvalidState: Endpoint is not pending' },
    ]);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)[0].args[0].input).toEqual({
      ServiceId: SERVICE,
      VpcEndpointIds: ['vpce-00000000000000001', 'vpce-00000000000000002'],
    });
  });

  test(`GIVEN more than ${BATCH_SIZE} endpoints WHEN rejecting THEN they go in batches of ${BATCH_SIZE}`, async () => {
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});
    const ids = Array.from({ length: BATCH_SIZE * 2 + 1 }, (_, i) => `vpce-${String(i).padStart(17, '0')}`);
    const results = await rejectConnections(ec2, SERVICE, ids);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand).map((c) => c.args[0].input.VpcEndpointIds?.length)).toEqual([
      BATCH_SIZE,
      BATCH_SIZE,
      1,
    ]);
  });

  test('GIVEN a throttled reject THEN it is retried and succeeds', async () => {
    const clock = fakeClock();
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).rejectsOnce(throttle()).resolves({});
    expect(await rejectConnections(ec2, SERVICE, ['vpce-00000000000000001'], clock)).toEqual([
      { endpointId: 'vpce-00000000000000001', ok: true },
    ]);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(2);
  });
});

describe('rejectAllAndWait', () => {
  test('GIVEN active connections over two pages WHEN drained THEN all are rejected and it ends when none is active', async () => {
    const clock = fakeClock();
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      // round 1: two pages, three active (one already rejected)
      .resolvesOnce({ VpcEndpointConnections: [conn(1), conn(2, 'pendingAcceptance')], NextToken: 'p2' })
      .resolvesOnce({ VpcEndpointConnections: [conn(3), conn(4, 'rejected')] })
      // round 2: one still shows available (eventual consistency), not rejected twice
      .resolvesOnce({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2, 'rejected'), conn(3)] })
      // round 3: none active
      .resolves({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2, 'rejected'), conn(3, 'rejected')] });
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});
    const progress: number[] = [];
    const result = await rejectAllAndWait(ec2, SERVICE, { ...clock, onProgress: (p) => progress.push(p.active.length) });

    expect(result.done).toBe(true);
    expect(result.remaining).toEqual([]);
    expect(result.rejected.map((r) => r.endpointId)).toEqual([
      'vpce-00000000000000001',
      'vpce-00000000000000002',
      'vpce-00000000000000003',
    ]);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(1);
    expect(progress).toEqual([3, 1]);
    expect(clock.sleeps).toEqual([2000, 3000]);
  });

  test('GIVEN a partial failure THEN the failed endpoint is rejected again in the next round', async () => {
    const clock = fakeClock();
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1), conn(2)] })
      .resolvesOnce({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2)] })
      .resolves({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2, 'rejected')] });
    ec2Mock
      .on(RejectVpcEndpointConnectionsCommand)
      .resolvesOnce({ Unsuccessful: [{ ResourceId: 'vpce-00000000000000002', Error: { Code: 'IncorrectState', Message: 'busy' } }] })
      .resolves({});
    const result = await rejectAllAndWait(ec2, SERVICE, clock);
    expect(result.done).toBe(true);
    expect(result.rejected).toEqual([
      { endpointId: 'vpce-00000000000000001', ok: true },
      { endpointId: 'vpce-00000000000000002', ok: false, error: 'IncorrectState: busy' },
      { endpointId: 'vpce-00000000000000002', ok: true },
    ]);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand).map((c) => c.args[0].input.VpcEndpointIds)).toEqual([
      ['vpce-00000000000000001', 'vpce-00000000000000002'],
      ['vpce-00000000000000002'],
    ]);
  });

  test('GIVEN a connection that stays active WHEN the deadline comes THEN it stops, not done, naming what remains', async () => {
    const clock = fakeClock();
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [conn(1), conn(2, 'pending')] });
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});
    const deadline = clock.now() + 20_000;
    const result = await rejectAllAndWait(ec2, SERVICE, { ...clock, deadline });
    expect(result.done).toBe(false);
    expect(result.remaining.map((c) => `${c.endpointId} ${c.state}`)).toEqual([
      'vpce-00000000000000001 available',
      'vpce-00000000000000002 pending',
    ]);
    // pauses 2 s, 3 s, 4.5 s, 6.75 s (= 16.25 s); the next one (10 s) would pass the deadline
    expect(clock.sleeps).toEqual([2000, 3000, 4500, 6750]);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
    // "pending" is not rejectable; the available one was rejected once, not every round
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(1);
  });

  test('GIVEN a round throttled even after retries THEN the round is skipped and the next one finishes', async () => {
    const clock = fakeClock();
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolves({ VpcEndpointConnections: [] });
    const result = await rejectAllAndWait(ec2, SERVICE, clock);
    expect(result.done).toBe(true);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(5);
  });

  test('GIVEN an access error THEN it is thrown, not waited out', async () => {
    const clock = fakeClock();
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
    await expect(rejectAllAndWait(ec2, SERVICE, clock)).rejects.toThrow('You are not authorized');
    expect(clock.sleeps).toEqual([]);
  });
});
