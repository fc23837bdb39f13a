/**
 * The diagnosis of `privatelink doctor` as pure functions: described AWS state in, checks out. GIVEN a
 * state, WHEN diagnosed, THEN the named checks have these statuses and say what to do. The same code
 * runs against moto in doctor.test.ts.
 */
import { render } from '../src/cli/commands/doctor';
import { choosePort, diagnose, sorted } from '../src/cli/doctor/diagnose';
import { cidrContains, naclVerdict, singleTcpPort } from '../src/cli/doctor/rules';
import {
  type Check,
  type ConsumerState,
  type DoctorState,
  type LoadBalancer,
  type NaclEntry,
  type ProviderState,
  read,
  unavailable,
} from '../src/cli/doctor/state';

const SVC = 'vpce-svc-0123456789abcdef0';
const NAME = `com.amazonaws.vpce.us-east-1.${SVC}`;
const VPCE = 'vpce-0123456789abcdef0';
const OWNER = '111111111111';
const CONSUMER_ACCOUNT = '222222222222';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/nlb/1';
const ALB = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/alb/2';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg/3';
const OPEN_ACL: NaclEntry[] = [
  { ruleNumber: 100, egress: false, protocol: '-1', allow: true, cidr: '0.0.0.0/0' },
  { ruleNumber: 100, egress: true, protocol: '-1', allow: true, cidr: '0.0.0.0/0' },
];

/** A healthy cross-account consumer (account 222222222222) of a service owned by 111111111111. */
function consumer(overrides: Partial<ConsumerState> = {}, endpoint: Record<string, unknown> = {}): ConsumerState {
  return {
    region: 'us-east-1',
    endpointId: VPCE,
    endpoint: read({
      id: VPCE,
      state: 'available',
      serviceName: NAME,
      vpcId: 'vpc-c',
      ownerId: CONSUMER_ACCOUNT,
      subnetIds: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-endpoint'],
      privateDnsEnabled: false,
      ...endpoint,
    }),
    service: read({ name: NAME, owner: OWNER, zoneNames: ['us-east-1a', 'us-east-1b'], zoneIds: ['use1-az1', 'use1-az2'] }),
    subnets: read([
      { id: 'subnet-1', zoneName: 'us-east-1c', zoneId: 'use1-az1' },
      { id: 'subnet-2', zoneName: 'us-east-1d', zoneId: 'use1-az2' },
    ]),
    securityGroups: read([{ id: 'sg-endpoint', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: ['sg-check'] }] }]),
    networkAcls: read([{ id: 'acl-1', subnetIds: ['subnet-1', 'subnet-2'], entries: OPEN_ACL }]),
    ...overrides,
  };
}

function loadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    arn: NLB,
    name: 'nlb',
    state: 'active',
    zones: [{ name: 'us-east-1a' }, { name: 'us-east-1b' }],
    securityGroupIds: ['sg-nlb'],
    enforcePrivateLinkInbound: 'off',
    crossZone: read(true),
    listeners: read([{ port: 443, protocol: 'TCP', targetGroupArns: [TG] }]),
    targetGroups: read([
      { arn: TG, name: 'tg', port: 443, targetType: 'alb', health: read([{ id: ALB, port: 443, state: 'healthy', zoneNames: ['us-east-1a', 'us-east-1b'] }]) },
    ]),
    securityGroups: read([{ id: 'sg-nlb', ingress: [] }]),
    subnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'],
    albTargets: read([
      {
        arn: ALB,
        exists: true,
        listeners: read([{ port: 443, protocol: 'HTTPS', targetGroupArns: [] }]),
        securityGroups: read([{ id: 'sg-alb', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: ['sg-nlb'] }] }]),
      },
    ]),
    ...overrides,
  };
}

function provider(overrides: Partial<ProviderState> = {}, service: Record<string, unknown> = {}): ProviderState {
  return {
    region: 'us-east-1',
    serviceId: SVC,
    service: read({ id: SVC, name: NAME, state: 'Available', acceptanceRequired: true, zoneNames: ['us-east-1a', 'us-east-1b'], loadBalancerArns: [NLB], ...service }),
    principals: read([`arn:aws:iam::${CONSUMER_ACCOUNT}:root`]),
    connections: read([{ endpointId: VPCE, owner: CONSUMER_ACCOUNT, state: 'available' }]),
    loadBalancers: read([loadBalancer()]),
    ...overrides,
  };
}

const PORT = { port: 443, source: 'from --port' };

