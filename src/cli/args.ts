/**
 * Reads and validates the command line before anything talks to AWS: every mistake the user can make in
 * the arguments is reported here, in one line, with exit code 2. No SDK import.
 */
import { parseArgs } from 'node:util';
import { checkResourceConfigurationArn } from '../resource/validate';
import { checkAccountId, checkRegion, parsePrincipal } from '../validate';
import { COMMAND_NAMES, COMMANDS, commandHelp, CommandName, CONSUMER_STACK, CONSUMER_STACK_SET_STACK, mainHelp, PROVIDER_STACK } from './spec';

/** Bad arguments: exit 2, nothing was called. */
export class UsageError extends Error {
  constructor(
    message: string,
    public readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const SERVICE_ID = /^vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
export const ENDPOINT_ID = /^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const STACK_ARN = /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[0-9a-f-]+$/;
/** A StackSet name (CloudFormation's pattern and length). */
const STACK_SET_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

/** A principal to allow or revoke: an account (its root ARN is built for the region's partition) or an ARN. */
export interface PrincipalArg {
  readonly accountId?: string;
  readonly arn?: string;
}

/** A validated invocation. */
export interface Invocation {
  readonly command: CommandName;
  readonly region?: string;
  readonly json: boolean;
  /** Where the service ID comes from: a stack's outputs, or given. */
  readonly stack: string;
  readonly serviceId?: string;
  readonly functionName?: string;
  /** doctor: whether --stack was given (a default stack that does not exist is then no error). */
  readonly stackGiven: boolean;
  /** doctor: the endpoint to diagnose, or the consumer stack (given) whose EndpointId output names it;
   * status: a resource endpoint to show. */
  readonly endpointId?: string;
  readonly consumerStack?: string;
  /** doctor: the port consumers connect to. */
  readonly port?: number;
  readonly endpointIds: string[];
  readonly accounts: string[];
  readonly principals: PrincipalArg[];
  readonly timeoutSeconds: number;
  /** accept-share: the resource configuration ARNs. */
  readonly resourceConfigurationArns: string[];
  /** rollout-status: the StackSet, when given instead of the stack's output. */
  readonly stackSet?: string;
  /** rollout-status: `SELF` or `DELEGATED_ADMIN`, when given. */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
}

/** What the command line asks for. */
export type Request = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'version' } | { readonly kind: 'run'; readonly invocation: Invocation };

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** The nearest command name, for "did you mean". */
function suggest(word: string): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[a.length][b.length];
  };
  const best = COMMAND_NAMES.map((n) => [n, distance(word, n)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

function isCommand(word: string): word is CommandName {
  return (COMMAND_NAMES as string[]).includes(word);
}

/** Parses `argv` (without node and the script). Throws UsageError. */
export function parseCommandLine(argv: string[]): Request {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', text: mainHelp() };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help', text: mainHelp() };
    if (!isCommand(topic)) throw unknownCommand(topic);
    return { kind: 'help', text: commandHelp(COMMANDS[topic]) };
  }
  if (first.startsWith('-')) {
    throw new UsageError(`options go after the command: privatelink <command> ${first} ... (commands: ${COMMAND_NAMES.join(', ')})`);
  }
  if (!isCommand(first)) throw unknownCommand(first);
  const spec = COMMANDS[first];
  // --help wins over everything else on the line, valid or not.
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: commandHelp(spec) };

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: spec.options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseArgsMessage(err as Error), first);
  }
  return { kind: 'run', invocation: validate(first, parsed.values, parsed.positionals) };
}

function unknownCommand(word: string): UsageError {
  const hint = suggest(word);
  return new UsageError(
    `unknown command ${quoted(word)}${hint ? ` (did you mean "${hint}"?)` : ''}. Commands: ${COMMAND_NAMES.join(', ')}.`,
  );
}

