/**
 * The provider side of the diagnosis: the service, its NLBs, listeners, targets (and ALB targets), the
 * NLB's security-group setting for PrivateLink traffic, cross-zone load balancing, connections, allowed
 * principals and private DNS. Pure: described state in, checks out.
 */
import { accountOfPrincipal, Checks, isRead, listText, valueOr } from './checks';
import { admittingRules, cidrContains } from './rules';
import type { Check, DoctorState, LoadBalancer, TargetGroup } from './state';

/** A target's ID for people: an ALB target by its name, not its whole ARN. */
function targetName(id: string): string {
  const alb = /:loadbalancer\/app\/([^/]+)\//.exec(id);
  return alb ? `ALB ${alb[1]}` : id;
}

function healthText(t: { id: string; port?: number; state: string; reason?: string; description?: string }): string {
  const detail = [t.reason, t.description].filter(Boolean).join(': ');
  return `${targetName(t.id)}${t.port ? `:${t.port}` : ''} ${t.state}${detail ? ` (${detail})` : ''}`;
}

export function diagnoseProvider(state: DoctorState): Check[] {
  const provider = state.provider;
  if (!provider) return [];
  const c = new Checks('provider');
  const downstream = ['load-balancers', 'listener', 'targets', 'nlb-security-group', 'cross-zone'];
  const endpoint = isRead(state.consumer?.endpoint) ? state.consumer.endpoint.value : undefined;

  // The service itself.
  let serviceCheck: Check;
  const service = isRead(provider.service) ? provider.service.value : undefined;
  if (!isRead(provider.service)) {
    serviceCheck = c.unreadable('service', 'unavailable' in provider.service ? provider.service.unavailable : '');
  } else if (!service) {
    serviceCheck = c.fail(
      'service',
      `endpoint service ${provider.serviceId} not found in ${provider.region}`,
      'check --service-id / --stack and --region; the service belongs to the provider account: run privatelink doctor with its credentials',
    );
  } else if (service.state === 'Available' || service.state === undefined) {
    serviceCheck = c.pass('service', `${service.id} is Available${service.name ? ` (${service.name})` : ''}`);
  } else if (service.state === 'Pending') {
    serviceCheck = c.warn('service', `${service.id} is still Pending`, 'wait until it is Available and run privatelink doctor again');
  } else {
    serviceCheck = c.fail('service', `${service.id} is ${service.state}`, 'deploy the provider stack again (npx cdk deploy PrivateLinkProvider)');
  }
  if (!service) {
    for (const id of [...downstream, 'connections', 'principals', 'private-dns']) c.blocked(id, serviceCheck);
    return c.list;
  }

  diagnoseLoadBalancers(c, state, service.loadBalancerArns);

  // Connections by state; the diagnosed endpoint's own connection first.
  const connections = valueOr(provider.connections, (r) => c.unreadable('connections', r));
  if (connections) {
    const byState = new Map<string, number>();
    for (const x of connections) byState.set(x.state, (byState.get(x.state) ?? 0) + 1);
    const summary = connections.length === 0 ? 'no connection' : `${connections.length} connection(s): ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ')}`;
    const own = endpoint ? connections.find((x) => x.endpointId === endpoint.id) : undefined;
    const pending = connections.filter((x) => x.state === 'pendingAcceptance');
    if (own?.state === 'pendingAcceptance') {
      c.fail(
        'connections',
        `the connection of ${own.endpointId} (account ${own.owner}) is pendingAcceptance; ${summary}`,
        `accept it: privatelink accept ${own.endpointId} --service-id ${service.id}`,
      );
    } else if (own?.state === 'rejected') {
      c.fail('connections', `the connection of ${own.endpointId} (account ${own.owner}) was rejected; ${summary}`, `accept it again: privatelink accept ${own.endpointId} --service-id ${service.id}`);
    } else if (pending.length > 0) {
      c.warn(
        'connections',
        `${pending.length} connection request(s) wait for acceptance: ${listText(pending.map((x) => `${x.endpointId} (account ${x.owner})`))}; ${summary}`,
        `accept the ones you expect: privatelink accept --account ${pending[0].owner} --service-id ${service.id} (or reject them)`,
      );
    } else if (endpoint && !own) {
      c.warn('connections', `${endpoint.id} has no connection to ${service.id}; ${summary}`, 'check that the endpoint was created for this service (--endpoint-id, --service-id)');
    } else {
      c.pass('connections', connections.length === 0 ? 'no connection yet: no consumer has created an endpoint' : summary);
    }
  }

  // Allowed principals: "*" is everyone; the diagnosed endpoint's account must be among them.
  const principals = valueOr(provider.principals, (r) => c.unreadable('principals', r));
  if (principals) {
    const owner = endpoint?.ownerId;
    const allowsOwner = owner !== undefined && principals.some((p) => p === '*' || accountOfPrincipal(p) === owner);
    if (principals.length === 0) {
      c.fail('principals', `no principal is allowed on ${service.id}: no consumer can create an endpoint`, 'allow the consumer accounts: privatelink allow <account-id> (and CONSUMER_ACCOUNT_ID for the stack)');
    } else if (owner !== undefined && !allowsOwner) {
      c.fail(
        'principals',
        `account ${owner}, owner of ${endpoint!.id}, is not among the ${principals.length} allowed principal(s) of ${service.id}`,
        `allow it: privatelink allow ${owner} --service-id ${service.id} (and add it to CONSUMER_ACCOUNT_ID / allowedPrincipals, or the next deploy removes it)`,
      );
    } else if (principals.includes('*')) {
      c.warn('principals', `"*" is allowed: every AWS account can create an endpoint to ${service.id}${service.acceptanceRequired === false ? ', and acceptance is automatic' : ''}`, 'allow the consumer accounts by ID instead (CONSUMER_ACCOUNT_ID)');
    } else {
      c.pass('principals', `${principals.length} allowed principal(s): ${listText(principals, 3)}`);
    }
  }

  // Private DNS verification.
  const dns = service.privateDns;
  if (!dns) {
    c.skip('private-dns', `${service.id} has no private DNS name`);
  } else if (dns.state === 'verified') {
    c.pass('private-dns', `private DNS name ${dns.name} is verified`);
  } else {
    const publish = dns.txtName
      ? `publish the TXT record ${dns.txtName} with the value "${dns.txtValue ?? '?'}" in the public DNS zone of ${dns.name}, then: aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${service.id}`
      : `aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${service.id}`;
    const message = `private DNS name ${dns.name} is ${dns.state ?? 'not verified'}: consumers cannot enable private DNS until it is verified`;
    if (dns.state === 'failed') c.fail('private-dns', message, publish);
    else c.warn('private-dns', message, publish);
  }
  return c.list;
}