function run(state: DoctorState): { checks: Check[]; get: (id: string) => Check; failing: string[] } {
  const { checks } = diagnose(state);
  const get = (id: string) => {
    const c = checks.find((x) => x.id === id);
    if (!c) throw new Error(`no check ${id}: ${checks.map((x) => x.id).join(', ')}`);
    return c;
  };
  return { checks, get, failing: checks.filter((c) => c.status === 'fail').map((c) => c.id) };
}

describe('GIVEN a healthy pair', () => {
  test('THEN no check fails or warns, and the verdict is ok', () => {
    const d = diagnose({ consumer: consumer(), provider: provider(), port: PORT });
    expect(d.ok).toBe(true);
    expect(d.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(d.checks.filter((c) => c.status === 'pass')).toHaveLength(15);
  });
});

describe('consumer', () => {
  test('an endpoint that does not exist fails; everything downstream on that side is blocked, not failed', () => {
    const r = run({ consumer: consumer({ endpoint: read(undefined) }), port: PORT });
    expect(r.failing).toEqual(['consumer.endpoint']);
    expect(r.checks.slice(1).map((c) => [c.status, c.message])).toEqual(
      Array(6).fill(['skip', 'blocked by consumer.endpoint (fail)']),
    );
  });

  test('pendingAcceptance with only the consumer side: the fix names the accept command and the provider account to ask', () => {
    const r = run({ consumer: consumer({}, { state: 'pendingAcceptance' }), port: PORT });
    expect(r.get('consumer.endpoint')).toMatchObject({
      status: 'fail',
      fix: `the provider accepts it: privatelink accept ${VPCE} (ask the provider team, account ${OWNER}, to run it); or sets ACCEPTANCE=auto for this account`,
    });
  });

  test.each([
    ['rejected', 'fail', /was rejected by the provider/],
    ['failed', 'fail', /failed: InvalidSubnet: the subnet is in an unsupported AZ/],
    ['pending', 'warn', /still being created/],
    ['deleting', 'fail', /is deleting/],
  ])('state %s → %s', (state, status, message) => {
    const r = run({ consumer: consumer({}, { state, lastError: 'InvalidSubnet: the subnet is in an unsupported AZ' }), port: PORT });
    expect(r.get('consumer.endpoint').status).toBe(status);
    expect(r.get('consumer.endpoint').message).toMatch(message);
  });

  test('AZs are compared by ID across accounts (the names differ); without IDs from another account, skipped', () => {
    const byId = run({ consumer: consumer({ subnets: read([{ id: 'subnet-1', zoneName: 'us-east-1a', zoneId: 'use1-az3' }]) }), port: PORT });
    expect(byId.get('consumer.availability-zones')).toMatchObject({
      status: 'fail',
      message: `subnet subnet-1 (us-east-1a, use1-az3) of ${VPCE} is in an AZ the service does not serve (it serves use1-az1 and use1-az2)`,
    });
    const noIds = run({ consumer: consumer({ service: read({ name: NAME, owner: OWNER, zoneNames: ['us-east-1a'] }) }), port: PORT });
    expect(noIds.get('consumer.availability-zones').status).toBe('skip');
  });

  test('a security group rule for another port, or for UDP, does not admit the port', () => {
    const r = run({
      consumer: consumer({
        securityGroups: read([{ id: 'sg-endpoint', ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, sources: ['10.0.0.0/16'] }, { protocol: 'udp', fromPort: 0, toPort: 65535, sources: ['10.0.0.0/16'] }] }]),
      }),
      port: PORT,
    });
    expect(r.failing).toEqual(['consumer.security-group']);
    expect(r.get('consumer.security-group').message).toContain('admits TCP 443 (port from --port)');
  });

  test('network ACL: a deny of the port before any allow fails; so does a deny of the replies (stateless)', () => {
    const inbound = run({
      consumer: consumer({
        networkAcls: read([{ id: 'acl-1', subnetIds: ['subnet-1'], entries: [{ ruleNumber: 50, egress: false, protocol: '6', allow: false, cidr: '0.0.0.0/0', fromPort: 443, toPort: 443 }, ...OPEN_ACL] }]),
      }),
      port: PORT,
    });
    expect(inbound.get('consumer.network-acl')).toMatchObject({ status: 'fail', message: 'network ACL acl-1 (subnet-1) denies inbound TCP 443 (rule 50 denies 0.0.0.0/0)' });
    expect(inbound.get('consumer.network-acl').fix).toContain('numbered below 50');
    const replies = run({
      consumer: consumer({ networkAcls: read([{ id: 'acl-1', subnetIds: ['subnet-1'], entries: [OPEN_ACL[0], { ruleNumber: 100, egress: true, protocol: '6', allow: true, cidr: '0.0.0.0/0', fromPort: 443, toPort: 443 }] }]) }),
      port: PORT,
    });
    expect(replies.get('consumer.network-acl').message).toMatch(/blocks the endpoint's replies: outbound TCP 1024-65535 is denied \(no entry allows it\)/);
  });

  test('private DNS on: DNS support/hostnames and a verified name are checked, with the provider\'s state when the consumer cannot see it', () => {
    const r = run({
      consumer: consumer({ vpcDns: read({ support: false, hostnames: true }), service: read({ name: NAME, owner: OWNER, zoneNames: [], zoneIds: ['use1-az1', 'use1-az2'], privateDnsName: 'api.example.com' }) }, { privateDnsEnabled: true }),
      provider: provider({}, { privateDns: { name: 'api.example.com', state: 'pendingVerification', txtName: '_x.api.example.com', txtValue: 'v=1' } }),
      port: PORT,
    });
    expect(r.failing).toEqual(['consumer.vpc-dns', 'consumer.private-dns-name']);
    expect(r.get('consumer.vpc-dns').fix).toBe(`aws ec2 modify-vpc-attribute --vpc-id vpc-c --enable-dns-support '{"Value":true}'`);
    expect(r.get('consumer.private-dns-name').message).toBe(`the service's private DNS name api.example.com is pendingVerification, not verified: private DNS cannot work on ${VPCE}`);
    expect(r.get('provider.private-dns')).toMatchObject({
      status: 'warn',
      fix: `publish the TXT record _x.api.example.com with the value "v=1" in the public DNS zone of api.example.com, then: aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${SVC}`,
    });
  });

  test('unknown port: the port checks are skipped, asking for --port', () => {
    const r = run({ consumer: consumer(), provider: provider() });
    for (const id of ['consumer.security-group', 'consumer.network-acl', 'provider.listener']) {
      expect(r.get(id)).toMatchObject({ status: 'skip', message: 'the port is unknown: pass --port' });
    }
    expect(r.get('provider.targets').message).toBe('blocked by provider.listener (skip)');
  });

  test('a read that was refused is skipped with its reason: never a pass', () => {
    const r = run({ consumer: consumer({ securityGroups: unavailable('ec2:DescribeSecurityGroups is not allowed for these credentials (UnauthorizedOperation)') }), port: PORT });
    expect(r.get('consumer.security-group')).toMatchObject({ status: 'skip', message: 'could not be checked: ec2:DescribeSecurityGroups is not allowed for these credentials (UnauthorizedOperation)' });
    const endpointRefused = run({ consumer: consumer({ endpoint: unavailable('ec2:DescribeVpcEndpoints is not allowed for these credentials (UnauthorizedOperation)') }) });
    expect(endpointRefused.checks.map((c) => c.status)).toEqual(Array(7).fill('skip'));
  });
});

