import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../app/app';
import { readConfig } from '../app/config';
import { estimateMonthlyCost, formatCostEstimate, type TemplateLike } from '../src/cost/estimate';
import { PRICES, type PriceTable } from '../src/cost/prices';

const lb = (type?: string) => ({ Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: type ? { Type: type } : {} });
const endpoint = (subnetIds: unknown, type = 'Interface') => ({
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: { VpcEndpointType: type, SubnetIds: subnetIds },
});

describe('the price table', () => {
  test('THEN it names its source, region and date, and holds the us-east-1 prices of SPEC §6', () => {
    expect(PRICES.region).toBe('us-east-1');
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.source).toMatch(/PrivateLink.*Elastic Load Balancing/);
    expect(PRICES).toMatchObject({
      hoursPerMonth: 730,
      endpointAzHour: 0.01,
      endpointPerGb: 0.01,
      nlbHour: 0.0225,
      nlcuHour: 0.006,
      albHour: 0.0225,
      lcuHour: 0.008,
    });
  });
});

describe('estimateMonthlyCost', () => {
  test('GIVEN an ALB, an NLB and a 2-subnet endpoint THEN 16.43 + 16.43 + 2 × 7.30 = 47.46 a month', () => {
    const templates: TemplateLike[] = [
      { Resources: { Alb: lb('application'), Nlb: lb('network') } },
      { Resources: { Vpce: endpoint([{ Ref: 'A' }, { Ref: 'B' }]) } },
    ];
    const estimate = estimateMonthlyCost(templates);
    expect(estimate.lines).toEqual([
      { item: 'Application Load Balancer', quantity: 1, hourly: 0.0225, monthly: 16.43 },
      { item: 'Network Load Balancer', quantity: 1, hourly: 0.0225, monthly: 16.43 },
      { item: 'Interface endpoint, per AZ', quantity: 2, hourly: 0.01, monthly: 14.6 },
    ]);
    expect(estimate.monthly).toBe(47.46);
    expect(estimate.notes).toEqual([]);
  });

  test('GIVEN the NLB alone (a direct NLB backend) THEN the load balancers cost half of ALB + NLB', () => {
    const both = estimateMonthlyCost([{ Resources: { A: lb('application'), N: lb('network') } }]).monthly;
    const nlbOnly = estimateMonthlyCost([{ Resources: { N: lb('network') } }]).monthly;
    expect(nlbOnly).toBe(16.43);
    expect(nlbOnly * 2).toBeCloseTo(both, 2);
  });

  test('GIVEN 20 endpoints of 3 subnets THEN 60 AZ-hours an hour = $438 a month', () => {
    const resources = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`E${i}`, endpoint(['a', 'b', 'c'])]));
    const estimate = estimateMonthlyCost([{ Resources: resources }]);
    expect(estimate.lines).toEqual([{ item: 'Interface endpoint, per AZ', quantity: 60, hourly: 0.01, monthly: 438 }]);
  });

  test('GIVEN usage-priced kinds THEN their per-unit prices are stated separately, not added in', () => {
    const estimate = estimateMonthlyCost([{ Resources: { A: lb('application'), N: lb('network'), V: endpoint(['a']) } }]);
    expect(estimate.usage).toEqual([
      { item: 'data processed by the endpoints', price: 0.01, unit: 'GB' },
      { item: 'NLB capacity used', price: 0.006, unit: 'NLCU-hour' },
      { item: 'ALB capacity used', price: 0.008, unit: 'LCU-hour' },
    ]);
    expect(estimate.monthly).toBe(40.16);
  });

  test('GIVEN an endpoint whose subnets are a token THEN 2 AZs are assumed, and the note says so', () => {
    const estimate = estimateMonthlyCost([{ Resources: { V: endpoint({ 'Fn::Split': [',', { Ref: 'Subnets' }] }) } }]);
    expect(estimate.lines[0].quantity).toBe(2);
    expect(estimate.notes).toEqual(['1 endpoint(s) with subnets unknown at synth counted as 2 AZs each']);
  });

  test('GIVEN gateway endpoints and unrelated resources THEN nothing is charged', () => {
    const estimate = estimateMonthlyCost([{ Resources: { G: endpoint(undefined, 'Gateway'), B: { Type: 'AWS::S3::Bucket' } } }, {}]);
    expect(estimate).toMatchObject({ lines: [], monthly: 0, usage: [], notes: [] });
  });

  test('GIVEN another price table THEN it is used', () => {
    const prices: PriceTable = { ...PRICES, region: 'eu-west-1', nlbHour: 0.0252, asOf: '2026-01-01' };
    const estimate = estimateMonthlyCost([{ Resources: { N: lb('network') } }], prices);
    expect(estimate.monthly).toBe(18.4);
    expect(formatCostEstimate(estimate)[0]).toBe('Estimated cost: $18.40/month fixed (eu-west-1 prices of 2026-01-01, 730 h)');
  });
});

describe('estimateMonthlyCost: PrivateLink for resources', () => {
  test('GIVEN a resource gateway and a 2-subnet resource endpoint THEN only the endpoint AZ-hours are fixed: 2 × 7.30 = 14.60 a month', () => {
    const estimate = estimateMonthlyCost([
      { Resources: { Gw: { Type: 'AWS::VpcLattice::ResourceGateway' }, Cfg: { Type: 'AWS::VpcLattice::ResourceConfiguration' } } },
      { Resources: { Vpce: endpoint([{ Ref: 'A' }, { Ref: 'B' }], 'Resource') } },
    ]);
    expect(estimate.lines).toEqual([{ item: 'Resource endpoint, per AZ', quantity: 2, hourly: 0.01, monthly: 14.6 }]);
    expect(estimate.monthly).toBe(14.6);
    expect(estimate.usage).toEqual([
      { item: 'data processed by the resource endpoints', price: 0.01, unit: 'GB' },
      { item: 'data to the shared resources (resource gateway)', price: 0.01, unit: 'GB' },
    ]);
    expect(estimate.notes).toEqual([expect.stringMatching(/^PrivateLink for resources: .*read 2026-12-01; hourly rate assumed equal to interface endpoints$/)]);
  });

  test('GIVEN the provider side alone (gateway, no endpoint) THEN nothing fixed, the gateway per-GB price stated', () => {
    const estimate = estimateMonthlyCost([{ Resources: { Gw: { Type: 'AWS::VpcLattice::ResourceGateway' } } }]);
    expect(estimate.monthly).toBe(0);
    expect(estimate.usage.map((u) => u.item)).toEqual(['data to the shared resources (resource gateway)']);
  });
});

describe('the estimate of the demo app', () => {
  test('GIVEN the synthesized demo templates THEN ALB + NLB + one endpoint in 2 AZs, printed with the per-GB price', () => {
    const app = new App();
    const { provider, consumer } = buildApp(app, readConfig({}, () => undefined));
    const templates = [Template.fromStack(provider!).toJSON(), Template.fromStack(consumer!).toJSON()] as TemplateLike[];
    const text = formatCostEstimate(estimateMonthlyCost(templates));
    expect(text).toEqual([
      `Estimated cost: $47.46/month fixed (us-east-1 prices of ${PRICES.asOf}, 730 h)`,
      '  Application Load Balancer        1 × $0.0225/h    $16.43',
      '  Network Load Balancer            1 × $0.0225/h    $16.43',
      '  Interface endpoint, per AZ       2 × $0.01/h      $14.60',
      '  plus usage: $0.01 per GB (data processed by the endpoints); $0.006 per NLCU-hour (NLB capacity used); $0.008 per LCU-hour (ALB capacity used)',
    ]);
  });
});
