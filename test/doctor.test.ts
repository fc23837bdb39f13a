/**
 * `privatelink doctor` end to end, as real processes (the launcher over the CLI bundle) against
 * moto_server and the loopback fake (test/support/fake-aws.ts) for what moto lacks: a healthy demo pair
 * (provider and consumer in one account), then each fault alone, each in its own VPCs, load balancers
 * and service, so that the processes run side by side. The diagnosis itself is tested directly in
 * doctor-diagnosis.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Check } from '../src/cli/doctor/state';
import { PROVIDER_STACK } from '../src/stack-names';
import { inProcess, OFFLINE_ENV, packageWithBundle, type Run, spawnCli } from './support/cli-run';
import { ACCOUNT, buildScenario, registerStacks, type Scenario, type ScenarioOptions } from './support/doctor-scenario';
import { type FakeAws, startFakeAws } from './support/fake-aws';
import { type Moto, startMoto } from './support/moto';

const ROOT = path.join(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.jest-cache', `privatelink-doctor-${process.pid}`);
let bin: string;
let moto: Moto;
let fake: FakeAws;

interface Doctor {
  readonly ok: boolean;
  readonly checks: Check[];
}

/** The healthy state of a scenario on the fake: its connection accepted, the NLB's PrivateLink rules off (as the construct sets it). */
function healthy(s: Scenario): void {
  fake.connections.push({ serviceId: s.serviceId, endpointId: s.endpointId, owner: ACCOUNT, state: 'available' });
  fake.privateLinkInbound.set(s.nlbArn, 'off');
}

function doctor(args: string[], options: { reportModules?: boolean } = {}): Promise<Run> {
  return spawnCli(bin, ['doctor', ...args], fake.env, options);
}

