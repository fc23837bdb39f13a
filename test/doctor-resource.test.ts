/**
 * `privatelink doctor` on a resource endpoint (PrivateLink for resources): the share of its resource
 * configuration with this account and its association, instead of the endpoint-service checks. The
 * diagnosis as pure functions, then once end to end against moto and the loopback fake (which answers
 * the resource endpoint, its association and the RAM invitations: moto implements none of them).
 */
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { diagnose } from '../src/cli/doctor/diagnose';
import { type Check, type ConsumerState, type NaclEntry, read, type Read, type ResourceAssociation, type ResourceShareState, unavailable } from '../src/cli/doctor/state';
import { inProcess } from './support/cli-run';
import { type FakeAws, startFakeAws } from './support/fake-aws';
import { type Moto, startMoto } from './support/moto';

const VPCE = 'vpce-0aaaaaaaaaaaaaaa1';
const RCFG = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
const DNS = `${VPCE}-snra-0123456789abcdef0.rcfg-0123456789abcdef0.4232ccc.vpc-lattice-rsc.us-east-1.on.aws`;
const OPEN_ACL: NaclEntry[] = [
  { ruleNumber: 100, egress: false, protocol: '-1', allow: true, cidr: '0.0.0.0/0' },
  { ruleNumber: 100, egress: true, protocol: '-1', allow: true, cidr: '0.0.0.0/0' },
];

function resourceConsumer(share: ResourceShareState, association: Read<ResourceAssociation | undefined>): ConsumerState {
  return {
    region: 'us-east-1',
    endpointId: VPCE,
    endpoint: read({
      id: VPCE,
      state: 'available',
      type: 'Resource',
      serviceName: '?',
      vpcId: 'vpc-c',
      ownerId: '222222222222',
      subnetIds: ['subnet-1'],
      securityGroupIds: ['sg-endpoint'],
      privateDnsEnabled: false,
      resourceConfigurationArn: RCFG,
    }),
    subnets: read([{ id: 'subnet-1', zoneName: 'us-east-1a', zoneId: 'use1-az1' }]),
    securityGroups: read([{ id: 'sg-endpoint', ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, sources: ['sg-check'] }] }]),
    networkAcls: read([{ id: 'acl-1', subnetIds: ['subnet-1'], entries: OPEN_ACL }]),
    resource: { share: read(share), association },
  };
}

function checks(consumer: ConsumerState): Map<string, Check> {
  return new Map(diagnose({ consumer, port: { port: 5432, source: 'from --port' } }).checks.map((c) => [c.id, c]));
}

