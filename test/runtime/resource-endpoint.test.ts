/**
 * The resource endpoint DNS handler. moto implements no DescribeVpcEndpointAssociations, so the EC2
 * answers come from aws-sdk-client-mock; the answer to CloudFormation goes to a loopback server.
 */
import { DescribeVpcEndpointAssociationsCommand, EC2Client, VpcEndpointAssociation } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { POLL_MS, run } from '../../src/runtime/resource-endpoint';
import { awsError, cfnEvent, fakeClock, lambdaContext } from '../support/custom-resource';

const ID = 'vpce-0123456789abcdef0';
const RCFG = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
const DNS = `${ID}-snra-0123456789abcdef0.rcfg-0123456789abcdef0.4232ccc.vpc-lattice-rsc.us-east-1.on.aws`;

const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const mock = mockClient(ec2);
beforeEach(() => mock.reset());

const association = (extra: Partial<VpcEndpointAssociation> = {}): VpcEndpointAssociation => ({
  Id: 'vpce-rsc-asc-0123456789abcdef0',
  VpcEndpointId: ID,
  AssociatedResourceArn: RCFG,
  AssociatedResourceAccessibility: 'Accessible',
  ...extra,
});

function go(timeoutMs = 300_000) {
  const clock = fakeClock();
  return { clock, result: run(cfnEvent('Create', { VpcEndpointId: ID }), lambdaContext(clock, timeoutMs), { ec2, clock }) };
}

test('GIVEN an association with a DNS entry THEN its DNS name, hosted zone, private DNS name and accessibility', async () => {
  mock.on(DescribeVpcEndpointAssociationsCommand).resolves({
    VpcEndpointAssociations: [association({ DnsEntry: { DnsName: DNS, HostedZoneId: 'Z7HUB22UULQXV' }, PrivateDnsEntry: { DnsName: 'db.example.com' } })],
  });
  await expect(go().result).resolves.toEqual({
    physicalResourceId: `resource-endpoint/${ID}`,
    data: { DnsName: DNS, HostedZoneId: 'Z7HUB22UULQXV', PrivateDnsName: 'db.example.com', ResourceArn: RCFG, Accessibility: 'Accessible' },
  });
  expect(mock.commandCalls(DescribeVpcEndpointAssociationsCommand)[0].args[0].input).toEqual({ VpcEndpointIds: [ID] });
});

test('GIVEN no association at first, then throttling, then a second page with the entry THEN it waits, retries and reads every page', async () => {
  mock
    .on(DescribeVpcEndpointAssociationsCommand)
    .resolvesOnce({ VpcEndpointAssociations: [] })
    .rejectsOnce(awsError('RequestLimitExceeded', 'slow down', true))
    .resolvesOnce({ VpcEndpointAssociations: [association({ Id: 'other' })], NextToken: 'p2' })
    .resolvesOnce({ VpcEndpointAssociations: [association({ DnsEntry: { DnsName: DNS } })] });
  const { clock, result } = go();
  await expect(result).resolves.toMatchObject({ data: { DnsName: DNS, HostedZoneId: '', PrivateDnsName: '' } });
  expect(clock.sleeps[0]).toBe(POLL_MS);
  expect(clock.sleeps).toHaveLength(2); // the poll, then the throttling backoff
  expect(mock.commandCalls(DescribeVpcEndpointAssociationsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, undefined, undefined, 'p2']);
});

test('GIVEN a failed association THEN the failure names the code, the reason and what to check', async () => {
  mock.on(DescribeVpcEndpointAssociationsCommand).resolves({
    VpcEndpointAssociations: [association({ FailureCode: 'AccessDenied', FailureReason: 'The resource configuration is not shared with you' })],
  });
  await expect(go().result).rejects.toThrow(
    `The resource endpoint ${ID} could not be associated with ${RCFG}: AccessDenied: The resource configuration is not shared with you. ` +
      'Check that the configuration is shared with this account (and the share accepted: privatelink accept-share), then deploy again.',
  );
});

test('GIVEN no DNS name before the function runs out of time THEN a failure with the command to look, after a bounded number of reads', async () => {
  mock.on(DescribeVpcEndpointAssociationsCommand).resolves({ VpcEndpointAssociations: [association({ AssociatedResourceAccessibility: 'Pending' })] });
  const { clock, result } = go(60_000);
  await expect(result).rejects.toThrow(
    `The resource endpoint ${ID} has no DNS name after 10 reads (association Pending). See \`aws ec2 describe-vpc-endpoint-associations --vpc-endpoint-ids ${ID}\``,
  );
  expect(clock.elapsed()).toBeLessThanOrEqual(60_000 - 15_000);
});

test('GIVEN Delete THEN nothing is called', async () => {
  const clock = fakeClock();
  await expect(
    run(cfnEvent('Delete', { VpcEndpointId: ID }, { physicalResourceId: `resource-endpoint/${ID}` }), lambdaContext(clock), { ec2, clock }),
  ).resolves.toEqual({ physicalResourceId: `resource-endpoint/${ID}` });
  expect(mock.calls()).toHaveLength(0);
});