describe('provider', () => {
  test('the NLB applies its security group to PrivateLink traffic: no rule for the port fails, a rule warns (client CIDRs)', () => {
    const none = run({ provider: provider({ loadBalancers: read([loadBalancer({ enforcePrivateLinkInbound: undefined })]) }), port: PORT });
    expect(none.get('provider.nlb-security-group')).toMatchObject({ status: 'fail' });
    expect(none.get('provider.nlb-security-group').message).toContain('(on (the default; the API did not say)) and none admits TCP 443');
    expect(none.get('provider.nlb-security-group').fix).toContain('--enforce-security-group-inbound-rules-on-private-link-traffic off');
    const some = run({
      provider: provider({ loadBalancers: read([loadBalancer({ enforcePrivateLinkInbound: 'on', securityGroups: read([{ id: 'sg-nlb', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: ['10.1.0.0/16'] }] }]) })]) }),
      port: PORT,
    });
    expect(some.get('provider.nlb-security-group').status).toBe('warn');
    expect(some.get('provider.nlb-security-group').message).toContain('(now: 10.1.0.0/16)');
    const noGroup = run({ provider: provider({ loadBalancers: read([loadBalancer({ securityGroupIds: [] })]) }), port: PORT });
    expect(noGroup.get('provider.nlb-security-group').status).toBe('pass');
  });

  test('an ALB target on another port, or closed to the NLB, fails on the ALB check (and the health says why)', () => {
    const alb = {
      arn: ALB,
      exists: true,
      listeners: read([{ port: 80, protocol: 'HTTP', targetGroupArns: [] }]),
      securityGroups: read([{ id: 'sg-alb', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: ['192.168.0.0/16'] }] }]),
    };
    const r = run({ provider: provider({ loadBalancers: read([loadBalancer({ albTargets: read([alb]) })]) }), port: PORT });
    expect(r.failing).toEqual(['provider.alb-listener', 'provider.alb-security-group']);
    expect(r.get('provider.alb-listener').message).toBe('ALB alb listens on 80, not on 443, the port of target group tg');
    expect(r.get('provider.alb-security-group').fix).toBe('admit it: aws ec2 authorize-security-group-ingress --group-id sg-alb --protocol tcp --port 443 --source-group sg-nlb');
    // a CIDR rule that covers the NLB's subnets admits it
    const cidr = { ...alb, listeners: read([{ port: 443, targetGroupArns: [] }]), securityGroups: read([{ id: 'sg-alb', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, sources: ['10.0.0.0/16'] }] }]) };
    expect(run({ provider: provider({ loadBalancers: read([loadBalancer({ albTargets: read([cidr]) })]) }), port: PORT }).failing).toEqual([]);
  });

  test('cross-zone off: an AZ of the NLB without a healthy target warns; with no healthy target at all it is blocked by the targets', () => {
    const oneZone = loadBalancer({
      crossZone: read(false),
      targetGroups: read([{ arn: TG, name: 'tg', port: 443, targetType: 'alb', health: read([{ id: ALB, state: 'healthy', zoneNames: ['us-east-1a'] }]) }]),
    });
    const r = run({ provider: provider({ loadBalancers: read([oneZone]) }), port: PORT });
    expect(r.get('provider.cross-zone')).toMatchObject({ status: 'warn', message: 'nlb has cross-zone load balancing off and no healthy target in us-east-1b: connections through the endpoint in that AZ fail' });
    const none = loadBalancer({
      crossZone: read(false),
      targetGroups: read([{ arn: TG, name: 'tg', port: 443, targetType: 'alb', health: read([{ id: ALB, state: 'unhealthy', reason: 'Target.Timeout' }]) }]),
    });
    const blocked = run({ provider: provider({ loadBalancers: read([none]) }), port: PORT });
    expect(blocked.failing).toEqual(['provider.targets']);
    expect(blocked.get('provider.cross-zone')).toMatchObject({ status: 'skip', message: 'blocked by provider.targets (fail)' });
  });

  test('targets: none registered fails, some unhealthy warns, first health checks warn', () => {
    const health = (targets: Array<{ state: string }>) =>
      run({ provider: provider({ loadBalancers: read([loadBalancer({ targetGroups: read([{ arn: TG, name: 'tg', port: 443, targetType: 'ip', health: read(targets.map((t, i) => ({ id: `10.0.0.${i + 1}`, ...t }))) }]) })]) }), port: PORT }).get('provider.targets');
    expect(health([])).toMatchObject({ status: 'fail', message: 'target group tg has no registered target' });
    expect(health([{ state: 'healthy' }, { state: 'unhealthy' }])).toMatchObject({ status: 'warn', message: 'tg: 1 of 2 healthy; 10.0.0.2 unhealthy' });
    expect(health([{ state: 'initial' }]).status).toBe('warn');
  });

  test('a missing NLB fails, and the checks on it are blocked', () => {
    const r = run({ provider: provider({ loadBalancers: read([]) }), port: PORT });
    expect(r.failing).toEqual(['provider.load-balancers']);
    expect(r.get('provider.load-balancers').message).toBe(`the service names ${NLB}, which does not exist`);
    for (const id of ['provider.listener', 'provider.targets', 'provider.nlb-security-group', 'provider.cross-zone']) {
      expect(r.get(id).message).toBe('blocked by provider.load-balancers (fail)');
    }
  });

  test('principals: "*" warns, none fails, and without a consumer side any list passes', () => {
    expect(run({ provider: provider({ principals: read(['*']) }), port: PORT }).get('provider.principals').status).toBe('warn');
    expect(run({ provider: provider({ principals: read([]) }), port: PORT }).get('provider.principals').status).toBe('fail');
    expect(run({ provider: provider({ principals: read(['arn:aws:iam::999999999999:root']) }), port: PORT }).get('provider.principals').status).toBe('pass');
    // with the consumer side: its account must be there (a role of the account counts)
    const role = run({ consumer: consumer(), provider: provider({ principals: read([`arn:aws:iam::${CONSUMER_ACCOUNT}:role/Consumer`]) }), port: PORT });
    expect(role.get('provider.principals').status).toBe('pass');
  });

  test('pending requests of other accounts warn with their owners; the diagnosed endpoint\'s own pending connection fails', () => {
    const others = run({
      provider: provider({ connections: read([{ endpointId: 'vpce-0aaaaaaaaaaaaaaaa', owner: '333333333333', state: 'pendingAcceptance' }, { endpointId: VPCE, owner: CONSUMER_ACCOUNT, state: 'available' }]) }),
      port: PORT,
    });
    expect(others.get('provider.connections')).toMatchObject({
      status: 'warn',
      message: '1 connection request(s) wait for acceptance: vpce-0aaaaaaaaaaaaaaaa (account 333333333333); 2 connection(s): 1 pendingAcceptance, 1 available',
      fix: `accept the ones you expect: privatelink accept --account 333333333333 --service-id ${SVC} (or reject them)`,
    });
  });

  test('private DNS verification failed: fail with the TXT record to publish', () => {
    const r = run({ provider: provider({}, { privateDns: { name: 'api.example.com', state: 'failed', txtName: '_v.api.example.com', txtValue: 'abc' } }), port: PORT });
    expect(r.get('provider.private-dns')).toMatchObject({ status: 'fail', message: 'private DNS name api.example.com is failed: consumers cannot enable private DNS until it is verified' });
  });

  test('a service that does not exist, or cannot be read: the rest of the side is blocked', () => {
    expect(run({ provider: provider({ service: read(undefined) }) }).failing).toEqual(['provider.service']);
    const refused = run({ provider: provider({ service: unavailable('ec2:DescribeVpcEndpointServiceConfigurations is not allowed for these credentials (UnauthorizedOperation)') }) });
    expect(refused.checks.every((c) => c.status === 'skip')).toBe(true);
  });
});

