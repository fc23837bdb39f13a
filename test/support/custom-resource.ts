/**
 * Helpers for custom-resource handler tests: CloudFormation events, a Lambda context, and a fake clock
 * whose sleeps take no real time (waits and backoffs are asserted by what was slept, never timed).
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import type {
  Clock,
  CustomResourceEvent,
  LambdaContext,
  RequestType,
  ResponseDocument,
} from '../../src/runtime/shared/custom-resource';

export interface FakeClock extends Clock {
  /** Every sleep, in ms, in order. */
  readonly sleeps: number[];
  /** Milliseconds since the clock was made. */
  elapsed(): number;
}

export function fakeClock(): FakeClock {
  let t = 1_700_000_000_000;
  const start = t;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    elapsed: () => t - start,
  };
}

/** A Lambda context in account 123456789012 (moto's account) whose remaining time follows `clock`. */
export function lambdaContext(clock: FakeClock, timeoutMs = 900_000, account = '123456789012'): LambdaContext {
  return {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:handler`,
    getRemainingTimeInMillis: () => timeoutMs - clock.elapsed(),
  };
}

export function cfnEvent<P extends object>(
  requestType: RequestType,
  properties: P,
  extra: { physicalResourceId?: string; oldProperties?: P; responseUrl?: string } = {},
): CustomResourceEvent<P> {
  return {
    RequestType: requestType,
    ResponseURL: extra.responseUrl ?? 'https://cloudformation-custom-resource-response.invalid/',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Test/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'Resource',
    ResourceType: 'Custom::Test',
    PhysicalResourceId: extra.physicalResourceId,
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:handler', ...properties },
    OldResourceProperties: extra.oldProperties,
  };
}

/** An AWS SDK-style service error. */
export function awsError(name: string, message = name, throttling = false): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    ...(throttling ? { $retryable: { throttling: true } } : {}),
  });
}

/** A local HTTP server on 127.0.0.1 standing in for CloudFormation's pre-signed response URL. */
export interface ResponseServer {
  readonly url: string;
  /** The response documents received, in order. */
  readonly answers: ResponseDocument[];
  close(): Promise<void>;
}

export async function startResponseServer(): Promise<ResponseServer> {
  const answers: ResponseDocument[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      answers.push(JSON.parse(body) as ResponseDocument);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`,
    answers,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `fn` with the env vars set (e.g. moto's, for a handler that builds its own SDK clients), then restores them. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
