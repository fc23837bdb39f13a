/**
 * Pure validation of AWS Organizations input (OU and root IDs), like src/validate.ts: the input's name
 * and value in, a problem message naming them and the fix out. A file of its own so that the Lambda
 * bundles that import validate.ts do not change with it.
 */
import { Problem } from './errors';

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

const ORGANIZATIONAL_UNIT_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/** An organizational unit ID (`ou-ab12-cdefgh34`) or the organization's root ID (`r-ab12`). */
export function checkOrganizationalUnitId(input: string, value: string): Problem {
  if (ORGANIZATIONAL_UNIT_ID.test(value) || ROOT_ID.test(value)) return undefined;
  const hint = /^o-[0-9a-z]{10,32}$/.test(value)
    ? ' That is the organization ID; the whole organization is its root ID (r-…, `aws organizations list-roots`).'
    : /^\d{12}$/.test(value)
      ? ' That is an account ID: name the OU it is in, and narrow to the account with accounts.'
      : '';
  return `${input}: ${show(value)} is not an organizational unit ID or root ID.${hint} Use an OU ID such as "ou-ab12-cdefgh34" or the root ID such as "r-ab12" (AWS Organizations console, or \`aws organizations list-roots\`).`;
}
