// Error names of AWS SDK throttling: shared by the CLI, the handlers and the custom-resource answer.
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
]);

/** Whether an AWS SDK error says "slow down" (worth retrying after a pause). */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return (
    (e?.name !== undefined && THROTTLING.has(e.name)) ||
    e?.$retryable?.throttling === true ||
    e?.$metadata?.httpStatusCode === 429
  );
}
