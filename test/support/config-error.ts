import { PrivateLinkConfigError } from '../../src/errors';

/**
 * Runs `fn` and returns the PrivateLinkConfigError it throws (failing the test otherwise). An error of a
 * construct (or of `PrivateLinkService.fromServiceName()`) must name it: its message starts with that path.
 */
export function configError(fn: () => unknown): PrivateLinkConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PrivateLinkConfigError);
    const error = err as PrivateLinkConfigError;
    if (error.constructPath !== undefined) expect(error.message.startsWith(`${error.constructPath}: `)).toBe(true);
    return error;
  }
  throw new Error('expected a PrivateLinkConfigError, nothing was thrown');
}

/** The message of a construct's error without the leading `Path: ` that names the construct. */
export function withoutPath(err: PrivateLinkConfigError): string {
  return err.constructPath === undefined ? err.message : err.message.slice(err.constructPath.length + 2);
}
