/**
 * A provider and a consumer as cdk-privatelink builds them (demo mode: one account), created in
 * moto_server with the SDK, with one option per fault that `privatelink doctor` must name. What moto
 * does not model (connections, target health, endpoint states, the NLB's PrivateLink setting, service
 * visibility, the stacks' resources) is set on the loopback fake (test/support/fake-aws.ts) by the test.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CONSUMER_STACK, PROVIDER_STACK } from '../../src/stack-names';
import type { FakeAws } from './fake-aws';
import type { Moto } from './moto';

/** moto's default account: the demo's provider and consumer. */
export const ACCOUNT = '123456789012';

export interface ScenarioOptions {
  /** Prefix of the load balancer and target group names (several scenarios can live in one moto). Default "demo". */
  readonly name?: string;
  /** The port the NLB listens on (the consumers connect to 80). Default 80. */
  readonly nlbPort?: number;
  /** An endpoint subnet in us-east-1c, which the NLB does not serve. */
  readonly endpointInUnservedZone?: boolean;
  /** The endpoint security group has no inbound rule. */
  readonly endpointSecurityGroupClosed?: boolean;
  /** Private DNS on for the endpoint (the service has a verified name), in a VPC without DNS hostnames. */
  readonly privateDnsWithoutHostnames?: boolean;
  /** The consumer account is not allowed on the service. */
  readonly principalNotAllowed?: boolean;
}

export interface Scenario {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly endpointId: string;
  readonly nlbArn: string;
  readonly albArn: string;
  readonly targetGroupArn: string;
}

export async function buildScenario(moto: Moto, options: ScenarioOptions = {}): Promise<Scenario> {
  const ec2 = new EC2Client(moto.clientConfig);
  const elb = new ElasticLoadBalancingV2Client(moto.clientConfig);
  const nlbPort = options.nlbPort ?? 80;
  const name = options.name ?? 'demo';

  // Provider: isolated VPC in two AZs, internal ALB (port 80) behind an internal NLB.
  const pvpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const psubnets = await Promise.all(
    ['a', 'b'].map(async (az, i) => (await ec2.send(new CreateSubnetCommand({ VpcId: pvpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))).Subnet!.SubnetId!),
  );
  const sg = async (vpc: string, group: string) => (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `${name}-${group}`, Description: group }))).GroupId!;
  const nlbSg = await sg(pvpc, 'nlb');
  const albSg = await sg(pvpc, 'alb');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: albSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: nlbSg }] }] }));
  const alb = (await elb.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Type: 'application', Scheme: 'internal', Subnets: psubnets, SecurityGroups: [albSg] }))).LoadBalancers![0];
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancerArn!,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'Hello from ALB!' } }],
    }),
  );
  const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: `${name}-nlb`, Type: 'network', Scheme: 'internal', Subnets: psubnets, SecurityGroups: [nlbSg] }))).LoadBalancers![0];
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn!, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }] }));
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `${name}-tg`, Protocol: 'TCP', Port: 80, VpcId: pvpc, TargetType: 'alb' }))).TargetGroups![0];
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: alb.LoadBalancerArn!, Port: 80 }] }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: nlb.LoadBalancerArn!, Port: nlbPort, Protocol: 'TCP', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }] }));
  const service = (
    await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [nlb.LoadBalancerArn!],
        AcceptanceRequired: true,
        ...(options.privateDnsWithoutHostnames ? { PrivateDnsName: 'api.example.com' } : {}),
      }),
    )
  ).ServiceConfiguration!;
  await ec2.send(
    new ModifyVpcEndpointServicePermissionsCommand({
      ServiceId: service.ServiceId!,
      AddAllowedPrincipals: [`arn:aws:iam::${options.principalNotAllowed ? '210987654321' : ACCOUNT}:root`],
    }),
  );

  // Consumer: isolated VPC (overlapping CIDR is fine), endpoint in two AZs, its SG open to the check's SG.
  const cvpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: cvpc, EnableDnsHostnames: { Value: !options.privateDnsWithoutHostnames } }));
  const csubnets = await Promise.all(
    ['a', options.endpointInUnservedZone ? 'c' : 'b'].map(
      async (az, i) => (await ec2.send(new CreateSubnetCommand({ VpcId: cvpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))).Subnet!.SubnetId!,
    ),
  );
  const checkSg = await sg(cvpc, 'check');
  const endpointSg = await sg(cvpc, 'endpoint');
  if (!options.endpointSecurityGroupClosed) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: checkSg }] }] }));
  }
  const endpoint = (
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: cvpc,
        VpcEndpointType: 'Interface',
        ServiceName: service.ServiceName!,
        SubnetIds: csubnets,
        SecurityGroupIds: [endpointSg],
        PrivateDnsEnabled: options.privateDnsWithoutHostnames === true,
      }),
    )
  ).VpcEndpoint!;

  for (const c of [ec2, elb]) c.destroy();
  return {
    serviceId: service.ServiceId!,
    serviceName: service.ServiceName!,
    endpointId: endpoint.VpcEndpointId!,
    nlbArn: nlb.LoadBalancerArn!,
    albArn: alb.LoadBalancerArn!,
    targetGroupArn: tg.TargetGroupArn!,
  };
}

/** The app's two stacks as CloudFormation lists their resources (on the fake): this scenario's service and endpoint. */
export function registerStacks(fake: FakeAws, s: Scenario): void {
  fake.stacks.set(PROVIDER_STACK, {
    resources: [{ logicalId: 'ProviderEndpointService', physicalId: s.serviceId, type: 'AWS::EC2::VPCEndpointService' }],
    template: {},
  });
  fake.stacks.set(CONSUMER_STACK, {
    resources: [{ logicalId: 'ConsumerEndpoint', physicalId: s.endpointId, type: 'AWS::EC2::VPCEndpoint' }],
    template: {},
  });
}
