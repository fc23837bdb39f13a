/** `privatelink accept-share`: accepts the RAM invitation of a shared resource configuration (consumer). */
import type { Invocation } from '../args';
import { ramClient, regionOf } from '../aws';
import { CliError, type Io, json, table } from '../output';
import { acceptInvitation, isSharedWithThisAccount, listInvitations, pendingInvitationsFor } from '../resource-share';

/** What happened to one resource configuration. */
export interface ShareOutcome {
  readonly resourceConfigurationArn: string;
  /** accepted: an invitation was accepted now; already-shared: nothing to accept; not-found: no pending invitation. */
  readonly result: 'accepted' | 'already-shared' | 'not-found';
  readonly invitations: Array<{ invitationArn: string; shareName?: string; senderAccountId?: string; status: string }>;
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const ram = await ramClient(inv);
  const invitations = await listInvitations(ram);
  const outcomes: ShareOutcome[] = [];
  for (const arn of inv.resourceConfigurationArns) {
    if (await isSharedWithThisAccount(ram, arn)) {
      outcomes.push({ resourceConfigurationArn: arn, result: 'already-shared', invitations: [] });
      continue;
    }
    const pending = await pendingInvitationsFor(ram, arn, invitations);
    const accepted = [];
    for (const invitation of pending) {
      const status = await acceptInvitation(ram, invitation.invitationArn);
      accepted.push({ invitationArn: invitation.invitationArn, shareName: invitation.shareName, senderAccountId: invitation.senderAccountId, status });
    }
    outcomes.push({ resourceConfigurationArn: arn, result: accepted.length > 0 ? 'accepted' : 'not-found', invitations: accepted });
  }

  if (inv.json) {
    io.out(json(outcomes));
  } else {
    const rows = outcomes.flatMap((o) =>
      o.invitations.length > 0
        ? o.invitations.map((i) => [o.resourceConfigurationArn, i.shareName ?? '-', i.senderAccountId ?? '-', i.status])
        : [[o.resourceConfigurationArn, '-', '-', o.result === 'already-shared' ? 'already shared with this account' : 'no pending invitation']],
    );
    io.out(table(['RESOURCE CONFIGURATION', 'SHARE', 'FROM', 'STATUS'], rows));
    if (outcomes.some((o) => o.result === 'accepted')) {
      io.out('\nThe resource endpoint can now be created: deploy the consumer stack (npx cdk deploy PrivateLinkConsumer).');
    }
  }
  const missing = outcomes.filter((o) => o.result === 'not-found');
  if (missing.length > 0) {
    const region = await regionOf(ram);
    const owners = [...new Set(missing.map((o) => o.resourceConfigurationArn.split(':')[4]))].join(', ');
    throw new CliError(
      `no pending invitation in ${region} holds ${missing.map((o) => o.resourceConfigurationArn).join(', ')}: ask the provider ` +
        `(account ${owners}) to add this account to the share (shareWith / CONSUMER_ACCOUNT_ID), check --region (the share's region), ` +
        'or the invitation expired (the provider removes the account from the share and adds it again)',
    );
  }
  return 0;
}