function failing(d: Doctor): string[] {
  return d.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

function find(d: Doctor, id: string): Check {
  const c = d.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${d.checks.map((x) => x.id).join(', ')}`);
  return c;
}

/** Exit 1, valid JSON of exactly { ok, checks: [{ id, side, status, message, fix? }] }, the one-line reason naming the failures. */
function expectFailed(r: Run, ids: string[]): Doctor {
  expect({ code: r.code, stderr: r.stderr.slice(0, 500) }).toEqual({ code: 1, stderr: expect.any(String) });
  const d = JSON.parse(r.stdout) as Doctor;
  expectShape(d);
  expect(d.ok).toBe(false);
  expect(failing(d)).toEqual(ids);
  expect(r.reasons).toEqual([`privatelink doctor: ${ids.length} check(s) failed: ${ids.join(', ')}`]);
  return d;
}

function expectShape(d: Doctor): void {
  expect(Object.keys(d).sort()).toEqual(['checks', 'ok']);
  expect(d.checks.length).toBeGreaterThan(10);
  for (const c of d.checks) {
    expect(Object.keys(c).every((k) => ['id', 'side', 'status', 'message', 'fix'].includes(k))).toBe(true);
    expect(c.id.startsWith(`${c.side}.`)).toBe(true);
    expect(['pass', 'fail', 'warn', 'skip']).toContain(c.status);
    expect(c.message.length).toBeGreaterThan(10);
    if (c.status === 'fail') expect(c.fix).toEqual(expect.any(String));
  }
}

beforeAll(async () => {
  [bin, moto] = await Promise.all([packageWithBundle(BUILD_DIR, '--external-packages'), startMoto()]);
  fake = await startFakeAws(moto);
}, 60_000);
afterAll(async () => {
  await fake?.stop();
  await moto?.stop();
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
});

describe('a healthy pair, then each fault alone (processes side by side)', () => {
  const faults: Record<string, ScenarioOptions> = {
    healthy: {},
    pending: {},
    zone: { endpointInUnservedZone: true },
    closed: { endpointSecurityGroupClosed: true },
    port: { nlbPort: 8080 },
    unhealthy: {},
    dns: { privateDnsWithoutHostnames: true },
    principal: { principalNotAllowed: true },
  };
  const s: Record<string, Scenario> = {};
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    for (const [name, options] of Object.entries(faults)) {
      s[name] = await buildScenario(moto, { name, ...options });
      healthy(s[name]);
    }
    registerStacks(fake, s.healthy);
    // What moto does not model, for the faults that need it.
    fake.connections.find((c) => c.endpointId === s.pending.endpointId)!.state = 'pendingAcceptance';
    fake.endpointStates.set(s.pending.endpointId, 'pendingAcceptance');
    fake.targetHealth.set(s.unhealthy.targetGroupArn, [
      { id: s.unhealthy.albArn, port: 80, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' },
    ]);
    fake.invisibleServices.add(s.principal.serviceName);

    const ids = (x: Scenario) => ['--service-id', x.serviceId, '--endpoint-id', x.endpointId];
    const started = Object.keys(faults).map(async (name) => {
      runs[name] =
        name === 'healthy'
          ? await doctor([], { reportModules: true }) // both sides from the stacks, the table
          : await doctor(name === 'pending' ? ids(s[name]) : [...ids(s[name]), '--json']);
    });
    runs.healthyJson = await doctor(['--json']);
    await Promise.all(started);
  }, 120_000);

  test('healthy (both sides found among the resources of the PrivateLinkProvider/PrivateLinkConsumer stacks): exit 0, no failing check, both sides in the table', () => {
    const r = runs.healthy;
    expect({ code: r.code, reasons: r.reasons }).toEqual({ code: 0, reasons: [] });
    expect(r.stdout).toContain(`Consumer: endpoint ${s.healthy.endpointId}`);
    expect(r.stdout).toContain(`Provider: service ${s.healthy.serviceId}`);
    expect(r.stdout).toMatch(/^Port: 80 \(from the inbound rules of sg-[0-9a-f]+\); region us-east-1\.$/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/^PASS +endpoint +vpce-[0-9a-f]+ is available/m);
    expect(r.stdout).toMatch(/^PASS +targets +healthy-tg: ALB healthy-alb healthy$/m);
    expect(r.stdout).toMatch(/\n0 failed, 0 warning\(s\), \d+ passed, \d+ skipped\.\n$/);
    // The clients it needs, no more.
    const sdk = r.modules!.filter((m) => /@aws-sdk[\\/]client-/.test(m)).map((m) => /client-[a-z0-9-]+/.exec(m)![0]);
    expect([...new Set(sdk)].sort()).toEqual(['client-cloudformation', 'client-ec2', 'client-elastic-load-balancing-v2']);

    const d = JSON.parse(runs.healthyJson.stdout) as Doctor;
    expect(runs.healthyJson.code).toBe(0);
    expectShape(d);
    expect(d.ok).toBe(true);
    expect(failing(d)).toEqual([]);
    expect(new Set(d.checks.map((c) => c.side))).toEqual(new Set(['consumer', 'provider']));
    // Every hop of the issue is checked, and passes here (private DNS is off: nothing to check there).
    for (const id of [
      'consumer.endpoint', 'consumer.service', 'consumer.availability-zones', 'consumer.security-group', 'consumer.network-acl',
      'provider.service', 'provider.load-balancers', 'provider.listener', 'provider.targets', 'provider.alb-listener',
      'provider.alb-security-group', 'provider.nlb-security-group', 'provider.cross-zone', 'provider.connections', 'provider.principals',
    ]) {
      expect({ id, status: find(d, id).status }).toEqual({ id, status: 'pass' });
    }
    expect(find(d, 'consumer.vpc-dns').status).toBe('skip');
    expect(find(d, 'provider.private-dns')).toMatchObject({ status: 'skip', message: `${s.healthy.serviceId} has no private DNS name` });
  });

  test('pending connection: the endpoint and the provider\'s connection fail, naming the endpoint and the accept command (the table)', () => {
    const r = runs.pending;
    const x = s.pending;
    expect(r.code).toBe(1);
    expect(r.reasons).toEqual(['privatelink doctor: 2 check(s) failed: consumer.endpoint, provider.connections']);
    expect(r.stdout).toContain(
      [
        `FAIL    endpoint            ${x.endpointId} is pendingAcceptance: the provider has not accepted the connection, so no traffic flows`,
        `                            fix: the provider accepts it: privatelink accept ${x.endpointId} --service-id ${x.serviceId}; or sets ACCEPTANCE=auto for this account`,
      ].join('\n'),
    );
    expect(r.stdout).toContain(`FAIL    connections         the connection of ${x.endpointId} (account ${ACCOUNT}) is pendingAcceptance; 1 connection(s): 1 pendingAcceptance`);
    expect(r.stdout).toContain(`fix: accept it: privatelink accept ${x.endpointId} --service-id ${x.serviceId}`);
    // failing checks first, in each side's table
    const consumerTable = r.stdout.slice(r.stdout.indexOf('Consumer:'), r.stdout.indexOf('Provider:'));
    expect(consumerTable.split('\n')[2]).toMatch(/^FAIL +endpoint/);
    expect(r.stdout).toContain('2 failed, 0 warning(s)');
  });

  test('endpoint subnet in an AZ the service does not serve: consumer.availability-zones fails naming the subnet and the AZ', () => {
    const d = expectFailed(runs.zone, ['consumer.availability-zones']);
    expect(find(d, 'consumer.availability-zones').message).toMatch(/^subnet subnet-[0-9a-f]+ \(us-east-1c, [a-z0-9-]+\) of vpce-[0-9a-f]+ is in an AZ the service does not serve \(it serves us-east-1a and us-east-1b\)$/);
    expect(find(d, 'consumer.availability-zones').fix).toContain('ask the provider team to enable their NLB in us-east-1c');
  });

  test('endpoint security group closed: consumer.security-group fails naming the group and the port (taken from the NLB listener)', () => {
    const d = expectFailed(runs.closed, ['consumer.security-group']);
    const c = find(d, 'consumer.security-group');
    expect(c.message).toMatch(/^no inbound rule of sg-[0-9a-f]+ admits TCP 80 \(port from the NLB listener\): every connection to vpce-[0-9a-f]+ is dropped$/);
    expect(c.fix).toMatch(/aws ec2 authorize-security-group-ingress --group-id sg-[0-9a-f]+ --protocol tcp --port 80/);
  });

  test('NLB listening on another port: provider.listener fails; the targets behind it are skipped, not failed', () => {
    const d = expectFailed(runs.port, ['provider.listener']);
    expect(find(d, 'provider.listener').message).toMatch(/^port-nlb listens on TCP 8080, not on 80 \(the port consumers connect to, from the inbound rules of sg-[0-9a-f]+\)$/);
    expect(find(d, 'provider.targets')).toMatchObject({ status: 'skip', message: 'blocked by provider.listener (fail)' });
  });

  test('unhealthy targets: provider.targets fails with the target and its reason', () => {
    const d = expectFailed(runs.unhealthy, ['provider.targets']);
    expect(find(d, 'provider.targets').message).toBe(
      'no healthy target in unhealthy-tg: ALB unhealthy-alb:80 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])',
    );
    expect(find(d, 'provider.cross-zone').status).toBe('pass'); // on: not a consequence of the targets
  });

  test('private DNS on without DNS hostnames: consumer.vpc-dns fails with the command that fixes it; the verified name passes', () => {
    const d = expectFailed(runs.dns, ['consumer.vpc-dns']);
    const c = find(d, 'consumer.vpc-dns');
    expect(c.message).toMatch(/^private DNS is on for vpce-[0-9a-f]+, but VPC (vpc-[0-9a-f]+) has enableDnsHostnames off/);
    expect(c.fix).toMatch(/^aws ec2 modify-vpc-attribute --vpc-id vpc-[0-9a-f]+ --enable-dns-hostnames '\{"Value":true\}'$/);
    expect(find(d, 'consumer.private-dns-name')).toMatchObject({ status: 'pass', message: "the service's private DNS name api.example.com is verified" });
    expect(find(d, 'provider.private-dns').status).toBe('pass');
  });

  test('principal not allowed: the service is invisible to the consumer, and the provider names the account to allow', () => {
    const d = expectFailed(runs.principal, ['consumer.service', 'provider.principals']);
    expect(find(d, 'consumer.service').message).toBe(
      `service ${s.principal.serviceName} is not visible to account ${ACCOUNT}: the account is not among the service's allowed principals`,
    );
    expect(find(d, 'consumer.service').fix).toContain(`privatelink allow ${ACCOUNT}`);
    expect(find(d, 'provider.principals').fix).toContain(`privatelink allow ${ACCOUNT} --service-id ${s.principal.serviceId}`);
    expect(find(d, 'consumer.availability-zones')).toMatchObject({ status: 'skip', message: 'blocked by consumer.service (fail)' });
  });

  test('reads the credentials may not make, or the endpoint does not implement, are skipped with the reason, never passed', async () => {
    fake.denied.add('DescribeNetworkAcls');
    fake.denied.add('DescribeTargetHealth');
    fake.notImplemented.add('DescribeVpcEndpointConnections');
    try {
      const r = await inProcess(['doctor', '--json', '--service-id', s.healthy.serviceId, '--endpoint-id', s.healthy.endpointId], fake.env);
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as Doctor;
      expect(find(d, 'consumer.network-acl')).toEqual({
        id: 'consumer.network-acl',
        side: 'consumer',
        status: 'skip',
        message: 'could not be checked: ec2:DescribeNetworkAcls is not allowed for these credentials (UnauthorizedOperation)',
        fix: 'give these credentials the read permission named, or run "privatelink doctor" with the credentials of the account that owns the resource',
      });
      expect(find(d, 'provider.targets')).toMatchObject({
        status: 'skip',
        message: 'could not be checked: elasticloadbalancing:DescribeTargetHealth is not allowed for these credentials (AccessDenied)',
      });
      expect(find(d, 'provider.connections')).toEqual({
        id: 'provider.connections',
        side: 'provider',
        status: 'skip',
        message: `could not be checked: ec2:DescribeVpcEndpointConnections is not implemented by the endpoint at ${fake.endpoint} (InvalidAction)`,
      });
    } finally {
      fake.denied.clear();
      fake.notImplemented.clear();
    }
  }, 30_000);

  test("the consumer's credentials alone (the provider's service not readable): one side, with whom to ask", async () => {
    // As in the consumer's account: no provider stack there, and no service configuration to read.
    fake.stacks.delete(PROVIDER_STACK);
    fake.denied.add('DescribeVpcEndpointServiceConfigurations');
    try {
      const r = await inProcess(['doctor', '--endpoint-id', s.pending.endpointId], fake.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`Consumer: endpoint ${s.pending.endpointId}`);
      expect(r.stdout).toContain("Provider: not diagnosed (no service found: pass --service-id, or run with the provider's credentials)");
      expect(r.stdout).toContain(`fix: the provider accepts it: privatelink accept ${s.pending.endpointId} (ask the provider team, account ${ACCOUNT}, to run it)`);
      expect(r.reasons).toEqual(['privatelink doctor: 1 check(s) failed: consumer.endpoint']);
    } finally {
      fake.denied.clear();
    }
  }, 30_000);

  test('a --stack that does not exist is an error (a default stack that does not exist only leaves its side out)', async () => {
    const r = await inProcess(['doctor', '--endpoint-id', s.healthy.endpointId, '--stack', 'NoSuchStack'], fake.env);
    expect(r.code).toBe(1);
    expect(r.reasons).toEqual([
      'privatelink doctor: stack NoSuchStack not found in us-east-1: deploy it, pass --region, or name the resource directly (--service-id <vpce-svc-…>)',
    ]);
  }, 30_000);
});

