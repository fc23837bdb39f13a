/**
 * The consumer side of the diagnosis: the endpoint, whether this account sees the service, AZs,
 * security groups, network ACLs and private DNS. Pure: described state in, checks out.
 */
import { Checks, isRead, listText, valueOr } from './checks';
import { admittingRules, naclVerdict } from './rules';
import type { Check, DoctorState, Endpoint, NaclEntry, VisibleService } from './state';

/** Ports the endpoint's replies go to: the clients' ephemeral range (Lambda and Linux use 1024-65535). */
const EPHEMERAL_SAMPLES = [1024, 32768, 65535];

function acceptCommand(state: DoctorState, endpointId: string): string {
  const service = state.provider?.serviceId;
  return `privatelink accept ${endpointId}${service ? ` --service-id ${service}` : ''}`;
}

function endpointCheck(c: Checks, state: DoctorState, e: Endpoint, service?: VisibleService): Check {
  const asked = state.provider
    ? ''
    : ` (ask the provider team${service?.owner ? `, account ${service.owner},` : ''} to run it)`;
  switch (e.state) {
    case 'available':
      return c.pass('endpoint', `${e.id} is available, connected to ${e.serviceName}`);
    case 'pendingAcceptance':
      return c.fail(
        'endpoint',
        `${e.id} is pendingAcceptance: the provider has not accepted the connection, so no traffic flows`,
        `the provider accepts it: ${acceptCommand(state, e.id)}${asked}; or sets ACCEPTANCE=auto for this account`,
      );
    case 'pending':
      return c.warn('endpoint', `${e.id} is still being created (pending)`, 'wait a minute and run privatelink doctor again');
    case 'rejected':
      return c.fail(
        'endpoint',
        `${e.id} was rejected by the provider: no traffic flows`,
        `ask the provider team to accept it again (${acceptCommand(state, e.id)}), or delete the endpoint and create it again once they allow your account`,
      );
    case 'failed':
      return c.fail(
        'endpoint',
        `${e.id} failed${e.lastError ? `: ${e.lastError}` : ''}`,
        'delete the endpoint and create it again after fixing the cause (usually a subnet in an AZ the service does not serve, or private DNS without a verified name)',
      );
    case 'deleting':
    case 'deleted':
      return c.fail('endpoint', `${e.id} is ${e.state}`, 'create the endpoint again (npx cdk deploy PrivateLinkConsumer)');
    default:
      return c.warn('endpoint', `${e.id} is in state ${e.state}`, 'run privatelink doctor again once it is available');
  }
}

function naclProblem(entries: NaclEntry[], port: number): { egress: boolean; rule?: NaclEntry; partial?: boolean } | undefined {
  const inbound = naclVerdict(entries, false, port);
  if (!inbound.allowed) return { egress: false, rule: inbound.rule };
  const outbound = EPHEMERAL_SAMPLES.map((p) => naclVerdict(entries, true, p));
  const blocked = outbound.filter((v) => !v.allowed);
  if (blocked.length === outbound.length) return { egress: true, rule: blocked[0].rule };
  if (blocked.length > 0) return { egress: true, rule: blocked[0].rule, partial: true };
  return undefined;
}

