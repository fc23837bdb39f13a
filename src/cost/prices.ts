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
};
