/**
 * The prices the cost estimate uses: on-demand list prices of one region, with the date they were
 * recorded. Update them together (and the date) when AWS changes its prices.
 */
export interface PriceTable {
  /** Where the prices come from. */
  readonly source: string;
  /** The region whose prices these are. */
  readonly region: string;
  /** When they were recorded here (ISO date). */
  readonly asOf: string;
  /** Hours in the month the estimate is for (AWS uses 730). */
  readonly hoursPerMonth: number;
  /** Interface VPC endpoint, per endpoint per AZ per hour (USD). */
  readonly endpointAzHour: number;
  /** Interface VPC endpoint, per GB of data processed (USD). */
  readonly endpointPerGb: number;
  /** Network Load Balancer, per hour (USD). */
  readonly nlbHour: number;
  /** Network Load Balancer, per NLCU-hour of use (USD). */
  readonly nlcuHour: number;
  /** Application Load Balancer, per hour (USD). */
  readonly albHour: number;
  /** Application Load Balancer, per LCU-hour of use (USD). */
  readonly lcuHour: number;
  /** Resource VPC endpoint (PrivateLink for resources), per endpoint per AZ per hour (USD). */
  readonly resourceEndpointAzHour: number;
  /** Resource VPC endpoint, per GB of data processed (USD, first PB of the month). */
  readonly resourceEndpointPerGb: number;
  /** VPC resources behind a resource gateway (VPC Lattice), per GB of data processed (USD, first PB). */
  readonly resourceGatewayPerGb: number;
  /** Where the prices of PrivateLink for resources come from, and when they were read. */
  readonly resourceSource: string;
}

export const PRICES: PriceTable = {
  source: 'AWS on-demand list prices (PrivateLink, Elastic Load Balancing), as recorded in SPEC.md §6',
  region: 'us-east-1',
  asOf: '2026-11-28',
  hoursPerMonth: 730,
  endpointAzHour: 0.01,
  endpointPerGb: 0.01,
  nlbHour: 0.0225,
  nlcuHour: 0.006,
  albHour: 0.0225,
  lcuHour: 0.008,
  // PrivateLink for resources. The per-GB prices: AWS PrivateLink pricing page, "Resource endpoint
  // pricing" (first 1 PB $0.01, next 4 PB $0.006, over 5 PB $0.004), and Amazon VPC Lattice pricing page,
  // VPC resources data processed (the same tiers), both in stored copies read on 2026-12-01 (the Lattice
  // page's copy is of 2026-09-20). The hourly charge per resource endpoint and AZ is rendered
  // dynamically on the page and is not in the stored copy: $0.01 is the interface endpoint rate, which
  // the page bills the same way ("each hour that your resource VPC endpoint is provisioned"); check it.
  // Resource gateways and resource configurations have no hourly charge of their own.
  resourceEndpointAzHour: 0.01,
  resourceEndpointPerGb: 0.01,
  resourceGatewayPerGb: 0.01,
  resourceSource:
    'aws.amazon.com/privatelink/pricing (Resource endpoint pricing) and aws.amazon.com/vpc/lattice/pricing (VPC resources), read 2026-12-01; hourly rate assumed equal to interface endpoints',
};
