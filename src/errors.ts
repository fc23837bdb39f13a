/**
 * The one error class of cdk-privatelink: thrown at synth time when the configuration is invalid.
 *
 * Each problem names the input (a construct prop, an env var or a context key), the value received and
 * the fix. Problems found together are reported together, one per line.
 */
export class PrivateLinkConfigError extends Error {
  /** Each problem found, one sentence each. */
  public readonly problems: string[];

  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'PrivateLinkConfigError';
    this.problems = problems;
  }
}

/** A problem message, or undefined when the input is fine. */
export type Problem = string | undefined;

/** Throws one {@link PrivateLinkConfigError} listing every problem, if there is any. */
export function throwIfProblems(problems: Problem[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) {
    throw new PrivateLinkConfigError(found);
  }
}
