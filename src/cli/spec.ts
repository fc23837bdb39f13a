/**
 * What the `privatelink` commands are: names, options and help texts. Pure data, loaded for every
 * invocation: nothing here may import the AWS SDK (so `privatelink --help` stays fast).
 */

export type OptionType = 'string' | 'boolean';

export interface OptionSpec {
  readonly type: OptionType;
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown in help after the option name, e.g. `<id>`. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: CommandName;
  readonly summary: string;
  /** Usage lines, without the `privatelink ` prefix. */
  readonly usage: string[];
  /** Paragraphs shown under the usage. */
  readonly description: string[];
  readonly options: Record<string, OptionSpec>;
  /** What positional arguments mean, or undefined when the command takes none. */
  readonly positionals?: string;
}

export type CommandName = 'status' | 'accept' | 'reject' | 'allow' | 'revoke' | 'check' | 'teardown' | 'doctor' | 'rollout-status' | 'accept-share';

import { CONSUMER_STACK, CONSUMER_STACK_SET_STACK, PROVIDER_STACK } from '../stack-names';

export { CONSUMER_STACK, CONSUMER_STACK_SET_STACK, PROVIDER_STACK };

const GLOBAL: Record<string, OptionSpec> = {
  region: { type: 'string', value: '<region>', help: 'AWS region (default: AWS_REGION or your profile\'s region)' },
  json: { type: 'boolean', help: 'print machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const SERVICE: Record<string, OptionSpec> = {
  stack: { type: 'string', value: '<name>', help: `a stack built with the library that holds the endpoint service (default ${PROVIDER_STACK})` },
  'service-id': { type: 'string', value: '<vpce-svc-…>', help: 'the endpoint service ID, instead of reading the stack' },
};

export const COMMANDS: Record<CommandName, CommandSpec> = {
  status: {
    name: 'status',
    summary: 'show the endpoint service, its allowed principals and its connections',
    usage: ['status [--stack <name> | --service-id <vpce-svc-…>]', 'status --endpoint-id <vpce-…>'],
    description: [
      'Shows the service (name, state, acceptance, availability zones with their IDs, private DNS name), who may connect, and every endpoint connection with its owner account and state.',
      'For PrivateLink for resources: a stack with a resource configuration (the provider) shows it and its RAM share with each principal\'s status; a stack with one resource endpoint (--stack PrivateLinkConsumer), or --endpoint-id, shows the endpoint\'s state, its DNS name and whether the share is accepted.',
    ],
    options: {
      ...SERVICE,
      'endpoint-id': { type: 'string', value: '<vpce-…>', help: 'a resource endpoint (consumer side) to show, instead of reading a stack' },
      ...GLOBAL,
    },
  },
  accept: {
    name: 'accept',
    summary: 'accept pending connection requests',
    usage: ['accept <vpce-id>... [--stack <name> | --service-id <vpce-svc-…>]', 'accept --account <account-id>... [--stack <name> | --service-id <vpce-svc-…>]'],
    description: [
      'Accepts the named endpoints, or every pendingAcceptance endpoint owned by the given account(s). Exits 1 if any could not be accepted, or if --account matched no pending request.',
    ],
    options: {
      account: { type: 'string', multiple: true, value: '<account-id>', help: 'accept the pending endpoints of this account (repeatable)' },
      ...SERVICE,
      ...GLOBAL,
    },
    positionals: 'endpoint IDs (vpce-…)',
  },
  reject: {
    name: 'reject',
    summary: 'reject connections (pending or established)',
    usage: ['reject <vpce-id>... [--stack <name> | --service-id <vpce-svc-…>]', 'reject --account <account-id>... [--stack <name> | --service-id <vpce-svc-…>]'],
    description: [
      'Rejects the named endpoints, or every pending or available endpoint owned by the given account(s): their traffic stops. Exits 1 if any could not be rejected, or if --account matched nothing.',
    ],
    options: {
      account: { type: 'string', multiple: true, value: '<account-id>', help: 'reject the endpoints of this account (repeatable)' },
      ...SERVICE,
      ...GLOBAL,
    },
    positionals: 'endpoint IDs (vpce-…)',
  },
  allow: {
    name: 'allow',
    summary: 'allow principals to create endpoints to the service',
    usage: ['allow <account-id-or-arn>... [--stack <name> | --service-id <vpce-svc-…>]'],
    description: [
      'Adds 12-digit account IDs (their root) or IAM principal ARNs to the allowed principals. The stack manages the same list: add them to allowedPrincipals (or CONSUMER_ACCOUNT_ID) too, or the next deploy removes them.',
    ],
    options: { ...SERVICE, ...GLOBAL },
    positionals: 'account IDs or IAM principal ARNs',
  },
  revoke: {
    name: 'revoke',
    summary: 'stop allowing principals (existing connections stay)',
    usage: ['revoke <account-id-or-arn>... [--stack <name> | --service-id <vpce-svc-…>]'],
    description: [
      'Removes principals from the allowed list: they can no longer create endpoints. Connections that exist stay up: reject them with "privatelink reject --account <id>".',
    ],
    options: { ...SERVICE, ...GLOBAL },
    positionals: 'account IDs or IAM principal ARNs',
  },
  check: {
    name: 'check',
    summary: "run the consumer's connectivity check and print the result",
    usage: ['check [--stack <name> | --function <name>]'],
    description: [
      `Invokes the connectivity check function (the ConnectivityCheck of the consumer stack, default ${CONSUMER_STACK}) and prints whether the service answered, with status code, latency and body, or what went wrong. Exits 1 when the check fails.`,
    ],
    options: {
      stack: { type: 'string', value: '<name>', help: `a stack built with the library that holds one ConnectivityCheck (default ${CONSUMER_STACK})` },
      function: { type: 'string', value: '<name>', help: 'the check function name or ARN, instead of reading the stack' },
      ...GLOBAL,
    },
  },
  doctor: {
    name: 'doctor',
    summary: 'diagnose a connection hop by hop, on whichever sides these credentials see',
    usage: ['doctor [--service-id <vpce-svc-…> | --stack <name>] [--endpoint-id <vpce-…> | --consumer-stack <name>] [--port <n>]'],
    description: [
      `Checks the consumer side given an endpoint (--endpoint-id, or the one VPC endpoint of the ${CONSUMER_STACK} stack) and the provider side given a service (--service-id, or the one endpoint service of the ${PROVIDER_STACK} stack), both when one account sees both: endpoint state, service visibility, AZs, security groups, network ACLs, private DNS; the service, its NLB, listener, targets, cross-zone, connections, allowed principals and private DNS verification.`,
      'Each check passes, fails, warns or is skipped (with the reason: a check downstream of a failure, or a read these credentials may not make); every failure says what to do and whom to ask. Exits 1 when a check fails.',
    ],
    options: {
      'service-id': SERVICE['service-id'],
      stack: { type: 'string', value: '<name>', help: `a stack built with the library that holds the endpoint service (default ${PROVIDER_STACK}, when it exists)` },
      'endpoint-id': { type: 'string', value: '<vpce-…>', help: 'the interface endpoint, instead of reading the consumer stack' },
      'consumer-stack': { type: 'string', value: '<name>', help: `a stack built with the library that holds the VPC endpoint (default ${CONSUMER_STACK}, when it exists)` },
      port: { type: 'string', value: '<n>', help: "the port consumers connect to (default: the one the endpoint's security group admits, else the NLB listener's)" },
      ...GLOBAL,
    },
  },
  teardown: {
    name: 'teardown',
    summary: 'reject every connection so the provider stack can be deleted',
    usage: ['teardown --yes [--timeout <seconds>] [--stack <name> | --service-id <vpce-svc-…>]'],
    description: [
      'Rejects every pending and available connection of the service and waits until none is active (progress on stderr). Consumers lose access: --yes confirms that. Afterwards "npx cdk destroy PrivateLinkProvider" deletes the service and its NLB cleanly. Exits 1 if connections are still active when the timeout ends.',
    ],
    options: {
      yes: { type: 'boolean', help: 'confirm: every consumer loses access' },
      timeout: { type: 'string', value: '<seconds>', help: 'how long to wait for the connections to go (default 300, at most 3600)' },
      ...SERVICE,
      ...GLOBAL,
    },
  },
  'rollout-status': {
    name: 'rollout-status',
    summary: 'list the consumer StackSet\'s stack instances by account and region, failures first',
    usage: ['rollout-status [--stack <name> | --stack-set <name>] [--call-as SELF|DELEGATED_ADMIN]'],
    description: [
      `Lists every stack instance of the consumer StackSet (the AWS::CloudFormation::StackSet of the stack that deploys it, default ${CONSUMER_STACK_SET_STACK}) with its account, region, OU, status and drift: failed instances first, then those in progress, outdated and drifted. Run it in the management account or a delegated administrator account (without --call-as it asks as SELF, then as DELEGATED_ADMIN). Exits 1 when an instance failed.`,
    ],
    options: {
      stack: { type: 'string', value: '<name>', help: `stack whose StackSet resource is the one to show (default ${CONSUMER_STACK_SET_STACK})` },
      'stack-set': { type: 'string', value: '<name>', help: 'the StackSet name or ID, instead of reading the stack' },
      'call-as': { type: 'string', value: '<SELF|DELEGATED_ADMIN>', help: 'how to call the StackSet APIs (default: SELF, then DELEGATED_ADMIN)' },
      ...GLOBAL,
    },
  },
  'accept-share': {
    name: 'accept-share',
    summary: 'accept the RAM invitation of a resource shared with this account (consumer)',
    usage: ['accept-share <resource-configuration-arn>...'],
    description: [
      'With the consumer account\'s credentials: finds the pending AWS RAM invitation whose share holds the resource configuration and accepts it, so that a resource endpoint can be created. Needed when the provider\'s account is outside your AWS Organization (or the organization does not share with RAM automatically). A configuration already shared with the account is reported and left alone. Exits 1 if no pending invitation holds it.',
    ],
    options: { ...GLOBAL },
    positionals: 'resource configuration ARNs (arn:aws:vpc-lattice:…:resourceconfiguration/rcfg-…)',
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

function optionLines(options: Record<string, OptionSpec>): string[] {
  const left = Object.entries(options).map(([name, o]) =>
    `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(options).map((o, i) => `  ${left[i].padEnd(width)}  ${o.help}`);
}

/** `privatelink --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length));
  return [
    'privatelink: day-2 operations for a cdk-privatelink endpoint service and its consumers',
    '',
    'Usage: privatelink <command> [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL),
    '',
    `The service is found among the resources of the ${PROVIDER_STACK} stack (--stack for any other stack built with the library)`,
    'or given with --service-id. AWS credentials come from the default chain; AWS_ENDPOINT_URL is honoured.',
    'Exit codes: 0 success, 1 failure (reason on stderr), 2 invalid arguments (nothing was called).',
    '',
    'Run "privatelink <command> --help" for the options of a command.',
  ].join('\n');
}

/** `privatelink <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  return [
    `privatelink ${spec.name}: ${spec.summary}`,
    '',
    ...spec.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}privatelink ${u}`),
    '',
    ...spec.description,
    '',
    'Options:',
    ...optionLines(spec.options),
  ].join('\n');
}
