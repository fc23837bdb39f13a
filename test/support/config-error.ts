import { PrivateLinkConfigError } from '../../src/errors';

/** Runs `fn` and returns the PrivateLinkConfigError it throws (failing the test otherwise). */
export function configError(fn: () => unknown): PrivateLinkConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PrivateLinkConfigError);
    return err as PrivateLinkConfigError;
  }
  throw new Error('expected a PrivateLinkConfigError, nothing was thrown');
}
