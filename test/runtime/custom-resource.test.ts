/**
 * How the custom-resource handlers answer CloudFormation: a PUT of the response document to the
 * pre-signed URL (served here by a local HTTP server on 127.0.0.1), and the throttling retry helper.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { type AddressInfo } from 'node:net';
import {
  isThrottling,
  runCustomResource,
  withThrottlingRetries,
  type ResponseDocument,
} from '../../src/runtime/shared/custom-resource';
import { awsError, cfnEvent, fakeClock } from '../support/custom-resource';

interface Received {
  readonly method?: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: ResponseDocument;
}

let server: Server;
let url: string;
let received: Received[];
/** Status codes to answer, in order (then 200). */
let statuses: number[];

beforeEach(async () => {
  received = [];
  statuses = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: JSON.parse(body) as ResponseDocument });
      res.writeHead(statuses.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=abc`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runCustomResource', () => {
  test('GIVEN work that succeeds THEN SUCCESS is PUT with the physical ID and data, an empty content type and the length', async () => {
    const event = cfnEvent('Create', { A: '1' }, { responseUrl: url });
    await runCustomResource(event, 'fallback', async () => ({ physicalResourceId: 'id-1', data: { Answer: '42' } }), fakeClock());
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('PUT');
    expect(received[0].headers['content-type']).toBe('');
    expect(Number(received[0].headers['content-length'])).toBe(JSON.stringify(received[0].body).length);
    expect(received[0].body).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'id-1',
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: { Answer: '42' },
    });
  });

  test('GIVEN work that throws on Create THEN FAILED with the message as the reason and the fallback physical ID', async () => {
    const event = cfnEvent('Create', {}, { responseUrl: url });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await runCustomResource(event, 'fallback-id', async () => {
      throw new Error('The service is not visible.');
    });
    expect(received[0].body).toMatchObject({ Status: 'FAILED', Reason: 'The service is not visible.', PhysicalResourceId: 'fallback-id' });
  });

  test('GIVEN a failure on Update THEN the existing physical ID is kept (no replacement)', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await runCustomResource(cfnEvent('Update', {}, { responseUrl: url, physicalResourceId: 'existing' }), 'fallback', async () => {
      throw new Error('x');
    });
    expect(received[0].body.PhysicalResourceId).toBe('existing');
  });

  test('GIVEN a very long message THEN the reason is cut to fit the 4 KiB response', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await runCustomResource(cfnEvent('Create', {}, { responseUrl: url }), 'f', async () => {
      throw new Error('x'.repeat(10_000));
    });
    expect(received[0].body.Reason!.length).toBe(2501);
    expect(JSON.stringify(received[0].body).length).toBeLessThan(4096);
  });

  test('GIVEN the response URL fails once THEN the PUT is retried', async () => {
    statuses = [500];
    const clock = fakeClock();
    await runCustomResource(cfnEvent('Delete', {}, { responseUrl: url, physicalResourceId: 'p' }), 'f', async () => ({ physicalResourceId: 'p' }), clock);
    expect(received.map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(clock.sleeps).toEqual([1000]);
  });
});

describe('withThrottlingRetries', () => {
  test.each(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'PriorRequestNotComplete'])(
    '%s is throttling',
    (name) => expect(isThrottling(awsError(name))).toBe(true),
  );

  test('a 429 status or the SDK throttling flag is throttling; a validation error is not', () => {
    expect(isThrottling(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isThrottling(awsError('Whatever', 'x', true))).toBe(true);
    expect(isThrottling(awsError('InvalidParameterValue'))).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });

  test('GIVEN two throttles THEN three calls, with growing backoff', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withThrottlingRetries(async () => {
      if (++calls < 3) throw awsError('Throttling');
      return 'ok';
    }, clock);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(500);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(1000);
  });

  test('GIVEN another error THEN no retry', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withThrottlingRetries(async () => {
        calls++;
        throw awsError('InvalidParameterValue', 'bad');
      }, clock),
    ).rejects.toThrow('bad');
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

test.each(['private-dns', 'preflight'])('the bundled %s asset (npm run bundle) exports the Lambda entry point', (name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundled = require(join(__dirname, '..', '..', 'assets', name, 'index.js')) as { handler?: unknown };
  expect(typeof bundled.handler).toBe('function');
});