describe('the diagnosis of a resource endpoint', () => {
  test('GIVEN a shared configuration and an association with its DNS name THEN both pass, the network checks run, and no endpoint-service check is made', () => {
    const r = checks(resourceConsumer('shared', read({ dnsName: DNS, accessibility: 'Accessible' })));
    expect(r.get('consumer.endpoint')).toMatchObject({ status: 'pass', message: `${VPCE} is available, connected to ${RCFG}` });
    expect(r.get('consumer.resource-share')).toMatchObject({ status: 'pass', message: `${RCFG} is shared with this account` });
    expect(r.get('consumer.resource-association')).toMatchObject({ status: 'pass', message: `${VPCE} reaches ${RCFG} at ${DNS} (Accessible)` });
    expect(r.get('consumer.security-group')!.status).toBe('pass');
    expect(r.get('consumer.network-acl')!.status).toBe('pass');
    expect(['availability-zones', 'vpc-dns', 'private-dns-name'].map((id) => r.get(`consumer.${id}`)!.status)).toEqual(['skip', 'skip', 'skip']);
    expect(r.has('consumer.service')).toBe(false);
  });

  test('GIVEN a pending invitation THEN resource-share fails with the accept-share command', () => {
    const r = checks(resourceConsumer('pending', read({ dnsName: DNS })));
    expect(r.get('consumer.resource-share')).toEqual({
      id: 'consumer.resource-share',
      side: 'consumer',
      status: 'fail',
      message: `the RAM invitation to ${RCFG} is pending: this account has not accepted the share`,
      fix: `accept it with this account's credentials: privatelink accept-share ${RCFG}`,
    });
  });

  test('GIVEN no share and a failed association THEN both fail, naming the account and AWS\'s reason', () => {
    const r = checks(resourceConsumer('not-shared', read({ failure: 'AccessDenied: not shared' })));
    expect(r.get('consumer.resource-share')).toMatchObject({
      status: 'fail',
      message: `${RCFG} is not shared with account 222222222222 (no share, and no pending invitation)`,
    });
    expect(r.get('consumer.resource-share')!.fix).toContain('add 222222222222 to the share');
    expect(r.get('consumer.resource-association')).toMatchObject({ status: 'fail', message: `${VPCE} could not be associated with ${RCFG}: AccessDenied: not shared` });
  });

  test('GIVEN reads refused THEN the two checks are skipped with the reason, never passed', () => {
    const consumer = { ...resourceConsumer('shared', unavailable('ec2:DescribeVpcEndpointAssociations is not allowed for these credentials')), resource: { share: unavailable<ResourceShareState>('ram:ListResources is not allowed for these credentials'), association: unavailable<undefined>('ec2:DescribeVpcEndpointAssociations is not allowed for these credentials') } };
    const r = checks(consumer);
    expect(r.get('consumer.resource-share')).toMatchObject({ status: 'skip', message: 'could not be checked: ram:ListResources is not allowed for these credentials' });
    expect(r.get('consumer.resource-association')!.status).toBe('skip');
  });
});

describe('privatelink doctor --endpoint-id on a resource endpoint (moto and the loopback fake)', () => {
  let moto: Moto;
  let fake: FakeAws;
  beforeAll(async () => {
    moto = await startMoto();
    fake = await startFakeAws(moto);
  }, 30_000);
  afterAll(async () => {
    await fake?.stop();
    await moto?.stop();
  });

  test('THEN it reads the endpoint, its association and the pending invitation, and fails resource-share with the fix', async () => {
    // The endpoint's security group in moto, admitting the clients on 5432 (as the construct's allowFrom does).
    const ec2 = new EC2Client(moto.clientConfig);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'endpoint', Description: 'resource endpoint' }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }] }));
    fake.resourceEndpoints = [
      { endpointId: VPCE, vpcId, state: 'available', resourceConfigurationArn: RCFG, dnsName: DNS, accessibility: 'Accessible', securityGroupIds: [groupId] },
    ];
    fake.invitations = [
      { arn: 'arn:aws:ram:us-east-1:111111111111:resource-share-invitation/inv-1', shareArn: 'arn:aws:ram:us-east-1:111111111111:resource-share/s-1', shareName: 's-1', sender: '111111111111', status: 'PENDING', resources: [RCFG] },
    ];
    const r = await inProcess(['doctor', '--endpoint-id', VPCE, '--port', '5432', '--json'], fake.env);
    const d = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    const byId = new Map(d.checks.map((c) => [c.id, c]));
    expect(r.code).toBe(1);
    expect(byId.get('consumer.endpoint')!.status).toBe('pass');
    expect(byId.get('consumer.security-group')).toMatchObject({ status: 'pass', message: `${groupId} admits TCP 5432 from 10.9.0.0/16` });
    expect(byId.get('consumer.resource-association')).toMatchObject({ status: 'pass', message: `${VPCE} reaches ${RCFG} at ${DNS} (Accessible)` });
    expect(byId.get('consumer.resource-share')).toMatchObject({ status: 'fail', fix: `accept it with this account's credentials: privatelink accept-share ${RCFG}` });
    expect(r.reasons).toEqual(['privatelink doctor: 1 check(s) failed: consumer.resource-share']);
    expect(fake.calls).toEqual(expect.arrayContaining(['DescribeVpcEndpoints', 'DescribeVpcEndpointAssociations', 'RAM:GetResourceShareInvitations']));
    expect(fake.calls).not.toContain('DescribeVpcEndpointServices');
  }, 30_000);
});
