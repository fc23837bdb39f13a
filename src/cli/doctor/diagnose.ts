/** The whole diagnosis: both sides' checks, the port they are judged on, the verdict. Pure. */
import { diagnoseConsumer } from './consumer';
import { diagnoseProvider } from './provider';
import { singleTcpPort } from './rules';
import type { Check, ConsumerState, DoctorState, PortChoice, ProviderState } from './state';

export interface Diagnosis {
  readonly ok: boolean;
  readonly checks: Check[];
}

export function diagnose(state: DoctorState): Diagnosis {
  const checks = [...diagnoseConsumer(state), ...diagnoseProvider(state)];
  return { ok: !checks.some((c) => c.status === 'fail'), checks };
}

/**
 * The port the consumers connect to: --port; else the one TCP port the endpoint's security group admits
 * (the consumer stack opens it for the check); else the one port the service's NLBs listen on.
 */
export function choosePort(given: number | undefined, consumer: ConsumerState | undefined, provider: ProviderState | undefined): PortChoice | undefined {
  if (given !== undefined) return { port: given, source: 'from --port' };
  const groups = consumer?.securityGroups && 'value' in consumer.securityGroups ? consumer.securityGroups.value : undefined;
  const fromSg = groups ? singleTcpPort(groups) : undefined;
  if (fromSg !== undefined) return { port: fromSg, source: `from the inbound rules of ${groups!.map((g) => g.id).join(', ')}` };
  const lbs = provider?.loadBalancers && 'value' in provider.loadBalancers ? provider.loadBalancers.value : [];
  const ports = new Set(lbs.flatMap((lb) => ('value' in lb.listeners ? lb.listeners.value.map((l) => l.port) : [])));
  if (ports.size === 1) return { port: [...ports][0], source: 'from the NLB listener' };
  return undefined;
}

const ORDER = { fail: 0, warn: 1, pass: 2, skip: 3 } as const;

/** The checks of one side, failing first (stable within a status). */
export function sorted(checks: Check[]): Check[] {
  return checks.map((c, i) => ({ c, i })).sort((a, b) => ORDER[a.c.status] - ORDER[b.c.status] || a.i - b.i).map(({ c }) => c);
}
