/**
 * Helpers for custom-resource handler tests: CloudFormation events, a Lambda context, and a fake clock
 * whose sleeps take no real time (waits and backoffs are asserted by what was slept, never timed).
 */
import type { Clock, CustomResourceEvent, LambdaContext, RequestType } from '../../src/runtime/shared/custom-resource';

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
