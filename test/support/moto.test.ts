import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Moto, startMoto } from './moto';

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
}, 30_000);
afterAll(() => moto?.stop());

test('moto_server answers on 127.0.0.1 and keeps endpoint service configurations', async () => {
  expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const ec2 = new EC2Client(moto.clientConfig);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24' }));
  const elb = new ElasticLoadBalancingV2Client(moto.clientConfig);
  const nlb = await elb.send(
    new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [subnet.Subnet!.SubnetId!] }),
  );
  const created = await ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!],
      AcceptanceRequired: true,
    }),
  );
  const id = created.ServiceConfiguration?.ServiceId;
  expect(id).toMatch(/^vpce-svc-/);
  const described = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [id!] }));
  expect(described.ServiceConfigurations?.[0]?.AcceptanceRequired).toBe(true);
  await moto.reset();
  const after = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
  expect(after.ServiceConfigurations ?? []).toHaveLength(0);
}, 30_000); // moto loads its EC2 and ELB backends on the first call: slow under load