describe('arguments and scope', () => {
  test.each([
    [['--port', '0'], 'privatelink doctor: --port "0" is not a TCP port: use a whole number from 1 to 65535, e.g. 443'],
    [['--port', 'https'], 'privatelink doctor: --port "https" is not a TCP port'],
    [['--endpoint-id', 'vpce-svc-0123456789abcdef0'], 'privatelink doctor: --endpoint-id "vpce-svc-0123456789abcdef0" is not a VPC endpoint ID'],
    [['--consumer-stack', 'C', '--endpoint-id', 'vpce-0123456789abcdef0'], 'privatelink doctor: give --consumer-stack or --endpoint-id, not both'],
    [['--stack', 'P', '--service-id', 'vpce-svc-0123456789abcdef0'], 'privatelink doctor: give --stack or --service-id, not both'],
    [['--consumer-stack', 'bad name'], 'privatelink doctor: --consumer-stack "bad name" is not a CloudFormation stack name'],
  ])('%p → exit 2 before any AWS call', async (args, message) => {
    const r = await inProcess(['doctor', ...args], OFFLINE_ENV);
    expect(r.code).toBe(2);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0].startsWith(message)).toBe(true);
    expect(r.stderr).not.toContain('could not reach');
    expect(r.stdout).toBe('');
  });

  test('as a process: a bad --port exits 2 with the message', async () => {
    const r = await spawnCli(bin, ['doctor', '--port', '70000'], OFFLINE_ENV);
    expect({ code: r.code, reasons: r.reasons }).toEqual({
      code: 2,
      reasons: ['privatelink doctor: --port "70000" is not a TCP port: use a whole number from 1 to 65535, e.g. 443 (see "privatelink doctor --help")'],
    });
  }, 30_000);

  test('no stack and no ID in the region: exit 1 saying what to pass', async () => {
    fake.stacks.clear(); // the fake's stacks are in every region
    const r = await inProcess(['doctor', '--region', 'eu-west-3'], fake.env);
    expect(r.code).toBe(1);
    expect(r.reasons).toEqual([
      'privatelink doctor: nothing to diagnose in eu-west-3: no PrivateLinkConsumer or PrivateLinkProvider stack here. Pass --endpoint-id <vpce-…> (consumer side) and/or --service-id <vpce-svc-…> (provider side), or --region',
    ]);
  }, 30_000);

  test('an endpoint or service that does not exist: its check fails, the rest of that side is blocked', async () => {
    const r = await inProcess(['doctor', '--json', '--endpoint-id', 'vpce-0123456789abcdef0', '--service-id', 'vpce-svc-0123456789abcdef0'], fake.env);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as Doctor;
    expect(failing(d)).toEqual(['consumer.endpoint', 'provider.service']);
    expect(find(d, 'consumer.endpoint').message).toBe('VPC endpoint vpce-0123456789abcdef0 not found in us-east-1');
    expect(d.checks.filter((c) => c.status !== 'fail').every((c) => c.status === 'skip' && c.message.startsWith('blocked by '))).toBe(true);
  }, 30_000);
});
