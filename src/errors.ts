import type { IConstruct } from 'constructs';

/**
 * `Error` behind a class declaration: jsii refuses `extends Error` on an exported class (JSII3004) but
 * erases a base class that is not exported. aws-cdk-lib's `ValidationError` does the same.
 */
abstract class ErrorBase extends Error {}

/**
 * The one error class of cdk-privatelink: thrown at synth time when the configuration is invalid.
 *
 * Each problem names the input (a construct prop, an env var or a context key), the value received and
 * the fix. Problems found together are reported together, one per line.
 *
 * TypeScript and JavaScript only: jsii cannot model a subclass of the built-in `Error`, so the class is
 * hidden from the jsii assembly (like aws-cdk-lib's own `ValidationError`). In Python, Java, .NET and Go
 * the same message arrives as the language's jsii runtime exception.
 *
 * @internal
 */
export class PrivateLinkConfigError extends ErrorBase {
  /** Each problem found, one sentence each. */
  public readonly problems: string[];
  /** The path of the construct whose input is wrong (`Stack/Consumer`), when a construct is. */
  public readonly constructPath?: string;

  constructor(problems: string[], constructPath?: string) {
    const where = constructPath ? `${constructPath}: ` : '';
    super(
      problems.length === 1
        ? `${where}${problems[0]}`
        : `${where}${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'PrivateLinkConfigError';
    this.problems = problems;
    this.constructPath = constructPath;
  }
}

/** A problem message, or undefined when the input is fine. */
export type Problem = string | undefined;

/**
 * Throws one {@link PrivateLinkConfigError} listing every problem, if there is any, naming the construct
 * whose input is wrong, or the function (`PrivateLinkService.fromServiceName()`); omit it only for input
 * that is no construct's: the app's settings.
 */
export function throwIfProblems(problems: Problem[], scope?: IConstruct | string): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) {
    throw new PrivateLinkConfigError(found, typeof scope === 'string' ? scope : scope?.node.path);
  }
}
