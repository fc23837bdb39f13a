/** `privatelink teardown`: rejects every connection and waits until none is active. */
import { rejectAllAndWait } from '../../connections/connections';
import type { Invocation } from '../args';
import { ec2Client, resolveServiceId } from '../aws';
import { CliError, type Io, json, table } from '../output';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const serviceId = await resolveServiceId(inv);
  const ec2 = await ec2Client(inv);
  io.err(`Rejecting every connection of ${serviceId}, then waiting up to ${inv.timeoutSeconds} s until none is active...`);
  const result = await rejectAllAndWait(ec2, serviceId, {
    deadline: Date.now() + inv.timeoutSeconds * 1000,
    pollMs: 1000,
    maxPollMs: 5000,
    onProgress: (p) => {
      const shown = p.active.slice(0, 3).map((c) => `${c.endpointId} ${c.state}`).join(', ');
      const more = p.active.length > 3 ? `, +${p.active.length - 3} more` : '';
      io.err(`  ${Math.round(p.elapsedMs / 1000)} s: ${p.active.length} still active${p.active.length ? ` (${shown}${more})` : ''}`);
    },
  });
  const done = result.rejected.filter((r) => r.ok);
  if (inv.json) {
    io.out(json({ serviceId, done: result.done, rejected: result.rejected, remaining: result.remaining, elapsedMs: result.elapsedMs }));
  } else {
    if (result.rejected.length > 0) {
      io.out(table(['ENDPOINT', 'RESULT', 'DETAIL'], result.rejected.map((r) => [r.endpointId, r.ok ? 'rejected' : 'FAILED', r.error ?? ''])));
    }
    if (result.done) {
      io.out(
        `No active connection left on ${serviceId} (${done.length} rejected). ` +
          `The provider stack can now be deleted: npx cdk destroy ${inv.serviceId ? '<provider stack>' : inv.stack}`,
      );
    }
  }
  if (!result.done) {
    const ids = result.remaining.map((c) => `${c.endpointId} (${c.state})`).join(', ');
    throw new CliError(
      `${result.remaining.length} connection(s) still active after ${inv.timeoutSeconds} s: ${ids}. Run teardown again, or ask the consumers to delete their endpoints`,
    );
  }
  return 0;
}