function diagnoseLoadBalancers(c: Checks, state: DoctorState, arns: string[]): void {
  const provider = state.provider!;
  const port = state.port;
  const found = valueOr(provider.loadBalancers, (r) => c.unreadable('load-balancers', r));
  if (!found) {
    for (const id of ['listener', 'targets', 'nlb-security-group', 'cross-zone']) c.blocked(id, 'blocked: the load balancers could not be read');
    return;
  }
  const missing = arns.filter((a) => !found.some((lb) => lb.arn === a));
  const notActive = found.filter((lb) => lb.state !== undefined && lb.state !== 'active');
  let lbCheck: Check;
  if (arns.length === 0) {
    lbCheck = c.fail('load-balancers', 'the service has no Network Load Balancer', 'deploy the provider stack again (npx cdk deploy PrivateLinkProvider)');
  } else if (missing.length > 0) {
    lbCheck = c.fail('load-balancers', `the service names ${listText(missing)}, which ${missing.length === 1 ? 'does' : 'do'} not exist`, 'deploy the provider stack again, or point the service at an existing NLB');
  } else if (notActive.some((lb) => lb.state === 'failed')) {
    lbCheck = c.fail('load-balancers', `NLB ${listText(notActive.map((lb) => lb.name ?? lb.arn))} is failed`, 'replace the NLB (deploy the provider stack again)');
  } else if (notActive.length > 0) {
    lbCheck = c.warn('load-balancers', `NLB ${listText(notActive.map((lb) => `${lb.name ?? lb.arn} (${lb.state})`))} is not active yet`, 'wait until it is active');
  } else {
    lbCheck = c.pass('load-balancers', `NLB ${listText(found.map((lb) => lb.name ?? lb.arn))} ${found.length === 1 ? 'is' : 'are'} active`);
  }
  if (found.length === 0) {
    for (const id of ['listener', 'targets', 'nlb-security-group', 'cross-zone']) c.blocked(id, lbCheck);
    return;
  }

  // A listener on the port, and the target groups it forwards to.
  let listenerCheck: Check | undefined;
  const groups: Array<{ lb: LoadBalancer; group: TargetGroup }> = [];
  if (!port) {
    listenerCheck = c.skip('listener', 'the port is unknown: pass --port');
  } else {
    const wrong: string[] = [];
    const unreadable: string[] = [];
    for (const lb of found) {
      if (!isRead(lb.listeners)) {
        unreadable.push((lb.listeners as { unavailable: string }).unavailable);
        continue;
      }
      const listener = lb.listeners.value.find((l) => l.port === port.port);
      if (!listener) {
        const ports = lb.listeners.value.map((l) => `${l.protocol ?? 'TCP'} ${l.port}`);
        wrong.push(`${lb.name ?? lb.arn} listens on ${ports.length ? listText(ports) : 'no port at all'}`);
        continue;
      }
      const tgs = isRead(lb.targetGroups) ? lb.targetGroups.value : [];
      for (const arn of listener.targetGroupArns) {
        const group = tgs.find((g) => g.arn === arn);
        if (group) groups.push({ lb, group });
      }
    }
    if (wrong.length > 0) {
      listenerCheck = c.fail(
        'listener',
        `${listText(wrong)}, not on ${port.port} (the port consumers connect to, ${port.source})`,
        `add a TCP listener on ${port.port} that forwards to the target group (the provider's port setting), or have the consumers connect to the listener's port (SERVICE_PORT / --port)`,
      );
    } else if (unreadable.length > 0) {
      listenerCheck = c.unreadable('listener', unreadable[0]);
    } else {
      listenerCheck = c.pass('listener', `${listText(found.map((lb) => lb.name ?? lb.arn))} listens on TCP ${port.port}`);
    }
  }

  // Target health behind the listener on the port.
  let targetsCheck: Check | undefined;
  let healthyZones: Set<string> | undefined = new Set();
  if (listenerCheck.status !== 'pass') {
    targetsCheck = c.blocked('targets', listenerCheck);
    healthyZones = undefined;
  } else if (groups.length === 0) {
    targetsCheck = c.fail('targets', `the listener on ${port!.port} forwards to no target group`, 'give the listener a default action that forwards to the target group');
  } else {
    const problems: string[] = [];
    const soft: string[] = [];
    const good: string[] = [];
    let unreadable: string | undefined;
    for (const { group } of groups) {
      if (!isRead(group.health)) {
        unreadable = (group.health as { unavailable: string }).unavailable;
        healthyZones = undefined;
        continue;
      }
      const targets = group.health.value;
      const healthy = targets.filter((t) => t.state === 'healthy');
      for (const t of healthy) {
        if (t.zoneNames && healthyZones) for (const z of t.zoneNames) healthyZones.add(z);
        else healthyZones = undefined;
      }
      const name = group.name ?? group.arn;
      if (targets.length === 0) problems.push(`target group ${name} has no registered target`);
      else if (healthy.length === 0 && targets.some((t) => t.state === 'initial')) soft.push(`${name}: ${listText(targets.map(healthText))} (first health checks still running)`);
      else if (healthy.length === 0) problems.push(`no healthy target in ${name}: ${listText(targets.map(healthText))}`);
      else if (healthy.length < targets.length) soft.push(`${name}: ${healthy.length} of ${targets.length} healthy; ${listText(targets.filter((t) => t.state !== 'healthy').map(healthText))}`);
      else good.push(`${name}: ${listText(healthy.map((t) => targetName(t.id)), 3)} healthy`);
    }
    if (problems.length > 0) {
      const albTargets = groups.some(({ group }) => group.targetType === 'alb');
      targetsCheck = c.fail(
        'targets',
        problems.join('; '),
        albTargets
          ? 'make the ALB answer the health check: its listener must be on the target group port and answer the health check path with 200-399 (see provider.alb-listener and provider.alb-security-group)'
          : 'make the targets answer the health check (port and path of the target group), and let their security group admit the NLB',
      );
    } else if (unreadable) {
      targetsCheck = c.unreadable('targets', unreadable);
    } else if (soft.length > 0) {
      targetsCheck = c.warn('targets', soft.join('; '), 'wait for the health checks, or fix the unhealthy targets named');
    } else {
      targetsCheck = c.pass('targets', good.join('; '));
    }
  }

  // ALB targets: the ALB listens on the target group's port and admits the NLB.
  const albGroups = groups.filter(({ group }) => group.targetType === 'alb');
  if (albGroups.length > 0) {
    for (const { lb, group } of albGroups) diagnoseAlbTargets(c, lb, group);
  }

  // The NLB's security groups and PrivateLink traffic.
  for (const lb of found) {
    const name = lb.name ?? lb.arn;
    if (lb.securityGroupIds.length === 0) {
      c.pass('nlb-security-group', `${name} has no security group: PrivateLink traffic reaches its listeners unfiltered (allowed principals and acceptance decide who connects)`);
    } else if (lb.enforcePrivateLinkInbound === 'off') {
      c.pass('nlb-security-group', `${name} does not apply its inbound rules to PrivateLink traffic (off): allowed principals and acceptance decide who connects`);
    } else {
      const sgs = valueOr(lb.securityGroups, (r) => c.unreadable('nlb-security-group', r));
      if (!sgs) continue;
      const setting = lb.enforcePrivateLinkInbound === 'on' ? 'on' : 'on (the default; the API did not say)';
      const admitting = port ? admittingRules(sgs, port.port) : sgs.flatMap((g) => g.ingress.map((rule) => ({ group: g.id, rule })));
      const fix = `turn it off: aws elbv2 set-security-groups --load-balancer-arn ${lb.arn} --security-groups ${lb.securityGroupIds.join(' ')} --enforce-security-group-inbound-rules-on-private-link-traffic off (as cdk-privatelink does), or admit every consumer's client CIDR on TCP ${port?.port ?? '<port>'}`;
      if (admitting.length === 0) {
        c.fail('nlb-security-group', `${name} applies the inbound rules of ${listText(lb.securityGroupIds)} to PrivateLink traffic (${setting}) and none admits TCP ${port?.port ?? 'any port'}: consumers' connections are dropped`, fix);
      } else {
        c.warn('nlb-security-group', `${name} applies the inbound rules of ${listText(lb.securityGroupIds)} to PrivateLink traffic (${setting}): the source is each consumer's client IP, so every consumer's CIDR must be admitted (now: ${listText([...new Set(admitting.flatMap((a) => a.rule.sources))], 3)})`, fix);
      }
    }
  }

  // Cross-zone load balancing against the AZs that have healthy targets.
  for (const lb of found) {
    const name = lb.name ?? lb.arn;
    const crossZone = valueOr(lb.crossZone, (r) => c.unreadable('cross-zone', r));
    if (crossZone === undefined) continue;
    if (crossZone) {
      c.pass('cross-zone', `${name} has cross-zone load balancing on: each AZ reaches every healthy target`);
    } else if (targetsCheck && targetsCheck.status !== 'pass' && targetsCheck.status !== 'warn') {
      c.blocked('cross-zone', targetsCheck);
    } else if (!healthyZones) {
      c.warn('cross-zone', `${name} has cross-zone load balancing off: each of its AZs needs a healthy target of its own (the targets' AZs are not known here)`, `turn it on: aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true`);
    } else {
      const empty = lb.zones.map((z) => z.name).filter((z): z is string => !!z && !healthyZones!.has(z));
      if (empty.length > 0) {
        c.warn(
          'cross-zone',
          `${name} has cross-zone load balancing off and no healthy target in ${listText(empty)}: connections through the endpoint in ${empty.length === 1 ? 'that AZ' : 'those AZs'} fail`,
          `turn it on: aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${lb.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true; or add targets in ${listText(empty)}`,
        );
      } else {
        c.pass('cross-zone', `${name} has cross-zone load balancing off, and every AZ has a healthy target`);
      }
    }
  }
}

