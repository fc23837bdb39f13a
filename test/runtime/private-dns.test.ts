/**
 * The private DNS name handler. Against moto_server (127.0.0.1) for what moto implements: setting the name
 * on the service, describing the configuration, and Route 53 zones and TXT records. moto reports every
 * named service as `verified` at once and implements neither StartVpcEndpointServicePrivateDnsVerification
 * nor RemovePrivateDnsName (it accepts and ignores it): the verification flow, failures, the bounded wait
 * and throttling run against aws-sdk-client-mock.
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ServiceConfiguration,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CHANGE_POLL_INTERVAL_MS,
  handler,
  POLL_INTERVAL_MS,
  recordNameOf,
  run,
  type Deps,
  type PrivateDnsProperties,
} from '../../src/runtime/private-dns';
import {
  awsError,
  cfnEvent,
  fakeClock,
  lambdaContext,
  startResponseServer,
  withEnv,
  type FakeClock,
} from '../support/custom-resource';
import { Moto, startMoto } from '../support/moto';

const DOMAIN = 'api.example.com';

describe('recordNameOf', () => {
  test('puts the verification name under the domain, lower-cased, without a trailing dot', () => {
    expect(recordNameOf('_AbC123', 'Example.com.')).toBe('_abc123.example.com');
  });
  test('keeps a name that is already in the domain', () => {
    expect(recordNameOf('_abc.example.com.', 'example.com')).toBe('_abc.example.com');
  });
});

describe('against moto_server', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let route53: Route53Client;
  let subnetId: string;

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
    route53 = new Route53Client(moto.clientConfig);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24' }));
    subnetId = subnet.Subnet!.SubnetId!;
    // moto loads each service's backend on its first call (seconds on a busy machine): not inside a test.
    await newZone('warm-up.example.net');
    await newService();
  }, 30_000);
  afterAll(() => moto?.stop());

  let nlbCount = 0;
  /** A new endpoint service (its own NLB). */
  async function newService(): Promise<string> {
    const elb = new ElasticLoadBalancingV2Client(moto.clientConfig);
    const nlb = await elb.send(
      new CreateLoadBalancerCommand({ Name: `nlb-${++nlbCount}`, Type: 'network', Scheme: 'internal', Subnets: [subnetId] }),
    );
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!] }),
    );
    return created.ServiceConfiguration!.ServiceId!;
  }

  async function newZone(name: string, privateIn?: string): Promise<string> {
    const out = await route53.send(
      new CreateHostedZoneCommand({
        Name: name,
        CallerReference: `${name}-${Math.random()}`,
        ...(privateIn ? { VPC: { VPCId: privateIn, VPCRegion: 'us-east-1' }, HostedZoneConfig: { PrivateZone: true } } : {}),
      }),
    );
    return out.HostedZone!.Id!.replace('/hostedzone/', '');
  }

  async function txtValues(zoneId: string, name: string): Promise<string[]> {
    const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    return (out.ResourceRecordSets ?? [])
      .filter((r) => r.Type === 'TXT' && r.Name === `${name}.`)
      .flatMap((r) => r.ResourceRecords?.map((v) => v.Value ?? '') ?? []);
  }

  async function privateDnsNameOf(serviceId: string): Promise<string | undefined> {
    const out = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    return out.ServiceConfigurations?.[0]?.PrivateDnsName;
  }

  /** Records the commands each client sends (and still sends them to moto). */
  function spy(deps: Deps): string[] {
    const sent: string[] = [];
    for (const client of [deps.ec2, deps.route53] as { send: (c: object) => Promise<unknown> }[]) {
      const original = client.send.bind(client);
      jest.spyOn(client, 'send').mockImplementation((command: object) => {
        sent.push(command.constructor.name);
        return original(command);
      });
    }
    return sent;
  }

  function deps(clock: FakeClock = fakeClock()): Deps {
    return { ec2: new EC2Client(moto.clientConfig), route53: new Route53Client(moto.clientConfig), clock };
  }

  afterEach(() => jest.restoreAllMocks());

  test('GIVEN a public zone WHEN created THEN the name is set, the TXT record published, and the state verified', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    const clock = fakeClock();
    const props: PrivateDnsProperties = { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId };

    const outcome = await run(cfnEvent('Create', props), lambdaContext(clock), deps(clock));

    expect(await privateDnsNameOf(serviceId)).toBe(DOMAIN);
    // moto's verification record is Name "n", Value "val": published under the zone's name.
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"val"']);
    expect(outcome).toEqual({
      physicalResourceId: `${serviceId}/private-dns-name`,
      data: {
        PrivateDnsName: DOMAIN,
        VerificationState: 'verified',
        VerificationRecordName: 'n.example.com',
        VerificationRecordType: 'TXT',
        VerificationRecordValue: 'val',
      },
    });
  });

  test('GIVEN a resource already in place WHEN the same request runs again THEN nothing is changed twice', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    const props: PrivateDnsProperties = { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId };
    await run(cfnEvent('Create', props), lambdaContext(fakeClock()), deps());

    const again = deps();
    const sent = spy(again);
    const outcome = await run(cfnEvent('Create', props), lambdaContext(fakeClock()), again);

    expect(outcome.data?.VerificationState).toBe('verified');
    expect(sent).not.toContain('ModifyVpcEndpointServiceConfigurationCommand');
    expect(sent).not.toContain('ChangeResourceRecordSetsCommand');
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"val"']);
  });

  test('GIVEN another value already on the TXT record WHEN published THEN both values are kept', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'n.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"other"' }] } },
          ],
        },
      }),
    );
    await run(cfnEvent('Create', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId }), lambdaContext(fakeClock()), deps());
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"other"', '"val"']);

    await run(
      cfnEvent('Delete', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId }, { physicalResourceId: 'x' }),
      lambdaContext(fakeClock()),
      deps(),
    );
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"other"']);
  });

  test('GIVEN no zone WHEN created THEN the record to publish is returned under the domain and no record is written', async () => {
    const serviceId = await newService();
    const d = deps();
    const sent = spy(d);
    const outcome = await run(cfnEvent('Create', { ServiceId: serviceId, DomainName: DOMAIN }), lambdaContext(fakeClock()), d);
    expect(await privateDnsNameOf(serviceId)).toBe(DOMAIN);
    expect(outcome.data).toMatchObject({ VerificationRecordName: 'n.api.example.com', VerificationRecordValue: 'val' });
    expect(sent.filter((c) => !c.startsWith('Describe') && !c.startsWith('Modify'))).toEqual([]);
  });

  test('GIVEN the resource WHEN deleted THEN its TXT record is deleted and the name removed from the service', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    const props: PrivateDnsProperties = { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId };
    await run(cfnEvent('Create', props), lambdaContext(fakeClock()), deps());

    const d = deps();
    const modify = jest.spyOn(d.ec2, 'send');
    const outcome = await run(
      cfnEvent('Delete', props, { physicalResourceId: `${serviceId}/private-dns-name` }),
      lambdaContext(fakeClock()),
      d,
    );
    expect(outcome.physicalResourceId).toBe(`${serviceId}/private-dns-name`);
    expect(await txtValues(zoneId, 'n.example.com')).toEqual([]);
    // moto ignores RemovePrivateDnsName: assert the request instead of the service's state.
    const removal = modify.mock.calls
      .map(([c]) => c)
      .find((c) => c instanceof ModifyVpcEndpointServiceConfigurationCommand);
    expect(removal?.input).toEqual({ ServiceId: serviceId, RemovePrivateDnsName: true });

    // Deleting again (CloudFormation retry) finds no record and is fine.
    await expect(
      run(cfnEvent('Delete', props, { physicalResourceId: 'x' }), lambdaContext(fakeClock()), deps()),
    ).resolves.toEqual({ physicalResourceId: 'x' });
  });

  test('GIVEN the service now has another name WHEN deleted THEN the name and record are left alone', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    await run(cfnEvent('Create', { ServiceId: serviceId, DomainName: 'other.example.com', HostedZoneId: zoneId }), lambdaContext(fakeClock()), deps());
    const d = deps();
    const sent = spy(d);
    await run(
      cfnEvent('Delete', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId }, { physicalResourceId: 'x' }),
      lambdaContext(fakeClock()),
      d,
    );
    expect(sent).toEqual(['DescribeVpcEndpointServiceConfigurationsCommand']);
    expect(await privateDnsNameOf(serviceId)).toBe('other.example.com');
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"val"']);
  });

  test('GIVEN the service is gone WHEN deleted THEN success without any change', async () => {
    await expect(
      run(
        cfnEvent('Delete', { ServiceId: 'vpce-svc-0123456789abcdef0', DomainName: DOMAIN }, { physicalResourceId: 'p' }),
        lambdaContext(fakeClock()),
        deps(),
      ),
    ).resolves.toEqual({ physicalResourceId: 'p' });
  });

  test('GIVEN a move to another zone WHEN updated THEN the record moves and the old one is removed', async () => {
    const serviceId = await newService();
    const oldZone = await newZone('example.com');
    const newZoneId = await newZone('example.com');
    const old: PrivateDnsProperties = { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: oldZone };
    await run(cfnEvent('Create', old), lambdaContext(fakeClock()), deps());

    const props: PrivateDnsProperties = { ...old, HostedZoneId: newZoneId };
    const outcome = await run(
      cfnEvent('Update', props, { physicalResourceId: `${serviceId}/private-dns-name`, oldProperties: old }),
      lambdaContext(fakeClock()),
      deps(),
    );
    expect(outcome.physicalResourceId).toBe(`${serviceId}/private-dns-name`);
    expect(await txtValues(newZoneId, 'n.example.com')).toEqual(['"val"']);
    expect(await txtValues(oldZone, 'n.example.com')).toEqual([]);
  });

  test('GIVEN a new domain name WHEN updated THEN the service gets the new name (same physical ID, no replacement)', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    const old: PrivateDnsProperties = { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId };
    await run(cfnEvent('Create', old), lambdaContext(fakeClock()), deps());
    const props = { ...old, DomainName: 'api2.example.com' };
    const outcome = await run(
      cfnEvent('Update', props, { physicalResourceId: `${serviceId}/private-dns-name`, oldProperties: old }),
      lambdaContext(fakeClock()),
      deps(),
    );
    expect(outcome.physicalResourceId).toBe(`${serviceId}/private-dns-name`);
    expect(await privateDnsNameOf(serviceId)).toBe('api2.example.com');
    // moto gives both names the same record: it stays published.
    expect(await txtValues(zoneId, 'n.example.com')).toEqual(['"val"']);
  });

  test('GIVEN a name outside the zone THEN the failure names the name, the zone and the fix', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.org');
    await expect(
      run(cfnEvent('Create', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId }), lambdaContext(fakeClock()), deps()),
    ).rejects.toThrow(
      `The private DNS name api.example.com is not in hosted zone ${zoneId} (example.org). Give the public hosted zone of the domain`,
    );
  });

  test('GIVEN a private zone THEN the failure says verification needs the public zone', async () => {
    const serviceId = await newService();
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
    const zoneId = await newZone('example.com', vpc.Vpc!.VpcId!);
    await expect(
      run(cfnEvent('Create', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: zoneId }), lambdaContext(fakeClock()), deps()),
    ).rejects.toThrow(`Hosted zone ${zoneId} (example.com) is a private zone. Domain verification reads public DNS`);
  });

  test('GIVEN a zone that does not exist THEN the failure says so', async () => {
    const serviceId = await newService();
    await expect(
      run(
        cfnEvent('Create', { ServiceId: serviceId, DomainName: DOMAIN, HostedZoneId: 'Z0000000000NOTHERE' }),
        lambdaContext(fakeClock()),
        deps(),
      ),
    ).rejects.toThrow('Hosted zone Z0000000000NOTHERE does not exist in this account.');
  });

  test('the Lambda entry point builds its own clients and PUTs SUCCESS, or FAILED with the reason, to the response URL', async () => {
    const serviceId = await newService();
    const zoneId = await newZone('example.com');
    const response = await startResponseServer();
    const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', getRemainingTimeInMillis: () => 600_000 };
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await withEnv(moto.env, async () => {
        const props = { ServiceId: serviceId, HostedZoneId: zoneId };
        await handler(cfnEvent('Create', { ...props, DomainName: DOMAIN }, { responseUrl: response.url }), context);
        await handler(cfnEvent('Create', { ...props, DomainName: 'api.example.org' }, { responseUrl: response.url }), context);
      });
      expect(response.answers).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: `${serviceId}/private-dns-name`,
          Data: expect.objectContaining({ VerificationState: 'verified', VerificationRecordName: 'n.example.com' }),
        }),
        expect.objectContaining({
          Status: 'FAILED',
          PhysicalResourceId: `${serviceId}/private-dns-name`,
          Reason: expect.stringContaining('The private DNS name api.example.org is not in hosted zone'),
        }),
      ]);
    } finally {
      await response.close();
    }
  });

  test('GIVEN a service that does not exist WHEN created THEN the failure names it', async () => {
    await expect(
      run(cfnEvent('Create', { ServiceId: 'vpce-svc-0123456789abcdef0', DomainName: DOMAIN }), lambdaContext(fakeClock()), deps()),
    ).rejects.toThrow('Endpoint service vpce-svc-0123456789abcdef0 was not found in this account and region.');
  });
});

