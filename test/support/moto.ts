/**
 * Starts `moto_server` (the Python AWS mock) on 127.0.0.1 for tests of code that calls AWS APIs that
 * moto implements. Never any other address. The test fails — it is not skipped — when moto is missing.
 *
 *   const moto = await startMoto();       // in beforeAll
 *   new EC2Client(moto.clientConfig);     // region us-east-1, fake credentials, endpoint on loopback
 *   await moto.stop();                    // in afterAll
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';

export interface Moto {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Config for any SDK v3 client: region, loopback endpoint, fake static credentials. */
  readonly clientConfig: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Env vars for a child process (the CLI) so that its SDK calls go to moto. */
  readonly env: Record<string, string>;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('moto_server exited before it was ready (is it installed? `moto_server --help`)');
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${deadlineMs} ms`);
}

export async function startMoto(region = 'us-east-1'): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  child.once('error', () => undefined); // surfaced by waitUntilUp
  await waitUntilUp(endpoint, child, 20_000);
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  return {
    endpoint,
    clientConfig: { region, endpoint, credentials },
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * An endpoint service in moto (a VPC, a subnet in us-east-1a, an internal NLB in it, the service with
 * acceptance required) and its ID. The SDK clients are loaded here only when called.
 */
export async function createEndpointService(moto: Moto): Promise<string> {
  const { CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointServiceConfigurationCommand, EC2Client } = await import('@aws-sdk/client-ec2');
  const { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const ec2 = new EC2Client(moto.clientConfig);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }));
  const nlb = await new ElasticLoadBalancingV2Client(moto.clientConfig).send(
    new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [subnet.Subnet!.SubnetId!] }),
  );
  const service = await ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!], AcceptanceRequired: true }),
  );
  return service.ServiceConfiguration!.ServiceId!;
}
