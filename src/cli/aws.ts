/**
 * AWS access for the CLI: SDK clients loaded only when a command needs them (`await import()`), the
 * service, endpoint and check function found among a stack's resources, and SDK errors turned into
 * one-line reasons.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RAMClient } from '@aws-sdk/client-ram';
import type { Invocation } from './args';
import { CliError } from './output';
import { CHECK_FUNCTION_METADATA } from '../stack-names';

/** Attempts per request (the SDK's standard retry mode backs off on throttling and network errors). */
export const CLI_MAX_ATTEMPTS = 3;

const opened: Array<{ destroy(): void }> = [];

function track<T extends { destroy(): void }>(client: T): T {
  opened.push(client);
  return client;
}

/** Closes every client's sockets so the process can exit at once. */
export function closeClients(): void {
  for (const c of opened.splice(0)) c.destroy();
}

/**
 * The exports of a CommonJS package loaded with `await import()`: Node gives them by name, while the
 * bundled CLI (ES modules built by esbuild) may only give them as `default`.
 */
export function commonJs<T extends object>(mod: T, name: keyof T): T {
  return mod[name] !== undefined ? mod : ((mod as { default?: T }).default ?? mod);
}

export async function ec2Client(inv: Invocation): Promise<EC2Client> {
  const { EC2Client } = commonJs(await import('@aws-sdk/client-ec2'), 'EC2Client');
  return track(new EC2Client({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

export async function elbClient(inv: Invocation): Promise<ElasticLoadBalancingV2Client> {
  const { ElasticLoadBalancingV2Client } = commonJs(await import('@aws-sdk/client-elastic-load-balancing-v2'), 'ElasticLoadBalancingV2Client');
  return track(new ElasticLoadBalancingV2Client({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

export async function lambdaClient(inv: Invocation): Promise<LambdaClient> {
  const { LambdaClient } = commonJs(await import('@aws-sdk/client-lambda'), 'LambdaClient');
  return track(new LambdaClient({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

export async function ramClient(inv: Invocation): Promise<RAMClient> {
  const { RAMClient } = commonJs(await import('@aws-sdk/client-ram'), 'RAMClient');
  return track(new RAMClient({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

export async function cloudFormationClient(inv: Invocation): Promise<CloudFormationClient> {
  const { CloudFormationClient } = commonJs(await import('@aws-sdk/client-cloudformation'), 'CloudFormationClient');
  return track(new CloudFormationClient({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

/** The region a client resolved (from --region, the environment or the profile). */
export async function regionOf(client: { config: { region: () => Promise<string> } }): Promise<string> {
  return client.config.region();
}

/** The partition of a region: `aws`, `aws-cn`, `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** One resource of a stack: its logical ID, physical ID and type. */
export interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

/** What the CLI looks for in a stack built with the library. */
export type StackPart = 'service' | 'endpoint' | 'check' | 'stackSet';

/** How each part is recognised among a stack's resources, and how to name it directly instead. */
const PARTS: Record<StackPart, { type: string; what: string; option: string }> = {
  service: { type: 'AWS::EC2::VPCEndpointService', what: 'endpoint service', option: '--service-id <vpce-svc-…>' },
  endpoint: { type: 'AWS::EC2::VPCEndpoint', what: 'VPC endpoint', option: '--endpoint-id <vpce-…>' },
  check: { type: 'AWS::Lambda::Function', what: 'connectivity check function', option: '--function <name>' },
  stackSet: { type: 'AWS::CloudFormation::StackSet', what: 'StackSet', option: '--stack-set <name>' },
};

async function cloudFormation(inv: Invocation) {
  const cfn = await cloudFormationClient(inv);
  const sdk = commonJs(await import('@aws-sdk/client-cloudformation'), 'ListStackResourcesCommand');
  return { cfn, sdk };
}

/** Runs a call on `stack`, turning "does not exist" into a message that says what to do. */
async function onStack<T>(inv: Invocation, stack: string, part: StackPart, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      const cfn = await cloudFormationClient(inv);
      throw new CliError(`stack ${stack} not found in ${await regionOf(cfn)}: deploy it, pass --region, or name the resource directly (${PARTS[part].option})`);
    }
    throw err;
  }
}

/** Every resource of a stack (all pages). */
export async function stackResources(inv: Invocation, stack: string, part: StackPart): Promise<StackResource[]> {
  const { cfn, sdk } = await cloudFormation(inv);
  const found: StackResource[] = [];
  let token: string | undefined;
  do {
    const page = await onStack(inv, stack, part, () => cfn.send(new sdk.ListStackResourcesCommand({ StackName: stack, NextToken: token })));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId && r.PhysicalResourceId && r.ResourceType) {
        found.push({ logicalId: r.LogicalResourceId, physicalId: r.PhysicalResourceId, type: r.ResourceType });
      }
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** The resources of a deployed stack's template (JSON; a YAML template is none the library synthesized: empty). */
export async function stackTemplateResources(
  inv: Invocation,
  stack: string,
  part: StackPart,
): Promise<Record<string, { Type?: string; Metadata?: Record<string, unknown>; Properties?: Record<string, unknown> }>> {
  const { cfn, sdk } = await cloudFormation(inv);
  const out = await onStack(inv, stack, part, () => cfn.send(new sdk.GetTemplateCommand({ StackName: stack, TemplateStage: 'Processed' })));
  try {
    return (JSON.parse(out.TemplateBody ?? '{}') as { Resources?: Record<string, never> }).Resources ?? {};
  } catch {
    return {};
  }
}

/** The logical IDs of the stack's connectivity check functions (marked in the template's metadata). */
async function checkFunctionIds(inv: Invocation, stack: string): Promise<Set<string>> {
  const resources = await stackTemplateResources(inv, stack, 'check');
  return new Set(Object.keys(resources).filter((id) => resources[id].Metadata?.[CHECK_FUNCTION_METADATA.key] === CHECK_FUNCTION_METADATA.value));
}

/**
 * The physical ID of one part of a stack built with the library (any stack, not only the app's): the one
 * endpoint service, endpoint or connectivity check function among its resources. None, or several, is an
 * error that names them and the option to pick one directly.
 */
export async function findInStack(inv: Invocation, stack: string, part: StackPart): Promise<string> {
  const { type, what, option } = PARTS[part];
  const [resources, checks] = await Promise.all([
    stackResources(inv, stack, part),
    part === 'check' ? checkFunctionIds(inv, stack) : Promise.resolve(undefined),
  ]);
  const matching = resources.filter((r) => r.type === type && (checks === undefined || checks.has(r.logicalId)));
  if (matching.length === 1) return matching[0].physicalId;
  throw new CliError(
    matching.length === 0
      ? `stack ${stack} has no ${what} (${type}${part === 'check' ? ' made by ConnectivityCheck' : ''}): is it the right stack? Pass --stack <name>, or ${option}`
      : `stack ${stack} has ${matching.length} ${what}s (${matching.map((r) => `${r.logicalId} = ${r.physicalId}`).join(', ')}): pass ${option}`,
  );
}

/** The endpoint service: --service-id, or the one endpoint service of the stack. */
export async function resolveServiceId(inv: Invocation): Promise<string> {
  return inv.serviceId ?? findInStack(inv, inv.stack, 'service');
}

/** The check function: --function, or the one connectivity check function of the stack. */
export async function resolveCheckFunction(inv: Invocation): Promise<string> {
  return inv.functionName ?? findInStack(inv, inv.stack, 'check');
}

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

/** One line saying what went wrong, for any error a command can meet. */
export function describeError(err: unknown): string {
  if (err instanceof CliError) return err.message;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: unknown };
  const message = (e.message ?? String(err)).split('\n')[0];
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or run "aws configure"), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (/Region is missing/.test(message)) return 'no AWS region: pass --region or set AWS_REGION';
  const code = e.code ?? NETWORK_CODES.find((c) => message.includes(c));
  if (code && NETWORK_CODES.includes(code)) {
    const endpoint = process.env.AWS_ENDPOINT_URL ? ` at ${process.env.AWS_ENDPOINT_URL}` : '';
    return `could not reach AWS${endpoint} (${code}): check your network, proxy or AWS_ENDPOINT_URL`;
  }
  if (e.name && e.$metadata !== undefined) return `${e.name}: ${message}`;
  return message;
}
