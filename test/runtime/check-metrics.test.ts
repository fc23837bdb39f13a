/**
 * The check handler's custom metrics: with EMF set (by a scheduled ConnectivityCheck), each run writes one
 * Embedded Metric Format line to stdout through console.log; without it, none.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { handler } from '../../src/runtime/check';
import { emfTemplate } from '../../src/check/schedule';

const ENV = ['CHECK_URL', 'EXPECTED_BODY', 'EXPECTED_STATUS', 'TIMEOUT_MS', 'EMF'];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let server: Server;
let url: string;
let logged: string[];

beforeAll(async () => {
  server = createServer((_req, res) => res.end('Hello from ALB!'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

beforeEach(() => {
  for (const k of ENV) delete process.env[k];
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

/** The EMF lines among what was logged: JSON objects with an `_aws` member. */
function emfLines(): Record<string, unknown>[] {
  return logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => '_aws' in o);
}

/** The rules of the EMF specification that CloudWatch enforces before it extracts metrics. */
function expectValidEmf(doc: Record<string, unknown>): void {
  const aws = doc._aws as { Timestamp: unknown; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  expect(Number.isInteger(aws.Timestamp)).toBe(true);
  expect(Math.abs((aws.Timestamp as number) - Date.now())).toBeLessThan(60_000);
  for (const directive of aws.CloudWatchMetrics) {
    expect(typeof directive.Namespace).toBe('string');
    for (const key of directive.Dimensions.flat()) expect(typeof doc[key]).toBe('string');
    for (const metric of directive.Metrics) expect(typeof doc[metric.Name]).toBe('number');
  }
}

test('GIVEN EMF WHEN the check succeeds THEN one EMF line: Success 1, Latency in ms, the Check dimension, a timestamp', async () => {
  process.env.CHECK_URL = url;
  process.env.EMF = emfTemplate('PrivateLinkConsumer/Check');
  const result = await handler({});
  expect(result.ok).toBe(true);
  const lines = emfLines();
  expect(lines).toHaveLength(1);
  expectValidEmf(lines[0]);
  expect(lines[0]).toMatchObject({ Check: 'PrivateLinkConsumer/Check', Success: 1, Latency: result.latencyMs });
  expect((lines[0]._aws as { CloudWatchMetrics: unknown }).CloudWatchMetrics).toEqual(
    (JSON.parse(process.env.EMF) as { _aws: { CloudWatchMetrics: unknown } })._aws.CloudWatchMetrics,
  );
});

test('GIVEN EMF WHEN the check fails THEN the EMF line says Success 0', async () => {
  process.env.CHECK_URL = url;
  process.env.EXPECTED_BODY = 'something else';
  process.env.EMF = emfTemplate('S/Check');
  const result = await handler({});
  expect(result.ok).toBe(false);
  const lines = emfLines();
  expect(lines).toHaveLength(1);
  expectValidEmf(lines[0]);
  expect(lines[0]).toMatchObject({ Check: 'S/Check', Success: 0 });
});

test('GIVEN EMF and no CHECK_URL (a configuration failure) THEN Success 0 is still reported', async () => {
  process.env.EMF = emfTemplate('S/Check');
  await handler({});
  expect(emfLines()).toEqual([expect.objectContaining({ Success: 0, Latency: 0 })]);
});

test('GIVEN no EMF THEN no metric line is written (an unscheduled check)', async () => {
  process.env.CHECK_URL = url;
  await handler({});
  expect(emfLines()).toEqual([]);
  expect(logged).toHaveLength(1); // the result itself
});

describe('every protocol writes the same metrics (tcp:// and tls:// too)', () => {
  let tcp: NetServer;
  let tcpPort: number;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    // A TCP service that never speaks (a database waiting for its client): tcp:// passes, tls:// times out.
    tcp = createNetServer((socket) => void accepted.push(socket.on('error', () => undefined)));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    tcpPort = (tcp.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
  });

  test.each([
    ['http', () => url, 1],
    ['tcp, the connection opens', () => `tcp://127.0.0.1:${tcpPort}`, 1],
    ['tcp, nothing listening', () => 'tcp://127.0.0.1:9', 0],
    ['tls, the handshake never completes', () => `tls://127.0.0.1:${tcpPort}`, 0],
  ])('%s → Success %p', async (_mode, checkUrl, success) => {
    process.env.CHECK_URL = checkUrl();
    process.env.TIMEOUT_MS = '300';
    process.env.EMF = emfTemplate('S/Check');
    const result = await handler({});
    expect(result.ok).toBe(success === 1);
    const lines = emfLines();
    expect(lines).toHaveLength(1);
    expectValidEmf(lines[0]);
    expect(lines[0]).toMatchObject({ Check: 'S/Check', Success: success, Latency: result.latencyMs });
  });
});
