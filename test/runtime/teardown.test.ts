/**
 * The teardown custom resource handler: decisions with aws-sdk-client-mock (moto lacks the connection
 * APIs), the CloudFormation answer as a real PUT to a loopback server, and the stack-status lookup
 * against moto_server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import {
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
  type State,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { CustomResourceEvent } from '../../src/runtime/shared/cfn-response';
import { MAX_REASON_LENGTH, responseBody } from '../../src/runtime/shared/cfn-response';
import { handler, onEvent, physicalIdFor, type TeardownDeps } from '../../src/runtime/teardown';
import { type Moto, startMoto } from '../support/moto';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111111111111:stack/PrivateLinkProvider/0a1b2c3d-0000-0000-0000-000000000000';

function event(requestType: CustomResourceEvent['RequestType'], extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'http://127.0.0.1:1/unused',
    StackId: STACK_ID,
    RequestId: 'req-1',
    LogicalResourceId: 'ProviderConnectionTeardown',
    ResourceType: 'Custom::PrivateLinkConnectionTeardown',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:...', ServiceId: SERVICE },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: physicalIdFor(SERVICE) }),
    ...extra,
  };
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

  let t = 0;
  let logs: string[] = [];
  function deps(extra: Partial<TeardownDeps> = {}): TeardownDeps {
    return {
      ec2: new EC2Client({ region: 'us-east-1' }),
      cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      deadline: 600_000,
      log: (m) => logs.push(m),
      ...extra,
    };
  }
  const stackStatus = (status: string) => cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'P', StackStatus: status as StackStatus, CreationTime: new Date() }] });

  beforeEach(() => {
    ec2Mock.reset();
    cfnMock.reset();
    t = 0;
    logs = [];
  });

  test('Create: SUCCESS with a physical ID naming the service, and no AWS call', async () => {
    expect(await onEvent(event('Create'), deps())).toEqual({ status: 'SUCCESS', physicalResourceId: `privatelink-teardown-${SERVICE}` });
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(cfnMock.calls()).toHaveLength(0);
  });

  test('Create with a malformed ServiceId: FAILED naming the value', async () => {
    const r = await onEvent(event('Create', { ResourceProperties: { ServiceId: 'svc-1' } }), deps());
    expect(r.status).toBe('FAILED');
    expect(r.reason).toBe('ServiceId "svc-1" is not a VPC endpoint service ID (vpce-svc-...).');
  });

  test('Update to a new service: SUCCESS with the new physical ID (CloudFormation then deletes the old one)', async () => {
    const other = 'vpce-svc-0000000000000000f';
    const r = await onEvent(event('Update', { ResourceProperties: { ServiceId: other } }), deps());
    expect(r).toEqual({ status: 'SUCCESS', physicalResourceId: physicalIdFor(other) });
  });

  test('Delete while the stack is deleted: every connection rejected, SUCCESS once none is active', async () => {
    stackStatus('DELETE_IN_PROGRESS');
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [conn(1, 'available'), conn(2, 'pendingAcceptance'), conn(3, 'rejected')] })
      .resolves({ VpcEndpointConnections: [conn(1, 'rejected'), conn(2, 'rejected'), conn(3, 'rejected')] });
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});
    const r = await onEvent(event('Delete'), deps());
    expect(r).toEqual({ status: 'SUCCESS', physicalResourceId: physicalIdFor(SERVICE), data: { Rejected: '2' } });
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)[0].args[0].input).toEqual({
      ServiceId: SERVICE,
      VpcEndpointIds: ['vpce-00000000000000001', 'vpce-00000000000000002'],
    });
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: STACK_ID });
    expect(logs).toContain('rejected vpce-00000000000000001');
  });

  test('Delete during a rollback of a failed create: connections rejected too', async () => {
    stackStatus('ROLLBACK_IN_PROGRESS');
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    expect((await onEvent(event('Delete'), deps())).status).toBe('SUCCESS');
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
  });

  test.each(['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'])(
    'Delete while the stack is in %s (the option was turned off): consumers are NOT cut off',
    async (status) => {
      stackStatus(status);
      const r = await onEvent(event('Delete'), deps());
      expect(r.status).toBe('SUCCESS');
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(logs.join('\n')).toContain(`Stack status ${status}: the stack is not being deleted`);
    },
  );

  test('Delete when the stack status cannot be read: connections left alone (never cut off on a guess)', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const r = await onEvent(event('Delete'), deps());
    expect(r.status).toBe('SUCCESS');
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(logs[0]).toContain('AccessDenied: denied');
  });

  test('Delete of a resource whose create failed: nothing to do', async () => {
    const r = await onEvent(event('Delete', { PhysicalResourceId: 'privatelink-teardown-invalid', ResourceProperties: { ServiceId: 'x' } }), deps());
    expect(r).toEqual({ status: 'SUCCESS', physicalResourceId: 'privatelink-teardown-invalid' });
    expect(cfnMock.calls()).toHaveLength(0);
  });

  test('Delete that times out: FAILED, naming the remaining endpoints and the way out', async () => {
    stackStatus('DELETE_IN_PROGRESS');
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [conn(1, 'available')] });
    ec2Mock
      .on(RejectVpcEndpointConnectionsCommand)
      .resolves({ Unsuccessful: [{ ResourceId: 'vpce-00000000000000001', Error: { Code: 'OperationNotPermitted', Message: 'nope' } }] });
    const r = await onEvent(event('Delete'), deps({ deadline: 30_000 }));
    expect(r.status).toBe('FAILED');
    expect(r.reason).toMatch(/^1 connection\(s\) of vpce-svc-0123456789abcdef0 still active after \d+ s: vpce-00000000000000001 \(222222222222, available\)\./);
    expect(r.reason).toContain('Reject failures: vpce-00000000000000001: OperationNotPermitted: nope.');
    expect(r.reason).toContain(`privatelink teardown --service-id ${SERVICE} --yes`);
    expect(t).toBeLessThanOrEqual(30_000);
  });

  describe('handler (answers CloudFormation with a PUT to the ResponseURL)', () => {
    let server: Server;
    let received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }>;
    let responseUrl: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(body) });
          res.writeHead(200);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response?X-Amz-Signature=abc`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      received = [];
      // The handler logs the event and the result: keep the test output clean.
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => jest.restoreAllMocks());
    const context = { getRemainingTimeInMillis: () => 60_000, logStreamName: '2026/01/01/[$LATEST]abc' };

    test('GIVEN a stack delete with nothing connected THEN it PUTs SUCCESS with the request identifiers', async () => {
      stackStatus('DELETE_IN_PROGRESS');
      ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
      await handler(event('Delete', { ResponseURL: responseUrl }), context);
      expect(received).toHaveLength(1);
      expect(received[0].method).toBe('PUT');
      expect(received[0].url).toBe('/cfn-response?X-Amz-Signature=abc');
      expect(received[0].headers['content-type']).toBe('');
      expect(received[0].body).toEqual({
        Status: 'SUCCESS',
        Reason: 'OK',
        PhysicalResourceId: physicalIdFor(SERVICE),
        StackId: STACK_ID,
        RequestId: 'req-1',
        LogicalResourceId: 'ProviderConnectionTeardown',
        NoEcho: false,
        Data: { Rejected: '0' },
      });
    });

    test('GIVEN an unexpected error THEN it still answers: FAILED with the error and the log stream', async () => {
      stackStatus('DELETE_IN_PROGRESS');
      ec2Mock
        .on(DescribeVpcEndpointConnectionsCommand)
        .rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
      await handler(event('Delete', { ResponseURL: responseUrl }), context);
      expect(received).toHaveLength(1);
      expect(received[0].body.Status).toBe('FAILED');
      expect(received[0].body.Reason).toBe(
        'UnauthorizedOperation: You are not authorized to perform this operation. (see the function\'s log stream 2026/01/01/[$LATEST]abc)',
      );
      expect(received[0].body.PhysicalResourceId).toBe(physicalIdFor(SERVICE));
    });
  });
});

test('responseBody keeps the reason within the CloudFormation size limit', () => {
  const body = JSON.parse(responseBody(event('Create'), { status: 'FAILED', physicalResourceId: 'x', reason: 'r'.repeat(5000) }));
  expect(body.Reason).toHaveLength(MAX_REASON_LENGTH);
  expect(body.Reason.endsWith('…')).toBe(true);
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
        TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
      }),
    );
    const logs: string[] = [];
    // EC2 is never reached in this path: an unreachable endpoint proves it.
    const ec2 = new EC2Client({ ...moto.clientConfig, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    const r = await onEvent(event('Delete', { StackId: created.StackId! }), { ec2, cloudformation: cfn, log: (m) => logs.push(m) });
    expect(r.status).toBe('SUCCESS');
    expect(logs.join('\n')).toMatch(/Stack status CREATE_COMPLETE: the stack is not being deleted/);
  }, 30_000);
});
