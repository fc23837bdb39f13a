/**
 * The default security group restriction handler (src/runtime/default-sg) against moto_server: a new
 * VPC's default group has AWS's default rules (all from itself, all out); after Create it has none.
 */
import { CreateVpcCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { onEvent } from '../../src/runtime/default-sg';
import { cfnEvent, fakeClock } from '../support/custom-resource';
import { type Moto, startMoto } from '../support/moto';

describe('against moto_server', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let groupId: string;

  async function rules(): Promise<{ ingress: number; egress: number }> {
    const g = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0];
    return { ingress: g.IpPermissions?.length ?? 0, egress: g.IpPermissionsEgress?.length ?? 0 };
  }

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }),
    );
    groupId = groups.SecurityGroups![0].GroupId!;
  }, 30_000);
  afterAll(() => moto?.stop());

  test('GIVEN the default rules WHEN Create THEN every rule is revoked and counted; Update again finds none', async () => {
    const before = await rules();
    expect(before.ingress + before.egress).toBeGreaterThan(0);
    const outcome = await onEvent(cfnEvent('Create', { SecurityGroupId: groupId }), { ec2, clock: fakeClock() });
    expect(outcome).toEqual({
      physicalResourceId: `default-sg-restriction-${groupId}`,
      data: { RevokedIngress: String(before.ingress), RevokedEgress: String(before.egress) },
    });
    expect(await rules()).toEqual({ ingress: 0, egress: 0 });
    const again = await onEvent(cfnEvent('Update', { SecurityGroupId: groupId }), { ec2, clock: fakeClock() });
    expect(again.data).toEqual({ RevokedIngress: '0', RevokedEgress: '0' });
  });

  test('GIVEN Delete THEN nothing is called', async () => {
    const send = jest.spyOn(ec2, 'send');
    const outcome = await onEvent(cfnEvent('Delete', { SecurityGroupId: groupId }, { physicalResourceId: 'p' }), { ec2 });
    expect(outcome).toEqual({ physicalResourceId: 'p' });
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
  });

  test('GIVEN a bad ID THEN the reason names it', async () => {
    await expect(onEvent(cfnEvent('Create', { SecurityGroupId: 'default' }), { ec2 })).rejects.toThrow(
      'SecurityGroupId "default" is not a security group ID (sg-...).',
    );
  });
});
