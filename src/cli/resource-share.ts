/**
 * AWS RAM for PrivateLink for resources, as the CLI needs it: the invitations of a consumer account and
 * the resources shared with it, and the principals of a provider's share. Every list is read to its end.
 */
import type { RAMClient } from '@aws-sdk/client-ram';
import { commonJs } from './aws';

/** The RAM commands, loaded with the client (only by the commands that use RAM). */
async function commands(): Promise<typeof import('@aws-sdk/client-ram')> {
  return commonJs(await import('@aws-sdk/client-ram'), 'RAMClient');
}

/** A resource share invitation received by this account. */
export interface Invitation {
  readonly invitationArn: string;
  readonly shareArn?: string;
  readonly shareName?: string;
  readonly senderAccountId?: string;
  readonly status: string;
}

/** Every invitation this account received (any status). */
export async function listInvitations(ram: RAMClient): Promise<Invitation[]> {
  const { GetResourceShareInvitationsCommand } = await commands();
  const found: Invitation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ram.send(new GetResourceShareInvitationsCommand({ nextToken }));
    for (const i of page.resourceShareInvitations ?? []) {
      if (!i.resourceShareInvitationArn) continue;
      found.push({
        invitationArn: i.resourceShareInvitationArn,
        shareArn: i.resourceShareArn,
        shareName: i.resourceShareName,
        senderAccountId: i.senderAccountId,
        status: i.status ?? 'UNKNOWN',
      });
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return found;
}

/** The ARNs of the resources in a pending invitation's share. */
async function resourcesOfInvitation(ram: RAMClient, invitationArn: string): Promise<string[]> {
  const { ListPendingInvitationResourcesCommand } = await commands();
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ram.send(new ListPendingInvitationResourcesCommand({ resourceShareInvitationArn: invitationArn, nextToken }));
    arns.push(...(page.resources ?? []).map((r) => r.arn ?? '').filter((a) => a !== ''));
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return arns;
}

/**
 * The pending invitations whose share holds the resource configuration. Only invitations from the
 * configuration's own account are opened (the ARN names it).
 */
export async function pendingInvitationsFor(ram: RAMClient, configurationArn: string, invitations: Invitation[]): Promise<Invitation[]> {
  const owner = configurationArn.split(':')[4];
  const pending = invitations.filter((i) => i.status === 'PENDING' && (i.senderAccountId === undefined || i.senderAccountId === owner));
  const matching: Invitation[] = [];
  for (const invitation of pending) {
    if ((await resourcesOfInvitation(ram, invitation.invitationArn)).includes(configurationArn)) matching.push(invitation);
  }
  return matching;
}

/** Whether the resource is shared with this account and usable (an accepted invitation, or within the organization). */
export async function isSharedWithThisAccount(ram: RAMClient, resourceArn: string): Promise<boolean> {
  const { ListResourcesCommand } = await commands();
  let nextToken: string | undefined;
  do {
    const page = await ram.send(new ListResourcesCommand({ resourceOwner: 'OTHER-ACCOUNTS', resourceArns: [resourceArn], nextToken }));
    if ((page.resources ?? []).some((r) => r.arn === resourceArn)) return true;
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return false;
}

/** Accepts an invitation; returns its status afterwards. */
export async function acceptInvitation(ram: RAMClient, invitationArn: string): Promise<string> {
  const { AcceptResourceShareInvitationCommand } = await commands();
  const out = await ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: invitationArn }));
  return out.resourceShareInvitation?.status ?? 'ACCEPTED';
}

/** A provider's share and each of its principals with the association status. */
export interface ShareStatus {
  readonly shareArn: string;
  readonly name?: string;
  readonly status?: string;
  readonly allowExternalPrincipals?: boolean;
  readonly principals: Array<{ principal: string; status: string; external?: boolean; message?: string }>;
}

export async function shareStatus(ram: RAMClient, shareArn: string): Promise<ShareStatus> {
  const { GetResourceSharesCommand, GetResourceShareAssociationsCommand } = await commands();
  const shares = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: [shareArn] }));
  const share = shares.resourceShares?.find((s) => s.resourceShareArn === shareArn);
  const principals: ShareStatus['principals'] = [];
  let nextToken: string | undefined;
  do {
    const page = await ram.send(
      new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', resourceShareArns: [shareArn], nextToken }),
    );
    for (const a of page.resourceShareAssociations ?? []) {
      principals.push({
        principal: a.associatedEntity ?? '(unknown)',
        status: a.status ?? 'UNKNOWN',
        external: a.external,
        message: a.statusMessage,
      });
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return {
    shareArn,
    name: share?.name,
    status: share?.status,
    allowExternalPrincipals: share?.allowExternalPrincipals,
    principals,
  };
}
