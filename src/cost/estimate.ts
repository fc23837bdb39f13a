/**
 * A monthly cost estimate of what was synthesized, from the CloudFormation templates alone: the fixed
 * hourly charges (load balancers, interface and resource endpoint AZ-hours; resource gateways have none). Usage charges (GB through the endpoint,
 * LCUs) depend on traffic and are stated per unit, not guessed. Pure: no AWS call.
 */
import { PRICES, PriceTable } from './prices';

/** The part of a template the estimate reads. */
export interface TemplateLike {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

/** One fixed monthly charge. */
export interface CostLine {
  /** What is charged, e.g. "Network Load Balancer". */
  readonly item: string;
  /** How many units (load balancers, or endpoint AZs). */
  readonly quantity: number;
  /** The hourly price of one unit (USD). */
  readonly hourly: number;
  /** quantity × hourly × hours per month (USD). */
  readonly monthly: number;
}

/** A usage charge, per unit of use. */
export interface UsageCharge {
  readonly item: string;
  readonly price: number;
  readonly unit: string;
}

export interface CostEstimate {
  /** The fixed charges, one line per kind. */
  readonly lines: CostLine[];
  /** Their sum per month (USD). */
  readonly monthly: number;
  /** Charges that depend on traffic, for the kinds present. */
  readonly usage: UsageCharge[];
  /** Assumptions made (e.g. endpoints whose subnets are not known at synth). */
  readonly notes: string[];
  /** The price table used. */
  readonly prices: PriceTable;
}

/** When an endpoint's subnets are a token (unknown count), the estimate assumes this many AZs. */
export const ASSUMED_ENDPOINT_AZS = 2;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Estimates the monthly cost of the resources in `templates`. */
export function estimateMonthlyCost(templates: TemplateLike[], prices: PriceTable = PRICES): CostEstimate {
  const resources = templates.flatMap((t) => Object.values(t.Resources ?? {}));
  const loadBalancers = resources.filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const albs = loadBalancers.filter((r) => (r.Properties?.Type ?? 'application') === 'application').length;
  const nlbs = loadBalancers.filter((r) => r.Properties?.Type === 'network').length;
  const endpoints = resources.filter(
    (r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface',
  );
  const resourceEndpoints = resources.filter(
    (r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Resource',
  );
  const gateways = resources.filter((r) => r.Type === 'AWS::VpcLattice::ResourceGateway').length;
  const notes: string[] = [];
  let unknownSubnets = 0;
  const azsOf = (list: typeof endpoints) =>
    list.reduce((sum, r) => {
      const subnets = r.Properties?.SubnetIds;
      if (Array.isArray(subnets)) return sum + subnets.length;
      unknownSubnets++;
      return sum + ASSUMED_ENDPOINT_AZS;
    }, 0);
  const endpointAzs = azsOf(endpoints);
  const resourceEndpointAzs = azsOf(resourceEndpoints);
  if (unknownSubnets > 0) {
    notes.push(`${unknownSubnets} endpoint(s) with subnets unknown at synth counted as ${ASSUMED_ENDPOINT_AZS} AZs each`);
  }

  const line = (item: string, quantity: number, hourly: number): CostLine => ({
    item,
    quantity,
    hourly,
    monthly: round2(quantity * hourly * prices.hoursPerMonth),
  });
  const lines = [
    ...(albs > 0 ? [line('Application Load Balancer', albs, prices.albHour)] : []),
    ...(nlbs > 0 ? [line('Network Load Balancer', nlbs, prices.nlbHour)] : []),
    ...(endpointAzs > 0 ? [line('Interface endpoint, per AZ', endpointAzs, prices.endpointAzHour)] : []),
    ...(resourceEndpointAzs > 0 ? [line('Resource endpoint, per AZ', resourceEndpointAzs, prices.resourceEndpointAzHour)] : []),
  ];
  const usage: UsageCharge[] = [
    ...(endpointAzs > 0 ? [{ item: 'data processed by the endpoints', price: prices.endpointPerGb, unit: 'GB' }] : []),
    ...(nlbs > 0 ? [{ item: 'NLB capacity used', price: prices.nlcuHour, unit: 'NLCU-hour' }] : []),
    ...(albs > 0 ? [{ item: 'ALB capacity used', price: prices.lcuHour, unit: 'LCU-hour' }] : []),
    ...(resourceEndpointAzs > 0 ? [{ item: 'data processed by the resource endpoints', price: prices.resourceEndpointPerGb, unit: 'GB' }] : []),
    ...(gateways > 0 ? [{ item: 'data to the shared resources (resource gateway)', price: prices.resourceGatewayPerGb, unit: 'GB' }] : []),
  ];
  if (resourceEndpointAzs > 0 || gateways > 0) {
    notes.push(`PrivateLink for resources: ${prices.resourceSource}`);
  }
  return { lines, monthly: round2(lines.reduce((sum, l) => sum + l.monthly, 0)), usage, notes, prices };
}

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** The estimate as text lines for the synth summary. */
export function formatCostEstimate(estimate: CostEstimate): string[] {
  const { prices } = estimate;
  const lines = [`Estimated cost: ${usd(estimate.monthly)}/month fixed (${prices.region} prices of ${prices.asOf}, ${prices.hoursPerMonth} h)`];
  for (const l of estimate.lines) {
    lines.push(`  ${l.item.padEnd(30)} ${String(l.quantity).padStart(3)} × ${`$${l.hourly}/h`.padEnd(9)} ${usd(l.monthly).padStart(9)}`);
  }
  if (estimate.usage.length > 0) {
    lines.push(`  plus usage: ${estimate.usage.map((u) => `$${u.price} per ${u.unit} (${u.item})`).join('; ')}`);
  }
  for (const note of estimate.notes) lines.push(`  note: ${note}`);
  return lines;
}