/** node:util parseArgs messages are long and mention positionals: say it shorter. */
function parseArgsMessage(err: Error): string {
  const code = (err as { code?: string }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? ''}`.trim();
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing/.test(err.message) ? `option ${option} needs a value` : `option ${option} takes no value`;
  }
  return err.message.split('\n')[0];
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function list(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function validate(command: CommandName, values: Values, positionals: string[]): Invocation {
  const spec = COMMANDS[command];
  const fail = (message: string) => new UsageError(message, command);

  const region = str(values, 'region');
  if (region !== undefined) {
    const problem = checkRegion('--region', region);
    if (problem) throw fail(problem);
  }

  if (spec.positionals === undefined && positionals.length > 0) {
    throw fail(`takes no arguments, got ${quoted(positionals[0])}`);
  }

  const stackArg = str(values, 'stack');
  const serviceId = str(values, 'service-id');
  const functionName = str(values, 'function');
  if (stackArg !== undefined && !STACK_NAME.test(stackArg) && !STACK_ARN.test(stackArg)) {
    throw fail(`--stack ${quoted(stackArg)} is not a CloudFormation stack name (letters, digits and hyphens, starting with a letter)`);
  }
  if (serviceId !== undefined && !SERVICE_ID.test(serviceId)) {
    throw fail(`--service-id ${quoted(serviceId)} is not an endpoint service ID: use vpce-svc- followed by 17 hex digits, e.g. vpce-svc-0123456789abcdef0`);
  }
  if (functionName !== undefined && !FUNCTION.test(functionName)) {
    throw fail(`--function ${quoted(functionName)} is not a Lambda function name or ARN`);
  }
  if (stackArg !== undefined && (serviceId !== undefined || functionName !== undefined)) {
    throw fail(`give --stack or ${serviceId !== undefined ? '--service-id' : '--function'}, not both`);
  }
  const endpointId = str(values, 'endpoint-id');
  const consumerStack = str(values, 'consumer-stack');
  if (endpointId !== undefined && !ENDPOINT_ID.test(endpointId)) {
    throw fail(`--endpoint-id ${quoted(endpointId)} is not a VPC endpoint ID: use vpce- followed by 17 hex digits, e.g. vpce-0123456789abcdef0`);
  }
  if (consumerStack !== undefined && !STACK_NAME.test(consumerStack) && !STACK_ARN.test(consumerStack)) {
    throw fail(`--consumer-stack ${quoted(consumerStack)} is not a CloudFormation stack name (letters, digits and hyphens, starting with a letter)`);
  }
  if (consumerStack !== undefined && endpointId !== undefined) throw fail('give --consumer-stack or --endpoint-id, not both');
  let port: number | undefined;
  const portArg = str(values, 'port');
  if (portArg !== undefined) {
    if (!/^\d+$/.test(portArg) || Number(portArg) < 1 || Number(portArg) > 65535) {
      throw fail(`--port ${quoted(portArg)} is not a TCP port: use a whole number from 1 to 65535, e.g. 443`);
    }
    port = Number(portArg);
  }

  const accounts = list(values, 'account');
  for (const a of accounts) {
    const problem = checkAccountId('--account', a);
    if (problem) throw fail(problem);
  }

  const endpointIds: string[] = [];
  const principals: PrincipalArg[] = [];
  if (command === 'accept' || command === 'reject') {
    for (const p of positionals) {
      if (!ENDPOINT_ID.test(p)) {
        throw fail(`${quoted(p)} is not a VPC endpoint ID: use vpce- followed by 17 hex digits, e.g. vpce-0123456789abcdef0 (see "privatelink status")`);
      }
      if (!endpointIds.includes(p)) endpointIds.push(p);
    }
    if (endpointIds.length === 0 && accounts.length === 0) {
      throw fail(`name the endpoints (vpce-…) or --account <12-digit ID>; see "privatelink status" for the pending ones`);
    }
    if (endpointIds.length > 0 && accounts.length > 0) throw fail('give endpoint IDs or --account, not both');
  }
  if (command === 'allow' || command === 'revoke') {
    if (positionals.length === 0) throw fail('name at least one account ID (12 digits) or IAM principal ARN');
    for (const p of positionals) {
      const parsed = parsePrincipal('argument', p, false);
      if ('problem' in parsed) {
        throw fail(p.trim() === '*' ? '"*" would let every AWS account connect: the CLI does not do that (name the accounts)' : parsed.problem);
      }
      principals.push(/^\d{12}$/.test(p.trim()) ? { accountId: p.trim() } : { arn: parsed.arn });
    }
  }

  const resourceConfigurationArns: string[] = [];
  if (command === 'accept-share') {
    if (positionals.length === 0) throw fail('name the resource configuration ARN the provider team sent you (its ResourceConfigurationArn output)');
    for (const p of positionals) {
      const problem = checkResourceConfigurationArn('argument', p);
      if (problem) throw fail(problem);
      if (!resourceConfigurationArns.includes(p)) resourceConfigurationArns.push(p);
    }
  }
  if (command === 'status' && endpointId !== undefined && (stackArg !== undefined || serviceId !== undefined)) {
    throw fail(`give --endpoint-id or ${stackArg !== undefined ? '--stack' : '--service-id'}, not both`);
  }

  let timeoutSeconds = 300;
  const timeout = str(values, 'timeout');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
      throw fail(`--timeout ${quoted(timeout)} is not a number of seconds from 1 to 3600`);
    }
    timeoutSeconds = Number(timeout);
  }
  const stackSet = str(values, 'stack-set');
  if (stackSet !== undefined && !STACK_SET_NAME.test(stackSet)) {
    throw fail(`--stack-set ${quoted(stackSet)} is not a StackSet name (up to 128 letters, digits and hyphens, starting with a letter)`);
  }
  if (stackSet !== undefined && stackArg !== undefined) throw fail('give --stack or --stack-set, not both');
  const callAsArg = str(values, 'call-as');
  const callAs = callAsArg?.toUpperCase();
  if (callAsArg !== undefined && callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw fail(`--call-as ${quoted(callAsArg)} is not SELF or DELEGATED_ADMIN (DELEGATED_ADMIN in a delegated administrator account)`);
  }
  if (command === 'teardown' && values.yes !== true) {
    throw fail('rejects every connection of the service, so every consumer loses access: add --yes to confirm');
  }

  return {
    command,
    region,
    json: values.json === true,
    stack: stackArg ?? (command === 'check' ? CONSUMER_STACK : command === 'rollout-status' ? CONSUMER_STACK_SET_STACK : PROVIDER_STACK),
    serviceId,
    functionName,
    stackGiven: stackArg !== undefined,
    endpointId,
    consumerStack,
    port,
    endpointIds,
    accounts: [...new Set(accounts)],
    principals,
    timeoutSeconds,
    resourceConfigurationArns,
    stackSet,
    callAs: callAs as Invocation['callAs'],
  };
}