function diagnoseAlbTargets(c: Checks, nlb: LoadBalancer, group: TargetGroup): void {
  const albs = valueOr(nlb.albTargets, (r) => {
    c.unreadable('alb-listener', r);
    c.unreadable('alb-security-group', r);
  });
  if (!albs) return;
  const registered = isRead(group.health) ? group.health.value.map((t) => t.id) : albs.map((a) => a.arn);
  for (const alb of albs.filter((a) => registered.includes(a.arn))) {
    const albName = alb.arn.split('/').slice(-2, -1)[0] ?? alb.arn;
    if (!alb.exists) {
      const missing = c.fail('alb-listener', `the ALB ${alb.arn}, target of ${group.name ?? group.arn}, does not exist`, 'register an existing ALB, or deploy the provider stack again');
      c.blocked('alb-security-group', missing);
      continue;
    }
    const listeners = valueOr(alb.listeners, (r) => c.unreadable('alb-listener', r));
    if (listeners) {
      if (group.port !== undefined && !listeners.some((l) => l.port === group.port)) {
        c.fail(
          'alb-listener',
          `ALB ${albName} listens on ${listeners.length ? listText(listeners.map((l) => String(l.port))) : 'no port'}, not on ${group.port}, the port of target group ${group.name ?? group.arn}`,
          `an alb target group forwards to the ALB listener on its own port: add an ALB listener on ${group.port}, or recreate the target group on the listener's port`,
        );
      } else {
        c.pass('alb-listener', `ALB ${albName} listens on ${group.port ?? '?'}, the target group's port`);
      }
    }
    const sgs = valueOr(alb.securityGroups, (r) => c.unreadable('alb-security-group', r));
    if (sgs && group.port !== undefined) {
      const admitting = admittingRules(sgs, group.port);
      const admitsNlb = admitting.some(({ rule }) =>
        rule.sources.some((s) => nlb.securityGroupIds.includes(s) || (s.includes('/') && nlb.subnetCidrs.length > 0 && nlb.subnetCidrs.every((cidr) => cidrContains(s, cidr)))),
      );
      if (!admitsNlb) {
        c.fail(
          'alb-security-group',
          `the security groups of ALB ${albName} (${listText(sgs.map((g) => g.id))}) do not admit TCP ${group.port} from the NLB ${nlb.name ?? nlb.arn}${nlb.securityGroupIds.length ? ` (${listText(nlb.securityGroupIds)})` : ''}`,
          `admit it: aws ec2 authorize-security-group-ingress --group-id ${sgs[0]?.id ?? '<alb sg>'} --protocol tcp --port ${group.port} ${nlb.securityGroupIds.length ? `--source-group ${nlb.securityGroupIds[0]}` : `--cidr <the NLB subnets' CIDR>`}`,
        );
      } else {
        c.pass('alb-security-group', `ALB ${albName} admits TCP ${group.port} from the NLB`);
      }
    }
  }
}
