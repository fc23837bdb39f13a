/**
 * The consumer preflight handler. Against moto_server (127.0.0.1) for what moto implements: describing a
 * service (visible to its own account; moto reports AZ names but not AZ IDs nor the private DNS verification
 * state) and subnets. aws-sdk-client-mock for what moto does not report: AZ IDs, verification states,
 * pagination and throttling.
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServicesCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ServiceDetail,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, run, type Deps, type PreflightProperties } from '../../src/runtime/preflight';
import { awsError, cfnEvent, fakeClock, lambdaContext, startResponseServer, withEnv } from '../support/custom-resource';
import { Moto, startMoto } from '../support/moto';

describe('against moto_server', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let serviceName: string;
  let serviceId: string;
  let subnetA: string;
  let subnetB: string;

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc!.VpcId!;
    subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' })))
      .Subnet!.SubnetId!;
    subnetB = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' })))
      .Subnet!.SubnetId!;
    const elb = new ElasticLoadBalancingV2Client(moto.clientConfig);
    const nlb = await elb.send(new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [subnetA] }));
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!],
        AcceptanceRequired: true,
      }),
    );
    serviceName = created.ServiceConfiguration!.ServiceName!;
    serviceId = created.ServiceConfiguration!.ServiceId!;
  }, 30_000);
  afterAll(() => moto?.stop());

  function deps(): Deps {
    return { ec2: new EC2Client(moto.clientConfig), clock: fakeClock() };
  }

  test('GIVEN a visible service and subnets in its AZ THEN success, reporting that acceptance is required', async () => {
    const props: PreflightProperties = { ServiceName: serviceName, SubnetIds: [subnetA], PrivateDnsEnabled: 'false' };
    const outcome = await run(cfnEvent('Create', props), lambdaContext(fakeClock()), deps());
    expect(outcome).toEqual({
      physicalResourceId: `preflight/${serviceName}`,
      data: {
        ServiceId: serviceId,
        AcceptanceRequired: 'true',
        PrivateDnsName: '',
        PrivateDnsNameVerificationState: '',
        ServiceAvailabilityZoneIds: '',
        AvailabilityZoneCheck: 'checked by AZ name (same account)',
      },
    });
  });

  test('GIVEN a subnet in an AZ the service does not serve THEN the failure names the subnet, its AZ and the served AZs', async () => {
    await expect(
      run(cfnEvent('Create', { ServiceName: serviceName, SubnetIds: [subnetA, subnetB] }), lambdaContext(fakeClock()), deps()),
    ).rejects.toThrow(
      `Preflight for ${serviceName} failed: the endpoint's subnets ${subnetB} (us-east-1b) are in AZs the service does ` +
        'not serve. The service serves us-east-1a.',
    );
  });

  test('GIVEN a service name this account cannot see THEN the failure says what to send the provider', async () => {
    const name = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
    await expect(
      run(cfnEvent('Create', { ServiceName: name, SubnetIds: [subnetA] }), lambdaContext(fakeClock()), deps()),
    ).rejects.toThrow(
      `Preflight: the endpoint service ${name} is not visible to account 123456789012 in us-east-1, so no endpoint ` +
        'can be created to it. Either the service name is wrong, or the provider has not allowed this account yet: ' +
        "send the provider team the account ID 123456789012 (they add it to the service's allowed principals, i.e. " +
        'arn:aws:iam::123456789012:root), then deploy again.',
    );
  });

  test('GIVEN private DNS requested and the service has no private DNS name THEN the failure quotes the deploy error it prevents', async () => {
    await expect(
      run(
        cfnEvent('Create', { ServiceName: serviceName, SubnetIds: [subnetA], PrivateDnsEnabled: 'true' }),
        lambdaContext(fakeClock()),
        deps(),
      ),
    ).rejects.toThrow(
      `Preflight for ${serviceName} failed: private DNS is enabled on the endpoint, but the service ${serviceName} has ` +
        `no private DNS name ("Private DNS can't be enabled because the service does not provide a private DNS name").`,
    );
  });

  test('GIVEN the service has a private DNS name THEN it is returned for the check to call', async () => {
    await ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, PrivateDnsName: 'api.example.com' }));
    try {
      const outcome = await run(
        cfnEvent('Create', { ServiceName: serviceName, SubnetIds: [subnetA], PrivateDnsEnabled: 'true' }),
        lambdaContext(fakeClock()),
        deps(),
      );
      expect(outcome.data?.PrivateDnsName).toBe('api.example.com');
    } finally {
      await ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, PrivateDnsName: '' }));
    }
  });

  test('GIVEN a service of another account that reports no AZ IDs THEN the AZ check is skipped, and says so', async () => {
    const outcome = await run(
      cfnEvent('Update', { ServiceName: serviceName, SubnetIds: [subnetB] }, { physicalResourceId: 'p' }),
      lambdaContext(fakeClock(), 60_000, '999999999999'),
      deps(),
    );
    expect(outcome.physicalResourceId).toBe('p');
    expect(outcome.data?.AvailabilityZoneCheck).toBe('skipped: the service did not report its AZ IDs');
  });

  test('the Lambda entry point builds its own client and PUTs SUCCESS, or FAILED with the reason, to the response URL', async () => {
    const response = await startResponseServer();
    const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', getRemainingTimeInMillis: () => 60_000 };
    const unknown = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await withEnv(moto.env, async () => {
        await handler(cfnEvent('Create', { ServiceName: serviceName, SubnetIds: [subnetA] }, { responseUrl: response.url }), context);
        await handler(cfnEvent('Create', { ServiceName: unknown, SubnetIds: [subnetA] }, { responseUrl: response.url }), context);
      });
      expect(response.answers).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', Data: expect.objectContaining({ AcceptanceRequired: 'true' }) }),
        expect.objectContaining({
          Status: 'FAILED',
          PhysicalResourceId: `preflight/${unknown}`,
          Reason: expect.stringContaining('send the provider team the account ID 123456789012'),
        }),
      ]);
    } finally {
      jest.restoreAllMocks();
      await response.close();
    }
  });

  test('GIVEN Delete THEN nothing is called and the physical ID is kept', async () => {
    const d = deps();
    const send = jest.spyOn(d.ec2, 'send');
    await expect(
      run(cfnEvent('Delete', { ServiceName: 'anything' }, { physicalResourceId: 'preflight/x' }), lambdaContext(fakeClock()), d),
    ).resolves.toEqual({ physicalResourceId: 'preflight/x' });
    expect(send).not.toHaveBeenCalled();
  });
});

describe('aws-sdk-client-mock: AZ IDs, verification states, pagination, throttling', () => {
  const NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
  const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(ec2);
  const detail = (extra: Partial<ServiceDetail> = {}): ServiceDetail => ({
    ServiceName: NAME,
    ServiceId: 'vpce-svc-0123456789abcdef0',
    Owner: '111111111111',
    AvailabilityZoneIds: ['use1-az1', 'use1-az2'],
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    AcceptanceRequired: false,
    ...extra,
  });
  const subnets = (...azIds: string[]) => ({
    Subnets: azIds.map((azId, i) => ({ SubnetId: `subnet-${i}`, AvailabilityZoneId: azId, AvailabilityZone: `zone-${i}` })),
  });

  beforeEach(() => mock.reset());

  function go(props: Partial<PreflightProperties> = {}, region = 'us-east-1') {
    const clock = fakeClock();
    const context = { ...lambdaContext(clock), invokedFunctionArn: `arn:aws:lambda:${region}:222222222222:function:f` };
    return run(cfnEvent('Create', { ServiceName: NAME, SubnetIds: ['subnet-0', 'subnet-1'], ...props }), context, { ec2, clock });
  }

  test('GIVEN AZ IDs that match (other account) THEN success, reporting the AZ IDs and automatic acceptance', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [detail()] });
    mock.on(DescribeSubnetsCommand).resolves(subnets('use1-az2', 'use1-az1'));
    const outcome = await go();
    expect(outcome.data).toMatchObject({
      AcceptanceRequired: 'false',
      ServiceAvailabilityZoneIds: 'use1-az1,use1-az2',
      AvailabilityZoneCheck: 'checked by AZ ID',
    });
    expect(mock.commandCalls(DescribeVpcEndpointServicesCommand)[0].args[0].input).toEqual({ ServiceNames: [NAME] });
    expect(mock.commandCalls(DescribeSubnetsCommand)[0].args[0].input).toEqual({ SubnetIds: ['subnet-0', 'subnet-1'] });
  });

  test('GIVEN a subnet in an AZ ID the service does not serve THEN the failure names it and the supported AZ IDs', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [detail()] });
    mock.on(DescribeSubnetsCommand).resolves(subnets('use1-az1', 'use1-az4'));
    await expect(go()).rejects.toThrow(
      `Preflight for ${NAME} failed: the endpoint's subnets subnet-1 (use1-az4) are in AZs the service does not serve. ` +
        'The service serves the AZ IDs use1-az1, use1-az2 (compare AZ IDs: AZ names differ between accounts). Put the ' +
        'endpoint in subnets of those AZ IDs, or ask the provider to add these AZs to its load balancer.',
    );
  });

  test.each(['pendingVerification', 'failed'])(
    'GIVEN private DNS requested and the name is %s THEN the failure says the provider must verify it',
    async (state) => {
      mock.on(DescribeVpcEndpointServicesCommand).resolves({
        ServiceDetails: [detail({ PrivateDnsName: 'api.example.com', PrivateDnsNameVerificationState: state as never })],
      });
      mock.on(DescribeSubnetsCommand).resolves(subnets('use1-az1'));
      await expect(go({ PrivateDnsEnabled: 'true' })).rejects.toThrow(
        `Preflight for ${NAME} failed: private DNS is enabled on the endpoint, but the service's private DNS name ` +
          `api.example.com is ${state}, not verified. The provider must publish its TXT verification record in public ` +
          'DNS and verify it (aws ec2 start-vpc-endpoint-service-private-dns-verification), then deploy again.',
      );
    },
  );

  test('GIVEN a verified private DNS name THEN success, returning the name', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [detail({ PrivateDnsName: 'api.example.com', PrivateDnsNameVerificationState: 'verified' })],
    });
    mock.on(DescribeSubnetsCommand).resolves(subnets('use1-az1'));
    const outcome = await go({ PrivateDnsEnabled: 'true' });
    expect(outcome.data).toMatchObject({ PrivateDnsName: 'api.example.com', PrivateDnsNameVerificationState: 'verified' });
  });

  test('GIVEN two problems THEN one failure lists both, numbered', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [detail()] });
    mock.on(DescribeSubnetsCommand).resolves(subnets('use1-az9'));
    await expect(go({ PrivateDnsEnabled: 'true' })).rejects.toThrow(
      /^Preflight for .* failed: \(1\) private DNS is enabled on the endpoint, but the service .* has no private DNS name.* \(2\) the endpoint's subnets subnet-0 \(use1-az9\)/,
    );
  });

  test('GIVEN results over several pages THEN every page is read', async () => {
    mock
      .on(DescribeVpcEndpointServicesCommand)
      .resolvesOnce({ ServiceDetails: [], NextToken: 't1' })
      .resolves({ ServiceDetails: [detail()] });
    mock
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ ...subnets('use1-az1'), NextToken: 's1' })
      .resolves({ Subnets: [{ SubnetId: 'subnet-9', AvailabilityZoneId: 'use1-az3' }] });
    await expect(go()).rejects.toThrow('subnet-9 (use1-az3)');
    expect(mock.commandCalls(DescribeVpcEndpointServicesCommand)[1].args[0].input.NextToken).toBe('t1');
    expect(mock.commandCalls(DescribeSubnetsCommand)[1].args[0].input.NextToken).toBe('s1');
  });

  test('GIVEN throttling THEN the describe calls are retried and succeed', async () => {
    mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejectsOnce(awsError('RequestLimitExceeded'))
      .resolves({ ServiceDetails: [detail()] });
    mock.on(DescribeSubnetsCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded', true)).resolves(subnets('use1-az1'));
    await expect(go()).resolves.toMatchObject({ data: { AcceptanceRequired: 'false' } });
    expect(mock.commandCalls(DescribeVpcEndpointServicesCommand)).toHaveLength(2);
    expect(mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
  });

  test('GIVEN a service in another region THEN the not-visible failure says so', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).rejects(awsError('InvalidServiceName', "The Vpc Endpoint Service 'x' does not exist"));
    await expect(go({}, 'eu-west-1')).rejects.toThrow(
      'The service is in us-east-1 and this stack in eu-west-1: an endpoint reaches a service of another region only ' +
        'when the provider supports this region and the endpoint names the service region.',
    );
  });

  test('GIVEN a cross-region endpoint THEN the service is looked up in its region and the AZ check is skipped', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [detail()] });
    const outcome = await go({ ServiceRegion: 'us-east-1' }, 'eu-west-1');
    expect(mock.commandCalls(DescribeVpcEndpointServicesCommand)[0].args[0].input).toEqual({
      ServiceNames: [NAME],
      ServiceRegions: ['us-east-1'],
    });
    expect(mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    expect(outcome.data).toMatchObject({ AvailabilityZoneCheck: 'skipped: cross-region endpoint' });
  });

  test('GIVEN an access error THEN it fails with the AWS message (not mistaken for an invisible service)', async () => {
    mock.on(DescribeVpcEndpointServicesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized'));
    await expect(go()).rejects.toThrow(/^You are not authorized$/);
  });
});
