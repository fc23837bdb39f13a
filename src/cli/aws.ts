/**
 * AWS access for the CLI: SDK clients loaded only when a command needs them (`await import()`), the
 * service and function found from the stacks' outputs, and SDK errors turned into one-line reasons.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Invocation } from './args';
import { CliError } from './output';

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
function commonJs<T extends object>(mod: T, name: keyof T): T {
  return mod[name] !== undefined ? mod : ((mod as { default?: T }).default ?? mod);
}

export async function ec2Client(inv: Invocation): Promise<EC2Client> {
  const { EC2Client } = commonJs(await import('@aws-sdk/client-ec2'), 'EC2Client');
  return track(new EC2Client({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
}

export async function lambdaClient(inv: Invocation): Promise<LambdaClient> {
  const { LambdaClient } = commonJs(await import('@aws-sdk/client-lambda'), 'LambdaClient');
  return track(new LambdaClient({ region: inv.region, maxAttempts: CLI_MAX_ATTEMPTS }));
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

/** The outputs of a stack, by key. */
export async function stackOutputs(inv: Invocation, stack: string): Promise<Record<string, string>> {
  const cfn = await cloudFormationClient(inv);
  const { DescribeStacksCommand } = commonJs(await import('@aws-sdk/client-cloudformation'), 'DescribeStacksCommand');
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const outputs: Record<string, string> = {};
    for (const o of out.Stacks?.[0]?.Outputs ?? []) {
      if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
    }
    return outputs;
  } catch (err) {
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      throw new CliError(`stack ${stack} not found in ${await regionOf(cfn)}: deploy it, pass --region, or name the resource directly (${
        inv.command === 'check' ? '--function <name>' : inv.command === 'rollout-status' ? '--stack-set <name>' : '--service-id <vpce-svc-…>'
      })`);
    }
    throw err;
  }
}

/** The endpoint service: --service-id, or the ServiceId output of the provider stack. */
export async function resolveServiceId(inv: Invocation): Promise<string> {
  if (inv.serviceId) return inv.serviceId;
  const outputs = await stackOutputs(inv, inv.stack);
  if (outputs.ServiceId) return outputs.ServiceId;
  // A stack of the library's users: any single output that holds a service ID.
  const candidates = [...new Set(Object.values(outputs).filter((v) => /^vpce-svc-[0-9a-f]+$/.test(v)))];
  if (candidates.length === 1) return candidates[0];
  throw new CliError(
    candidates.length > 1
      ? `stack ${inv.stack} has several endpoint service IDs in its outputs (${candidates.join(', ')}): pass --service-id`
      : `stack ${inv.stack} has no ServiceId output: is it a cdk-privatelink provider stack? Pass --service-id <vpce-svc-…>`,
  );
}

/** The check function: --function, or the CheckFunctionName output of the consumer stack. */
export async function resolveCheckFunction(inv: Invocation): Promise<string> {
  if (inv.functionName) return inv.functionName;
  const outputs = await stackOutputs(inv, inv.stack);
  if (outputs.CheckFunctionName) return outputs.CheckFunctionName;
  throw new CliError(`stack ${inv.stack} has no CheckFunctionName output: is it a cdk-privatelink consumer stack? Pass --function <name>`);
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
