/**
 * Answers CloudFormation for a custom resource backed directly by our own Lambda function (no CDK
 * Provider framework): one PUT of the JSON result to the pre-signed `ResponseURL`. Node built-ins only.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The event CloudFormation sends to a custom resource's function. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

export interface CustomResourceResult {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  /** Shown in the CloudFormation events; required when FAILED. */
  readonly reason?: string;
  readonly data?: Record<string, string>;
}

/** CloudFormation limits the whole response to 4 KB: keep the reason well inside that. */
export const MAX_REASON_LENGTH = 1000;

/** The JSON body CloudFormation expects. */
export function responseBody(event: CustomResourceEvent, result: CustomResourceResult): string {
  let reason = result.reason ?? (result.status === 'SUCCESS' ? 'OK' : 'Failed (no reason given)');
  if (reason.length > MAX_REASON_LENGTH) reason = `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
  return JSON.stringify({
    Status: result.status,
    Reason: reason,
    PhysicalResourceId: result.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: result.data ?? {},
  });
}

/** PUTs the result to the event's ResponseURL (https; http is accepted for local tests). */
export function sendResponse(event: CustomResourceEvent, result: CustomResourceResult, timeoutMs = 10_000): Promise<void> {
  const body = responseBody(event, result);
  const url = new URL(event.ResponseURL);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        // The pre-signed S3 URL is signed without a content type: send none.
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300
            ? resolve()
            : reject(new Error(`CloudFormation response PUT answered HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`CloudFormation response PUT timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
