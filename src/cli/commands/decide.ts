/** `privatelink accept` and `privatelink reject`: by endpoint ID, or every eligible endpoint of accounts. */
import {
  acceptConnections,
  type ConnectionResult,
  listConnections,
  REJECTABLE_STATES,
  rejectConnections,
} from '../../connections/connections';
import type { Invocation } from '../args';
import { ec2Client, resolveServiceId } from '../aws';
import { CliError, type Io, json, table } from '../output';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const accept = inv.command === 'accept';
  const verb = accept ? 'accept' : 'reject';
  const serviceId = await resolveServiceId(inv);
  const ec2 = await ec2Client(inv);

  let endpointIds = inv.endpointIds;
  const owners = new Map<string, string>();
  if (inv.accounts.length > 0) {
    const eligible = accept ? ['pendingAcceptance'] : REJECTABLE_STATES;
    const matching = (await listConnections(ec2, serviceId)).filter(
      (c) => inv.accounts.includes(c.owner) && eligible.includes(c.state),
    );
    if (matching.length === 0) {
      throw new CliError(
        `no ${accept ? 'pendingAcceptance' : 'pending or available'} connection from account ${inv.accounts.join(', ')} on ${serviceId}, nothing to ${verb} (see "privatelink status")`,
      );
    }
    for (const c of matching) owners.set(c.endpointId, c.owner);
    endpointIds = matching.map((c) => c.endpointId);
  }

  const deadline = Date.now() + 60_000;
  const results: ConnectionResult[] = accept
    ? await acceptConnections(ec2, serviceId, endpointIds, { deadline })
    : await rejectConnections(ec2, serviceId, endpointIds, { deadline });

  if (inv.json) {
    io.out(json({ serviceId, action: verb, results: results.map((r) => ({ ...r, owner: owners.get(r.endpointId) })) }));
  } else {
    const rows = results.map((r) => [r.endpointId, owners.get(r.endpointId) ?? '-', r.ok ? `${verb}ed` : 'FAILED', r.error ?? '']);
    io.out(table(['ENDPOINT', 'OWNER', 'RESULT', 'DETAIL'], rows));
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new CliError(`could not ${verb} ${failed.length} of ${results.length} endpoint(s): ${failed.map((f) => `${f.endpointId} (${f.error})`).join(', ')}`);
  }
  return 0;
}