describe('port, rules, output', () => {
  test('the port: --port, then the endpoint security group, then the one NLB listener port', () => {
    const c = consumer();
    const p = provider();
    expect(choosePort(8443, c, p)).toEqual({ port: 8443, source: 'from --port' });
    expect(choosePort(undefined, c, p)).toEqual({ port: 443, source: 'from the inbound rules of sg-endpoint' });
    expect(choosePort(undefined, consumer({ securityGroups: read([]) }), p)).toEqual({ port: 443, source: 'from the NLB listener' });
    expect(choosePort(undefined, undefined, undefined)).toBeUndefined();
    expect(singleTcpPort([{ id: 'a', ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, sources: [] }, { protocol: 'tcp', fromPort: 443, toPort: 443, sources: [] }] }])).toBeUndefined();
  });

  test('network ACL entries are evaluated in rule-number order; a deny of a narrower CIDR does not block everyone', () => {
    const deny = (n: number, cidr: string): NaclEntry => ({ ruleNumber: n, egress: false, protocol: '-1', allow: false, cidr });
    const allow = (n: number): NaclEntry => ({ ruleNumber: n, egress: false, protocol: '6', allow: true, cidr: '0.0.0.0/0', fromPort: 443, toPort: 443 });
    expect(naclVerdict([allow(200), deny(100, '0.0.0.0/0')], false, 443)).toEqual({ allowed: false, rule: deny(100, '0.0.0.0/0') });
    expect(naclVerdict([allow(200), deny(100, '10.0.0.0/8')], false, 443).allowed).toBe(true);
    expect(naclVerdict([allow(100)], false, 80)).toEqual({ allowed: false });
    expect(cidrContains('10.0.0.0/16', '10.0.1.0/24')).toBe(true);
    expect(cidrContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '192.168.1.1/32')).toBe(true);
  });

  test('the table: one block per side, failing checks first, each fix under its check', () => {
    const state = { consumer: consumer({}, { state: 'pendingAcceptance' }), provider: provider({ connections: read([{ endpointId: VPCE, owner: CONSUMER_ACCOUNT, state: 'pendingAcceptance' }]) }), port: PORT };
    const { checks } = diagnose(state);
    const text = render(checks, state.consumer, state.provider, PORT);
    expect(text.startsWith('Port: 443 (from --port); region us-east-1.\n\nConsumer: endpoint vpce-0123456789abcdef0\nSTATUS  CHECK')).toBe(true);
    expect(text).toMatch(/\nFAIL {4}endpoint {12}vpce-0123456789abcdef0 is pendingAcceptance[^\n]*\n {28}fix: the provider accepts it: privatelink accept vpce-0123456789abcdef0 --service-id vpce-svc-0123456789abcdef0/);
    expect(text.endsWith('\n\n2 failed, 0 warning(s), 13 passed, 3 skipped.')).toBe(true);
    expect(sorted(checks).map((c) => c.status).join(' ')).toMatch(/^(fail )+(warn )*(pass )+(skip ?)*$/);
  });
});
