/** `privatelink check`: invokes the consumer's connectivity check function and prints its result. */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Invocation } from '../args';
import { lambdaClient, resolveCheckFunction } from '../aws';
import { CliError, type Io, json, keyValues } from '../output';

/** What the check function returns (src/runtime/check). */
export interface CheckResult {
  readonly ok: boolean;
  readonly url?: string;
  readonly statusCode?: number;
  readonly body?: string;
  readonly latencyMs?: number;
  readonly error?: { code: string; message: string };
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const functionName = await resolveCheckFunction(inv);
  const lambda = await lambdaClient(inv);
  const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode('{}') }));
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  if (out.FunctionError) {
    let detail = text;
    try {
      const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      detail = `${e.errorType ?? 'Error'}: ${e.errorMessage ?? ''}`;
    } catch {
      // keep the raw payload
    }
    throw new CliError(`the check function ${functionName} failed (${out.FunctionError}): ${oneLine(detail)}`);
  }
  let result: CheckResult;
  try {
    result = JSON.parse(text) as CheckResult;
    if (typeof result?.ok !== 'boolean') throw new Error('no "ok" field');
  } catch {
    throw new CliError(`the function ${functionName} did not return a check result: ${oneLine(text) || '(empty payload)'}`);
  }
  if (inv.json) {
    io.out(json({ functionName, ...result }));
  } else {
    const pairs: Array<[string, string]> = [
      ['Result', result.ok ? 'ok' : 'FAILED'],
      ['URL', result.url ?? '-'],
      ['Status', result.statusCode !== undefined ? String(result.statusCode) : '-'],
      ['Latency', result.latencyMs !== undefined ? `${result.latencyMs} ms` : '-'],
      ['Body', result.body !== undefined ? oneLine(result.body) : '-'],
    ];
    if (result.error) pairs.push(['Error', `${result.error.code}: ${oneLine(result.error.message, 400)}`]);
    io.out(keyValues(pairs));
  }
  if (!result.ok) {
    throw new CliError(`check failed: ${result.error ? `${result.error.code}: ${oneLine(result.error.message, 400)}` : 'not ok'}`);
  }
  return 0;
}
