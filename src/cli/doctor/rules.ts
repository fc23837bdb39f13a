/** How security group and network ACL rules treat one TCP port: pure functions over the described rules. */
import type { NaclEntry, SecurityGroup, SgRule } from './state';

/** Whether a rule admits TCP `port` (protocol tcp/6 with the port in range, or every protocol). */
export function ruleAdmitsTcp(rule: SgRule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') return false;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return port >= from && port <= to;
}

/** The ingress rules of `groups` that admit TCP `port`, with their group. */
export function admittingRules(groups: SecurityGroup[], port: number): Array<{ group: string; rule: SgRule }> {
  return groups.flatMap((g) => g.ingress.filter((r) => ruleAdmitsTcp(r, port) && r.sources.length > 0).map((rule) => ({ group: g.id, rule })));
}

/** The single TCP port that the ingress rules of `groups` admit, when there is exactly one. */
export function singleTcpPort(groups: SecurityGroup[]): number | undefined {
  const ports = new Set<number>();
  for (const g of groups) {
    for (const r of g.ingress) {
      if ((r.protocol === 'tcp' || r.protocol === '6') && r.fromPort !== undefined && r.fromPort === r.toPort) ports.add(r.fromPort);
    }
  }
  return ports.size === 1 ? [...ports][0] : undefined;
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** The first and last address of an IPv4 CIDR, or undefined for anything else (IPv6 included). */
function range(cidr: string): [number, number] | undefined {
  const [ip, bitsText] = cidr.split('/');
  const base = ipv4ToNumber(ip);
  const bits = Number(bitsText ?? '32');
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

/** Whether IPv4 CIDR `outer` contains all of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = range(outer);
  const i = range(inner);
  return !!o && !!i && o[0] <= i[0] && i[1] <= o[1];
}

/** Whether the CIDRs overlap at all. */
export function cidrOverlaps(a: string, b: string): boolean {
  const x = range(a);
  const y = range(b);
  return !!x && !!y && x[0] <= y[1] && y[0] <= x[1];
}

function entryCovers(e: NaclEntry, port: number): boolean {
  if (e.protocol === '-1') return true;
  if (e.protocol !== '6') return false;
  return port >= (e.fromPort ?? 0) && port <= (e.toPort ?? 65535);
}

/**
 * What a network ACL does to TCP `port` in one direction, for traffic from (inbound) or to (outbound)
 * anywhere in IPv4: entries are evaluated in rule-number order and the first that matches decides.
 * `allowed` when some source gets through, `blocked` when the first entry that covers the whole IPv4
 * space denies before any allow, with the entry that decides.
 */
export function naclVerdict(entries: NaclEntry[], egress: boolean, port: number): { allowed: boolean; rule?: NaclEntry } {
  const applicable = entries
    .filter((e) => e.egress === egress && entryCovers(e, port) && range(e.cidr) !== undefined)
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const e of applicable) {
    if (e.allow) return { allowed: true, rule: e };
    if (cidrContains(e.cidr, '0.0.0.0/0')) return { allowed: false, rule: e };
  }
  return { allowed: false }; // the implicit final deny (*)
}
