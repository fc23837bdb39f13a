// What a CloudFormation custom resource handler needs and nothing more: the event shape, the answer to
// CloudFormation (a PUT of a JSON document to the pre-signed ResponseURL, Node's https), retries on
// throttling, and a clock that tests can replace. Node built-ins only.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isThrottling } from '../../connections/throttling';

export { isThrottling };

export type RequestType = 'Create' | 'Update' | 'Delete';

export interface CustomResourceEvent<P = Record<string, unknown>> {
  readonly RequestType: RequestType;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P & { ServiceToken?: string };
  readonly OldResourceProperties?: P;
}

/** The parts of the Lambda context the handlers use. */
export interface LambdaContext {
  readonly invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** What a successful Create/Update/Delete gives back to CloudFormation. */
export interface Outcome {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

/** Time, replaceable in tests so that waits and backoffs take no real time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** CloudFormation keeps the response document under 4 KiB: keep the reason well inside it. */
const MAX_REASON = 2500;

export interface ResponseDocument {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** PUTs the response document to the pre-signed URL (https; http only for local tests). */
export function putResponse(url: string, document: ResponseDocument): Promise<void> {
  const body = JSON.stringify(document);
  const target = new URL(url);
  const request = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode !== undefined && res.statusCode < 300
            ? resolve()
            : reject(new Error(`CloudFormation response URL answered HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('CloudFormation response URL timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs `work` for the event and answers CloudFormation: SUCCESS with its outcome, or FAILED with the
 * error's message as the reason (what the user sees in the stack events). Never throws: a handler that
 * does not answer leaves the stack waiting.
 */
export async function runCustomResource(
  event: CustomResourceEvent<object>,
  fallbackPhysicalId: string,
  work: () => Promise<Outcome>,
  clock: Clock = realClock,
): Promise<ResponseDocument> {
  let document: ResponseDocument;
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  try {
    const outcome = await work();
    document = { ...base, Status: 'SUCCESS', PhysicalResourceId: outcome.physicalResourceId, Data: outcome.data };
    console.log(JSON.stringify({ request: event.RequestType, status: 'SUCCESS', ...document.Data }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(JSON.stringify({ request: event.RequestType, status: 'FAILED', error: message }));
    document = {
      ...base,
      Status: 'FAILED',
      Reason: message.length > MAX_REASON ? `${message.slice(0, MAX_REASON)}…` : message,
      PhysicalResourceId: event.PhysicalResourceId ?? fallbackPhysicalId,
    };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await putResponse(event.ResponseURL, document);
      return document;
    } catch (err) {
      if (attempt >= 3) {
        console.error(`Could not answer CloudFormation: ${(err as Error).message}`);
        return document;
      }
      await clock.sleep(1000 * attempt);
    }
  }
}



/**
 * Calls `fn`, retrying throttling errors with exponential backoff and jitter (0.5 s, 1 s, 2 s, … up to
 * 10 s) until `attempts` calls were made. Other errors are thrown at once.
 */
export async function withThrottlingRetries<T>(fn: () => Promise<T>, clock: Clock, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err) || attempt >= attempts) throw err;
      const ceiling = Math.min(10_000, 500 * 2 ** (attempt - 1));
      await clock.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }
}

/** The error name of an AWS SDK error, or undefined. */
export function errorName(err: unknown): string | undefined {
  return (err as { name?: string })?.name;
}
