/**
 * The teardown custom resource handler: decisions with aws-sdk-client-mock (moto lacks the connection
 * APIs), the CloudFormation answer as a real PUT to a loopback server, and the stack-status lookup
 * against moto_server.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import {
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
  RejectVpcEndpointConnectionsCommand,
  type State,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { CustomResourceEvent } from '../../src/runtime/shared/custom-resource';
import { handler, INVALID_PHYSICAL_ID, onEvent, physicalIdFor, type TeardownDeps, type TeardownProperties } from '../../src/runtime/teardown';
import { cfnEvent, fakeClock, lambdaContext, type ResponseServer, startResponseServer } from '../support/custom-resource';
import { type Moto, startMoto } from '../support/moto';

const SERVICE = 'vpce-svc-0123456789abcdef0';

function event(
  requestType: CustomResourceEvent['RequestType'],
  extra: { serviceId?: string; physicalResourceId?: string; responseUrl?: string; stackId?: string } = {},
): CustomResourceEvent<TeardownProperties> {
  const e = cfnEvent<TeardownProperties>(requestType, { ServiceId: extra.serviceId ?? SERVICE }, {
    physicalResourceId: requestType === 'Create' ? undefined : (extra.physicalResourceId ?? physicalIdFor(extra.serviceId ?? SERVICE)),
    responseUrl: extra.responseUrl,
  });
  return extra.stackId ? { ...e, StackId: extra.stackId } : e;
}

const conn = (n: number, state: string) => ({
  ServiceId: SERVICE,
  VpcEndpointId: `vpce-${String(n).padStart(17, '0')}`,
  VpcEndpointOwner: '222222222222',
  VpcEndpointState: state as State, // the API answers lower camel case, the SDK enum is capitalized
});

describe('with mocked EC2 and CloudFormation', () => {
  const ec2Mock = mockClient(EC2Client);
  const cfnMock = mockClient(CloudFormationClient);
  afterAll(() => {
    ec2Mock.restore();
    cfnMock.restore();
  });

  let clock = fakeClock();
  let logs: string[] = [];
  function deps(extra: Partial<TeardownDeps> = {}): TeardownDeps {
    return {
      ec2: new EC2Client({ region: 'us-east-1' }),
      cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
      now: clock.now,
      sleep: clock.sleep,
      deadline: clock.now() + 600_000,
      log: (m) => logs.push(m),
      ...extra,
    };
  }
  const stackStatus = (status: string) =>
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'P', StackStatus: status as StackStatus, CreationTime: new Date() }] });

  beforeEach(() => {
    ec2Mock.reset();
    cfnMock.reset();
    clock = fakeClock();
    logs = [];
  });

  test('Create: a physical ID naming the service, and no AWS call', async () => {
    expect(await onEvent(event('Create'), deps())).toEqual({ physicalResourceId: `privatelink-teardown-${SERVICE}` });
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(cfnMock.calls()).toHaveLength(0);
  });

  test('Create with a malformed ServiceId: fails naming the value', async () => {
    await expect(onEvent(event('Create', { serviceId: 'svc-1' }), deps())).rejects.toThrow(
      'ServiceId "svc-1" is not a VPC endpoint service ID (vpce-svc-...).',
    );
  });

  test('Update to a new service: the new physical ID (CloudFormation then deletes the old one)', async () => {
    const other = 'vpce-svc-0000000000000000f';
    const r = await onEvent(event('Update', { serviceId: other, physicalResourceId: physicalIdFor(SERVICE) }), deps());
    expect(r).toEqual({ physicalResourceId: physicalIdFor(other) });
  });

  test('Delete while the stack is deleted: every connection rejected, done once none is active', async () => {
    stackStatus('DELETE_IN_PROGRESS');
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1, 'available'), conn(2, 'pendingAcceptance'), conn(3, 'rejected')] })
      .resolves({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2, 'rejected'), conn(3, 'rejected')] });
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});
    const r = await onEvent(event('Delete'), deps());
    expect(r).toEqual({ physicalResourceId: physicalIdFor(SERVICE), data: { Rejected: '2' } });
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)[0].args[0].input).toEqual({
      ServiceId: SERVICE,
      VpcEndpointIds: ['vpce-00000000000000001', 'vpce-00000000000000002'],
    });
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: event('Delete').StackId });
    expect(logs).toContain('rejected vpce-00000000000000001');
  });

  test('Delete during a rollback of a failed create: connections rejected too', async () => {
    stackStatus('ROLLBACK_IN_PROGRESS');
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    expect(await onEvent(event('Delete'), deps())).toEqual({ physicalResourceId: physicalIdFor(SERVICE), data: { Rejected: '0' } });
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
  });

  test.each(['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'])(
    'Delete while the stack is in %s (the option was turned off): consumers are NOT cut off',
    async (status) => {
      stackStatus(status);
      expect(await onEvent(event('Delete'), deps())).toEqual({ physicalResourceId: physicalIdFor(SERVICE) });
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(logs.join('\n')).toContain(`Stack status ${status}: the stack is not being deleted`);
    },
  );

  test('Delete when the stack status cannot be read: connections left alone (never cut off on a guess)', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await onEvent(event('Delete'), deps())).toEqual({ physicalResourceId: physicalIdFor(SERVICE) });
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(logs[0]).toContain('AccessDenied: denied');
  });

  test('Delete of a resource whose create failed: nothing to do', async () => {
    const r = await onEvent(event('Delete', { serviceId: 'x', physicalResourceId: INVALID_PHYSICAL_ID }), deps());
    expect(r).toEqual({ physicalResourceId: INVALID_PHYSICAL_ID });
    expect(cfnMock.calls()).toHaveLength(0);
  });

  test('Delete that times out: fails, naming the remaining endpoints, the last reject error and the way out', async () => {
    stackStatus('DELETE_IN_PROGRESS');
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [conn(1, 'available')] });
    ec2Mock
      .on(RejectVpcEndpointConnectionsCommand)
      .resolves({ Unsuccessful: [{ ResourceId: 'vpce-00000000000000001', Error: { Code: 'OperationNotPermitted', Message: 'nope' } }] });
    const deadline = clock.now() + 30_000;
    const err = await onEvent(event('Delete'), deps({ deadline })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^1 connection\(s\) of vpce-svc-0123456789abcdef0 still active after \d+ s: vpce-00000000000000001 \(222222222222, available\)\. Reject failures: vpce-00000000000000001: OperationNotPermitted: nope\. /,
    );
    expect(err?.message).toContain(`privatelink teardown --service-id ${SERVICE} --yes`);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });

  describe('handler (answers CloudFormation with a PUT to the ResponseURL)', () => {
    let server: ResponseServer;
    beforeAll(async () => {
      server = await startResponseServer();
    });
    afterAll(() => server.close());
    beforeEach(() => {
      server.answers.length = 0;
      // The handler logs the event and the result: keep the test output clean.
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => jest.restoreAllMocks());

    test('GIVEN a stack delete with nothing connected THEN it answers SUCCESS with the request identifiers', async () => {
      stackStatus('DELETE_IN_PROGRESS');
      ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
      const e = event('Delete', { responseUrl: server.url });
      await handler(e, lambdaContext(fakeClock(), 600_000));
      expect(server.answers).toEqual([
        {
          Status: 'SUCCESS',
          PhysicalResourceId: physicalIdFor(SERVICE),
          StackId: e.StackId,
          RequestId: e.RequestId,
          LogicalResourceId: e.LogicalResourceId,
          Data: { Rejected: '0' },
        },
      ]);
    });

    test('GIVEN an unexpected AWS error THEN it still answers: FAILED with the error, keeping the physical ID', async () => {
      stackStatus('DELETE_IN_PROGRESS');
      ec2Mock
        .on(DescribeVpcEndpointConnectionsCommand)
        .rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
      await handler(event('Delete', { responseUrl: server.url }), lambdaContext(fakeClock(), 600_000));
      expect(server.answers).toHaveLength(1);
      expect(server.answers[0]).toMatchObject({
        Status: 'FAILED',
        Reason: 'You are not authorized to perform this operation.',
        PhysicalResourceId: physicalIdFor(SERVICE),
      });
    });

    test('GIVEN a create with a malformed ServiceId THEN FAILED with the invalid physical ID (its delete does nothing)', async () => {
      await handler(event('Create', { serviceId: 'nope', responseUrl: server.url }), lambdaContext(fakeClock(), 600_000));
      expect(server.answers[0]).toMatchObject({ Status: 'FAILED', PhysicalResourceId: INVALID_PHYSICAL_ID });
    });
  });
});

describe('against moto_server (the stack status lookup)', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 30_000);
  afterAll(() => moto?.stop());

  test('GIVEN a stack that exists and is not being deleted WHEN its teardown resource is deleted THEN connections are left alone', async () => {
    const cfn = new CloudFormationClient(moto.clientConfig);
    const created = await cfn.send(
      new CreateStackCommand({
        StackName: 'PrivateLinkProvider',
        TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }),
      }),
    );
    const logs: string[] = [];
    // EC2 is never reached in this path: an unreachable endpoint proves it.
    const ec2 = new EC2Client({ ...moto.clientConfig, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    const r = await onEvent(event('Delete', { stackId: created.StackId! }), { ec2, cloudformation: cfn, log: (m) => logs.push(m) });
    expect(r).toEqual({ physicalResourceId: physicalIdFor(SERVICE) });
    expect(logs.join('\n')).toMatch(/Stack status CREATE_COMPLETE: the stack is not being deleted/);
    cfn.destroy();
  }, 30_000);
});
