/**
 * `privatelink doctor`: finds the sides these credentials can see (the endpoint from --endpoint-id or
 * the consumer stack's one VPC endpoint, the service from --service-id or the provider stack's one
 * endpoint service, or the endpoint's own service in demo mode), reads them (doctor/gather.ts), diagnoses them (doctor/diagnose.ts, pure) and
 * prints the checks: a table by side with failing checks first, or `{ ok, checks }` with --json.
 */
import type { Invocation } from '../args';
import { describeError, ec2Client, elbClient, findInStack, regionOf } from '../aws';
import { choosePort, diagnose, sorted } from '../doctor/diagnose';
import { findOwnService, gatherConsumer, gatherProvider } from '../doctor/gather';
import type { Check, ConsumerState, PortChoice, ProviderState } from '../doctor/state';
import { CliError, type Io, json, table } from '../output';
import { CONSUMER_STACK } from '../../stack-names';

/**
 * The endpoint or service of a stack built with the library. A default stack that does not exist means
 * "that side is not here"; one that cannot be read, or holds no such resource (or several), is said on
 * stderr and left out. A stack named with --stack or --consumer-stack must work.
 */
async function fromStack(inv: Invocation, io: Io, stack: string, given: boolean, part: 'endpoint' | 'service'): Promise<string | undefined> {
  try {
    return await findInStack(inv, stack, part);
  } catch (err) {
    if (given) throw err;
    const message = describeError(err);
    if (!(err instanceof CliError && /not found in/.test(message))) io.err(`note: ${message.replace(/^stack /, `the ${part} of stack `)}: that side is not diagnosed`);
    return undefined;
  }
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const ec2 = await ec2Client(inv);
  const region = await regionOf(ec2);
  let elb: ReturnType<typeof elbClient> | undefined;
  const clients = { ec2, elb: () => (elb ??= elbClient(inv)) };

  const [endpointId, givenServiceId] = await Promise.all([
    inv.endpointId ?? fromStack(inv, io, inv.consumerStack ?? CONSUMER_STACK, inv.consumerStack !== undefined, 'endpoint'),
    inv.serviceId ?? fromStack(inv, io, inv.stack, inv.stackGiven, 'service'),
  ]);
  const consumer: ConsumerState | undefined = endpointId ? await gatherConsumer(clients, region, endpointId) : undefined;
  let serviceId = givenServiceId;
  const endpoint = consumer && 'value' in consumer.endpoint ? consumer.endpoint.value : undefined;
  if (!serviceId && endpoint && !inv.stackGiven) serviceId = await findOwnService(ec2, endpoint.serviceName); // demo: this account owns the service
  const provider: ProviderState | undefined = serviceId ? await gatherProvider(clients, region, serviceId) : undefined;
  if (!consumer && !provider) {
    throw new CliError(
      `nothing to diagnose in ${region}: no ${CONSUMER_STACK} or ${inv.stack} stack here. Pass --endpoint-id <vpce-…> (consumer side) and/or --service-id <vpce-svc-…> (provider side), or --region`,
    );
  }

  const port = choosePort(inv.port, consumer, provider);
  const diagnosis = diagnose({ consumer, provider, port });
  if (inv.json) {
    io.out(json(diagnosis));
  } else {
    io.out(render(diagnosis.checks, consumer, provider, port));
  }
  const failed = diagnosis.checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) throw new CliError(`${failed.length} check(s) failed: ${failed.map((c) => c.id).join(', ')}`);
  return 0;
}

/** The human view: a header, one table per side (failing checks first, each fix under its check), a count. */
export function render(checks: Check[], consumer?: ConsumerState, provider?: ProviderState, port?: PortChoice): string {
  const sides = [
    consumer && { side: 'consumer', title: `Consumer: endpoint ${consumer.endpointId}` },
    provider && { side: 'provider', title: `Provider: service ${provider.serviceId}` },
  ].filter((x): x is { side: string; title: string } => !!x);
  const blocks = sides.map(({ side, title }) => {
    const rows = sorted(checks.filter((c) => c.side === side)).flatMap((c) => [
      [c.status.toUpperCase(), c.id.slice(side.length + 1), c.message],
      ...(c.fix ? [['', '', `fix: ${c.fix}`]] : []),
    ]);
    return `${title}\n${table(['STATUS', 'CHECK', 'DETAIL'], rows)}`;
  });
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  const header = `Port: ${port ? `${port.port} (${port.source})` : 'unknown (pass --port)'}; region ${consumer?.region ?? provider?.region}.`;
  if (!provider) blocks.push('Provider: not diagnosed (no service found: pass --service-id, or run with the provider\'s credentials)');
  if (!consumer) blocks.push('Consumer: not diagnosed (no endpoint found: pass --endpoint-id, or run with the consumer\'s credentials)');
  const verdict = `${count('fail')} failed, ${count('warn')} warning(s), ${count('pass')} passed, ${count('skip')} skipped.`;
  return [header, ...blocks, verdict].join('\n\n');
}
