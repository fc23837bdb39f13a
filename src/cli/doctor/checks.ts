/** Building checks: the four statuses, and the two reasons a check is skipped. */
import type { Check, Read, Side, Status } from './state';

export class Checks {
  public readonly list: Check[] = [];

  constructor(private readonly side: Side) {}

  public add(id: string, status: Status, message: string, fix?: string): Check {
    const check: Check = { id: `${this.side}.${id}`, side: this.side, status, message, ...(fix ? { fix } : {}) };
    this.list.push(check);
    return check;
  }

  public pass(id: string, message: string): Check {
    return this.add(id, 'pass', message);
  }

  public fail(id: string, message: string, fix: string): Check {
    return this.add(id, 'fail', message, fix);
  }

  public warn(id: string, message: string, fix?: string): Check {
    return this.add(id, 'warn', message, fix);
  }

  /** Not checked, for a reason that is not a problem (nothing to check). */
  public skip(id: string, message: string): Check {
    return this.add(id, 'skip', message);
  }

  /** Not checked because an earlier check failed or could not run: its id is named, not its failure repeated. */
  public blocked(id: string, by: Check | string): Check {
    const reason = typeof by === 'string' ? by : `blocked by ${by.id} (${by.status})`;
    return this.add(id, 'skip', reason);
  }

  /** Not checked because a read was refused or is not implemented by the endpoint. */
  public unreadable(id: string, reason: string): Check {
    const denied = /not allowed for these credentials/.test(reason);
    return this.add(
      id,
      'skip',
      `could not be checked: ${reason}`,
      denied ? 'give these credentials the read permission named, or run "privatelink doctor" with the credentials of the account that owns the resource' : undefined,
    );
  }
}

/** The value of a read, or undefined after recording a skip for it. */
export function valueOr<T>(r: Read<T> | undefined, onUnavailable: (reason: string) => void): T | undefined {
  if (r === undefined) return undefined;
  if ('unavailable' in r) {
    onUnavailable(r.unavailable);
    return undefined;
  }
  return r.value;
}

export function isRead<T>(r: Read<T> | undefined): r is { value: T } {
  return r !== undefined && 'value' in r;
}

/** `a, b and c` */
export function listText(items: string[], max = 5): string {
  const shown = items.slice(0, max);
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  if (shown.length <= 1) return `${shown.join('')}${more}`;
  return more ? `${shown.join(', ')}${more}` : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The account of a principal ARN (`arn:aws:iam::123456789012:root` → 123456789012). */
export function accountOfPrincipal(principal: string): string | undefined {
  return /^arn:[a-z-]+:iam::(\d{12}):/.exec(principal)?.[1] ?? (/^\d{12}$/.test(principal) ? principal : undefined);
}