describe('verification flow (aws-sdk-client-mock: moto has no StartVpcEndpointServicePrivateDnsVerification)', () => {
  const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
  const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
  const props: PrivateDnsProperties = {
    ServiceId: SERVICE_ID,
    DomainName: DOMAIN,
    HostedZoneId: ZONE_ID,
    VerificationTimeoutSeconds: '600',
  };
  const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const route53 = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ec2Mock = mockClient(ec2);
  const route53Mock = mockClient(route53);

  /** The service's configuration: `name` null for a service without a private DNS name. */
  function config(state?: string, name: string | null = DOMAIN): { ServiceConfigurations: ServiceConfiguration[] } {
    return {
      ServiceConfigurations: [
        {
          ServiceId: SERVICE_ID,
          PrivateDnsName: name ?? undefined,
          PrivateDnsNameConfiguration: state ? { Name: '_8wbf2q', Value: 'vpce:kW3n', Type: 'TXT', State: state as never } : undefined,
        },
      ],
    };
  }

  /** Describe answers: first the given states, then the last one forever. */
  function describeSequence(...answers: ReturnType<typeof config>[]): void {
    const stub = ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand);
    answers.forEach((a) => stub.resolvesOnce(a));
    stub.resolves(answers[answers.length - 1]);
  }

  beforeEach(() => {
    ec2Mock.reset();
    route53Mock.reset();
    ec2Mock.on(ModifyVpcEndpointServiceConfigurationCommand).resolves({ Return: true });
    ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
    route53Mock.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: ZONE_ID, Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: false } } });
    route53Mock.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [] , IsTruncated: false, MaxItems: 1 });
    route53Mock.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    route53Mock.on(GetChangeCommand).resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } }).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
  });

  function deps(clock: FakeClock): Deps {
    return { ec2, route53, clock };
  }

  test('GIVEN pendingVerification WHEN created THEN the record is published, in sync, verification started, and the wait ends at verified', async () => {
    describeSequence(config(undefined, null), config('pendingVerification'), config('pendingVerification'), config('pendingVerification'), config('verified'));
    const clock = fakeClock();
    const outcome = await run(cfnEvent('Create', props), lambdaContext(clock), deps(clock));

    expect(outcome.data).toEqual({
      PrivateDnsName: DOMAIN,
      VerificationState: 'verified',
      VerificationRecordName: '_8wbf2q.example.com',
      VerificationRecordType: 'TXT',
      VerificationRecordValue: 'vpce:kW3n',
    });
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServiceConfigurationCommand)[0].args[0].input).toEqual({
      ServiceId: SERVICE_ID,
      PrivateDnsName: DOMAIN,
    });
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)[0].args[0].input).toMatchObject({
      HostedZoneId: ZONE_ID,
      ChangeBatch: {
        Changes: [
          { Action: 'UPSERT', ResourceRecordSet: { Name: '_8wbf2q.example.com', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"vpce:kW3n"' }] } },
        ],
      },
    });
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(1);
    // One wait for the Route 53 change, then two polls of the state before it turned verified.
    expect(clock.sleeps).toEqual([CHANGE_POLL_INTERVAL_MS, POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
  });

  test('GIVEN the record does not exist yet on the first describe THEN it waits for it', async () => {
    describeSequence(config(undefined), config(undefined), config('verified'));
    const clock = fakeClock();
    const outcome = await run(cfnEvent('Create', props), lambdaContext(clock), deps(clock));
    expect(outcome.data?.VerificationState).toBe('verified');
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServiceConfigurationCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(0);
  });

  test('GIVEN no zone and pendingVerification THEN the record is returned at once: no verification started, no wait', async () => {
    describeSequence(config('pendingVerification'));
    const clock = fakeClock();
    const outcome = await run(cfnEvent('Create', { ServiceId: SERVICE_ID, DomainName: DOMAIN }), lambdaContext(clock), deps(clock));
    expect(outcome.data).toMatchObject({
      VerificationState: 'pendingVerification',
      VerificationRecordName: '_8wbf2q.api.example.com',
      VerificationRecordValue: 'vpce:kW3n',
    });
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(0);
    expect(route53Mock.calls()).toHaveLength(0);
    expect(clock.sleeps).toEqual([]);
  });

  test('GIVEN the state turns failed THEN the deployment fails naming the record, the zone and the fix', async () => {
    describeSequence(config('pendingVerification'), config('pendingVerification'), config('failed'));
    const clock = fakeClock();
    await expect(run(cfnEvent('Create', props), lambdaContext(clock), deps(clock))).rejects.toThrow(
      `AWS could not verify the private DNS name api.example.com of ${SERVICE_ID} (state: failed). It looks up the TXT ` +
        `record _8wbf2q.example.com = "vpce:kW3n" in public DNS: check that hosted zone ${ZONE_ID} is the zone the ` +
        'domain is delegated to',
    );
  });

  test('GIVEN a failed state left from an earlier attempt THEN it is not taken for the new result', async () => {
    describeSequence(config('failed'), config('failed'), config('failed'), config('pendingVerification'), config('verified'));
    const clock = fakeClock();
    const outcome = await run(cfnEvent('Create', props), lambdaContext(clock), deps(clock));
    expect(outcome.data?.VerificationState).toBe('verified');
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(1);
  });

  test('GIVEN the state stays pending THEN the wait ends at the timeout with the record to check', async () => {
    describeSequence(config('pendingVerification'));
    const clock = fakeClock();
    await expect(
      run(cfnEvent('Create', { ...props, VerificationTimeoutSeconds: '120' }), lambdaContext(clock), deps(clock)),
    ).rejects.toThrow(
      `The private DNS name api.example.com of ${SERVICE_ID} is still pendingVerification: it was not verified within ` +
        'the 2 min wait (privateDnsName.verificationTimeout). The TXT record _8wbf2q.example.com = "vpce:kW3n" is published ' +
        `in zone ${ZONE_ID}; public DNS may not serve it yet. Check with \`dig TXT _8wbf2q.example.com\``,
    );
    expect(clock.elapsed()).toBeLessThanOrEqual(120_000);
    expect(clock.elapsed()).toBeGreaterThan(120_000 - POLL_INTERVAL_MS);
  });

  test("GIVEN less Lambda time left than the timeout THEN the wait stops in time to answer CloudFormation", async () => {
    describeSequence(config('pendingVerification'));
    const clock = fakeClock();
    await expect(run(cfnEvent('Create', props), lambdaContext(clock, 150_000), deps(clock))).rejects.toThrow(
      "still pendingVerification: it was not verified within the 2 min wait (the handler function's remaining run time)",
    );
    // 150 s of Lambda time, 30 s kept back to answer: the wait ends by 120 s, not at the 600 s timeout.
    expect(clock.elapsed()).toBeLessThanOrEqual(120_000);
  });

  test('GIVEN throttling on EC2 and Route 53 THEN the calls are retried with backoff and succeed', async () => {
    describeSequence(config('pendingVerification', 'old.example.com'), config('verified'));
    ec2Mock
      .on(ModifyVpcEndpointServiceConfigurationCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .rejectsOnce(awsError('Throttling', 'Rate exceeded', true))
      .resolves({ Return: true });
    route53Mock
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(awsError('PriorRequestNotComplete'))
      .resolves({ ChangeInfo: { Id: '/change/C2', Status: 'INSYNC', SubmittedAt: new Date() } });
    const clock = fakeClock();
    const outcome = await run(cfnEvent('Create', props), lambdaContext(clock), deps(clock));
    expect(outcome.data?.VerificationState).toBe('verified');
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServiceConfigurationCommand)).toHaveLength(3);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(2);
    // Backoff: 0.25–0.5 s, then 0.5–1 s for the second EC2 retry.
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(500);
  });

  test('GIVEN throttling that never ends THEN the call gives up after 8 attempts with the AWS error', async () => {
    describeSequence(config('pendingVerification', 'old.example.com'));
    ec2Mock.on(ModifyVpcEndpointServiceConfigurationCommand).rejects(awsError('Throttling', 'Rate exceeded', true));
    const clock = fakeClock();
    await expect(run(cfnEvent('Create', props), lambdaContext(clock), deps(clock))).rejects.toThrow('Rate exceeded');
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServiceConfigurationCommand)).toHaveLength(8);
  });

  test('GIVEN an error that is not throttling THEN it fails at once with the AWS message', async () => {
    describeSequence(config('pendingVerification', 'old.example.com'));
    ec2Mock
      .on(ModifyVpcEndpointServiceConfigurationCommand)
      .rejects(awsError('InvalidParameter', 'Private DNS name is already in use by another service'));
    await expect(run(cfnEvent('Create', props), lambdaContext(fakeClock()), deps(fakeClock()))).rejects.toThrow(
      'Private DNS name is already in use by another service',
    );
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServiceConfigurationCommand)).toHaveLength(1);
  });

  test('GIVEN an update to a new name in the same zone THEN the old TXT value is removed once the new one is verified', async () => {
    describeSequence(
      { ServiceConfigurations: [{ ServiceId: SERVICE_ID, PrivateDnsName: 'old.example.com', PrivateDnsNameConfiguration: { Name: '_old', Value: 'vpce:old', State: 'verified' } }] },
      config('pendingVerification'),
      config('pendingVerification'),
      config('verified'),
    );
    route53Mock.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName: string }) =>
      input.StartRecordName === '_old.example.com'
        ? { ResourceRecordSets: [{ Name: '_old.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"vpce:old"' }] }] }
        : { ResourceRecordSets: [] },
    );
    const clock = fakeClock();
    await run(
      cfnEvent('Update', props, { physicalResourceId: `${SERVICE_ID}/private-dns-name`, oldProperties: { ...props, DomainName: 'old.example.com' } }),
      lambdaContext(clock),
      deps(clock),
    );
    const changes = route53Mock.commandCalls(ChangeResourceRecordSetsCommand).map((c) => c.args[0].input.ChangeBatch!.Changes![0]);
    expect(changes.map((c) => [c.Action, c.ResourceRecordSet!.Name])).toEqual([
      ['UPSERT', '_8wbf2q.example.com'],
      ['DELETE', '_old.example.com.'],
    ]);
  });
});
