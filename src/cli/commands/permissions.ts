/** `privatelink allow` and `privatelink revoke`: the service's allowed principals. */
import { DescribeVpcEndpointServicePermissionsCommand, ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Invocation } from '../args';
import { ec2Client, partitionOf, regionOf, resolveServiceId } from '../aws';
import { type Io, json, table } from '../output';

async function allowed(ec2: EC2Client, serviceId: string): Promise<Array<{ principal: string; type?: string }>> {
  const found: Array<{ principal: string; type?: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, NextToken: nextToken }));
    for (const p of page.AllowedPrincipals ?? []) found.push({ principal: p.Principal ?? '(unknown)', type: p.PrincipalType });
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return found;
}

export async function run(inv: Invocation, io: Io): Promise<number> {
  const allow = inv.command === 'allow';
  const serviceId = await resolveServiceId(inv);
  const ec2 = await ec2Client(inv);
  const partition = partitionOf(await regionOf(ec2));
  const arns = [...new Set(inv.principals.map((p) => p.arn ?? `arn:${partition}:iam::${p.accountId}:root`))];

  const before = new Set((await allowed(ec2, serviceId)).map((p) => p.principal));
  const unchanged = arns.filter((a) => before.has(a) === allow);
  const toChange = arns.filter((a) => before.has(a) !== allow);
  for (const a of unchanged) io.err(`${a} is ${allow ? 'already' : 'not'} allowed: unchanged`);
  if (toChange.length > 0) {
    await ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: serviceId,
        ...(allow ? { AddAllowedPrincipals: toChange } : { RemoveAllowedPrincipals: toChange }),
      }),
    );
  }
  const after = await allowed(ec2, serviceId);
  if (inv.json) {
    io.out(json({ serviceId, action: inv.command, changed: toChange, unchanged, principals: after }));
  } else {
    io.out(
      after.length === 0
        ? `Allowed principals of ${serviceId}: none`
        : `Allowed principals of ${serviceId}: ${after.length}\n${table(['PRINCIPAL', 'TYPE'], after.map((p) => [p.principal, p.type ?? '-']))}`,
    );
    if (toChange.length > 0 && inv.serviceId === undefined) {
      io.err(
        `note: stack ${inv.stack} manages this list too: ${allow ? 'add' : 'remove'} ${toChange.length === 1 ? 'it' : 'them'} in allowedPrincipals (or CONSUMER_ACCOUNT_ID) as well, or the next deploy undoes this.`,
      );
    }
  }
  return 0;
}
