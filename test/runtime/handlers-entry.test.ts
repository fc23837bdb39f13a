/**
 * The Lambda entry points of the custom resources, end to end on the machine: the handler builds its own
 * SDK clients (pointed at moto_server on 127.0.0.1 through AWS_ENDPOINT_URL, as the SDK honours it), does
 * its work, and PUTs its answer to the response URL (a local HTTP server standing in for CloudFormation).
 * The bundled assets export the same entry points.
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { handler as preflightHandler } from '../../src/runtime/preflight';
import { handler as privateDnsHandler } from '../../src/runtime/private-dns';
import type { ResponseDocument } from '../../src/runtime/shared/custom-resource';
import { cfnEvent } from '../support/custom-resource';
import { Moto, startMoto } from '../support/moto';

const ROOT = join(__dirname, '..', '..');
let moto: Moto;
let server: Server;
let responseUrl: string;
const answers: ResponseDocument[] = [];
const savedEnv = { ...process.env };
let serviceId: string;
let serviceName: string;
let subnetId: string;
let zoneId: string;

const context = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handler',
  getRemainingTimeInMillis: () => 600_000,
};

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, moto.env);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      answers.push(JSON.parse(body) as ResponseDocument);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;

  const ec2 = new EC2Client(moto.clientConfig);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' })))
    .Subnet!.SubnetId!;
  const nlb = await new ElasticLoadBalancingV2Client(moto.clientConfig).send(
    new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [subnetId] }),
  );
  const service = await ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!] }),
  );
  serviceId = service.ServiceConfiguration!.ServiceId!;
  serviceName = service.ServiceConfiguration!.ServiceName!;
  const zone = await new Route53Client(moto.clientConfig).send(
    new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'entry-test' }),
  );
  zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
}, 30_000);

afterAll(async () => {
  process.env = savedEnv;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await moto?.stop();
});

beforeEach(() => {
  answers.length = 0;
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('private-dns handler: Create answers SUCCESS with the verification record', async () => {
  await privateDnsHandler(
    cfnEvent('Create', { ServiceId: serviceId, DomainName: 'api.example.com', HostedZoneId: zoneId }, { responseUrl }),
    context,
  );
  expect(answers).toHaveLength(1);
  expect(answers[0]).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: `${serviceId}/private-dns-name`,
    Data: { VerificationState: 'verified', VerificationRecordName: 'n.example.com' },
  });
}, 30_000);

test('private-dns handler: a bad request answers FAILED with the reason', async () => {
  await privateDnsHandler(
    cfnEvent('Create', { ServiceId: serviceId, DomainName: 'api.example.org', HostedZoneId: zoneId }, { responseUrl }),
    context,
  );
  expect(answers[0]).toMatchObject({
    Status: 'FAILED',
    PhysicalResourceId: `${serviceId}/private-dns-name`,
    Reason: expect.stringContaining('The private DNS name api.example.org is not in hosted zone'),
  });
}, 30_000);

test('preflight handler: Create answers SUCCESS with AcceptanceRequired', async () => {
  await preflightHandler(cfnEvent('Create', { ServiceName: serviceName, SubnetIds: [subnetId] }, { responseUrl }), context);
  expect(answers[0]).toMatchObject({ Status: 'SUCCESS', Data: { AcceptanceRequired: 'true' } });
}, 30_000);

test('preflight handler: an unknown service answers FAILED with what to send the provider', async () => {
  const name = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
  await preflightHandler(cfnEvent('Create', { ServiceName: name, SubnetIds: [subnetId] }, { responseUrl }), context);
  expect(answers[0]).toMatchObject({
    Status: 'FAILED',
    PhysicalResourceId: `preflight/${name}`,
    Reason: expect.stringContaining('send the provider team the account ID 123456789012'),
  });
}, 30_000);

test.each(['private-dns', 'preflight'])('the bundled %s asset exports the handler', (name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundled = require(join(ROOT, 'assets', name, 'index.js')) as { handler?: unknown };
  expect(typeof bundled.handler).toBe('function');
});