export function diagnoseConsumer(state: DoctorState): Check[] {
  const consumer = state.consumer;
  if (!consumer) return [];
  const c = new Checks('consumer');
  const ids = ['service', 'availability-zones', 'security-group', 'network-acl', 'vpc-dns', 'private-dns-name'];

  let endpointRead: Endpoint | undefined;
  let unreadable: Check | undefined;
  if ('unavailable' in consumer.endpoint) {
    unreadable = c.unreadable('endpoint', consumer.endpoint.unavailable);
  } else {
    endpointRead = consumer.endpoint.value;
  }
  if (!endpointRead) {
    const by =
      unreadable ??
      c.fail(
        'endpoint',
        `VPC endpoint ${consumer.endpointId} not found in ${consumer.region}`,
        `check --endpoint-id and --region; the endpoint belongs to the consumer account: run privatelink doctor with its credentials`,
      );
    for (const id of ids) c.blocked(id, by);
    return c.list;
  }
  const e = endpointRead;
  const service = isRead(consumer.service) ? consumer.service.value : undefined;
  endpointCheck(c, state, e, service);

  // The service as this account sees it: invisible means this account is not an allowed principal.
  let serviceCheck: Check;
  if (!isRead(consumer.service)) {
    serviceCheck = c.unreadable('service', consumer.service && 'unavailable' in consumer.service ? consumer.service.unavailable : 'not read');
  } else if (!service) {
    const account = e.ownerId ?? 'this account';
    serviceCheck = c.fail(
      'service',
      `service ${e.serviceName} is not visible to account ${account}: the account is not among the service's allowed principals`,
      `ask the provider team to allow it: privatelink allow ${account} (and add it to CONSUMER_ACCOUNT_ID / allowedPrincipals, or the next deploy removes it)`,
    );
  } else {
    const providerName = isRead(state.provider?.service) ? state.provider.service.value?.name : undefined;
    serviceCheck =
      providerName && providerName !== service.name
        ? c.warn('service', `${e.id} connects to ${service.name}, not to the diagnosed provider service ${providerName}`, 'check --service-id / --stack and --endpoint-id / --consumer-stack')
        : c.pass('service', `${service.name} is visible to this account${service.owner ? ` (owner ${service.owner})` : ''}`);
  }

  // Availability Zones: by ID (names differ between accounts); by name only within one account.
  const subnets = valueOr(consumer.subnets, (r) => c.unreadable('availability-zones', r));
  if (subnets) {
    if (!service) {
      c.blocked('availability-zones', serviceCheck);
    } else {
      const byId = service.zoneIds !== undefined && service.zoneIds.length > 0 && subnets.every((s) => s.zoneId);
      const sameAccount = service.owner !== undefined && service.owner === e.ownerId;
      if (!byId && !sameAccount) {
        c.skip('availability-zones', `the service does not say its AZ IDs, and AZ names differ between accounts: compare the subnets' AZ IDs with the provider's (privatelink status on their side)`);
      } else {
        const served = byId ? service.zoneIds! : service.zoneNames;
        const zoneOf = (s: (typeof subnets)[number]) => (byId ? s.zoneId : s.zoneName) ?? '?';
        const outside = subnets.filter((s) => !served.includes(zoneOf(s)));
        const label = (s: (typeof subnets)[number]) => `${s.id} (${[s.zoneName, s.zoneId].filter(Boolean).join(', ')})`;
        if (outside.length > 0) {
          c.fail(
            'availability-zones',
            `${outside.length === 1 ? 'subnet' : 'subnets'} ${listText(outside.map(label))} of ${e.id} ${outside.length === 1 ? 'is' : 'are'} in an AZ the service does not serve (it serves ${listText(served)})`,
            `place the endpoint in subnets of ${listText(served)} (the app does it with SERVICE_AVAILABILITY_ZONE_IDS), or ask the provider team to enable their NLB in ${listText([...new Set(outside.map(zoneOf))])}`,
          );
        } else {
          c.pass('availability-zones', `every subnet of ${e.id} is in an AZ the service serves (${listText([...new Set(subnets.map(zoneOf))])})`);
        }
      }
    }
  }

  // Security groups and network ACLs, for the port.
  const port = state.port;
  const groups = valueOr(consumer.securityGroups, (r) => c.unreadable('security-group', r));
  if (groups) {
    if (!port) {
      c.skip('security-group', 'the port is unknown: pass --port');
    } else {
      const admitting = admittingRules(groups, port.port);
      if (admitting.length === 0) {
        c.fail(
          'security-group',
          `no inbound rule of ${listText(groups.map((g) => g.id))} admits TCP ${port.port} (port ${port.source}): every connection to ${e.id} is dropped`,
          `admit the clients: aws ec2 authorize-security-group-ingress --group-id ${groups[0]?.id ?? '<sg>'} --protocol tcp --port ${port.port} --source-group <the clients' security group> (in CDK: consumer.allowFrom(...))`,
        );
      } else {
        const from = [...new Set(admitting.flatMap((a) => a.rule.sources))];
        c.pass('security-group', `${listText([...new Set(admitting.map((a) => a.group))])} admits TCP ${port.port} from ${listText(from, 3)}`);
      }
    }
  }
  const acls = valueOr(consumer.networkAcls, (r) => c.unreadable('network-acl', r));
  if (acls) {
    if (!port) {
      c.skip('network-acl', 'the port is unknown: pass --port');
    } else if (acls.length === 0) {
      c.skip('network-acl', `no network ACL found for the subnets of ${e.id}`);
    } else {
      const problems = acls.map((acl) => ({ acl, problem: naclProblem(acl.entries, port.port) })).filter((p) => p.problem);
      const hard = problems.find((p) => !p.problem!.partial);
      const soft = problems.find((p) => p.problem!.partial);
      const ruleText = (r?: NaclEntry) => (r ? `rule ${r.ruleNumber} denies ${r.cidr}` : 'no entry allows it');
      const subnetsOf = (acl: (typeof acls)[number]) => listText(acl.subnetIds.filter((s) => e.subnetIds.includes(s)));
      if (hard) {
        const { acl, problem } = hard;
        c.fail(
          'network-acl',
          problem!.egress
            ? `network ACL ${acl.id} (${subnetsOf(acl)}) blocks the endpoint's replies: outbound TCP 1024-65535 is denied (${ruleText(problem!.rule)}); network ACLs are stateless`
            : `network ACL ${acl.id} (${subnetsOf(acl)}) denies inbound TCP ${port.port} (${ruleText(problem!.rule)})`,
          `add an allow entry numbered below ${problem!.rule?.ruleNumber ?? 32767}: aws ec2 create-network-acl-entry --network-acl-id ${acl.id} ${problem!.egress ? '--egress' : '--ingress'} --rule-number <n> --protocol tcp --port-range ${problem!.egress ? 'From=1024,To=65535' : `From=${port.port},To=${port.port}`} --cidr-block <the clients' CIDR> --rule-action allow`,
        );
      } else if (soft) {
        c.warn(
          'network-acl',
          `network ACL ${soft.acl.id} denies part of outbound TCP 1024-65535 (${ruleText(soft.problem!.rule)}): replies to clients on those ephemeral ports are dropped`,
          `allow outbound TCP 1024-65535 to the clients' CIDR in ${soft.acl.id}`,
        );
      } else {
        c.pass('network-acl', `the network ACLs of ${e.id}'s subnets allow inbound TCP ${port.port} and the replies`);
      }
    }
  }

  // Private DNS: the VPC's DNS attributes and the service's verified name.
  if (!e.privateDnsEnabled) {
    for (const id of ['vpc-dns', 'private-dns-name']) c.skip(id, `private DNS is off on ${e.id}: clients call its vpce-… DNS names`);
    return c.list;
  }
  const dns = valueOr(consumer.vpcDns, (r) => c.unreadable('vpc-dns', r));
  if (dns) {
    const off = [!dns.support && 'enableDnsSupport', !dns.hostnames && 'enableDnsHostnames'].filter((x): x is string => !!x);
    if (off.length > 0) {
      c.fail(
        'vpc-dns',
        `private DNS is on for ${e.id}, but VPC ${e.vpcId ?? '?'} has ${listText(off)} off: the service's private DNS name does not resolve to the endpoint`,
        off.map((a) => `aws ec2 modify-vpc-attribute --vpc-id ${e.vpcId ?? '<vpc>'} --${a === 'enableDnsSupport' ? 'enable-dns-support' : 'enable-dns-hostnames'} '{"Value":true}'`).join('; then '),
      );
    } else {
      c.pass('vpc-dns', `VPC ${e.vpcId ?? '?'} has DNS support and DNS hostnames on`);
    }
  }
  const providerDns = isRead(state.provider?.service) ? state.provider.service.value?.privateDns : undefined;
  const name = service?.privateDnsName ?? providerDns?.name;
  const dnsState = service?.privateDnsState ?? providerDns?.state;
  if (!service && !providerDns) {
    c.blocked('private-dns-name', serviceCheck);
  } else if (!name) {
    c.fail(
      'private-dns-name',
      `private DNS is on for ${e.id}, but the service has no private DNS name`,
      'turn private DNS off on the endpoint (CONSUMER_PRIVATE_DNS=false), or ask the provider team to give the service a verified private DNS name',
    );
  } else if (!dnsState) {
    c.skip('private-dns-name', `the verification state of ${name} is not visible from here: the provider side shows it`);
  } else if (dnsState !== 'verified') {
    c.fail(
      'private-dns-name',
      `the service's private DNS name ${name} is ${dnsState}, not verified: private DNS cannot work on ${e.id}`,
      'ask the provider team to verify it (privatelink doctor on their side shows the TXT record to publish)',
    );
  } else {
    c.pass('private-dns-name', `the service's private DNS name ${name} is verified`);
  }
  return c.list;
}
