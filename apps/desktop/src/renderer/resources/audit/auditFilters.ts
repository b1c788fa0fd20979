export const AUDIT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A staff member's name for the log, or the raw id of a member that no longer shows in the list. */
export function staffLabel(
  staffId: string | null,
  staff: ReadonlyMap<string, { email: string; firstName: string; lastName: string }>,
): string {
  if (!staffId) return '';
  const member = staff.get(staffId);
  if (!member) return staffId;
  const name = `${member.firstName} ${member.lastName}`.trim();
  return name ? `${name} <${member.email}>` : member.email;
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A change's `{ field: { from, to } }` (the server's `changes`) as `field: from → to` parts. */
function changeParts(changes: unknown): string[] | null {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return null;
  return Object.entries(changes as Record<string, unknown>).map(([field, change]) => {
    const { from, to } = (change ?? {}) as { from?: unknown; to?: unknown };
    return `${field}: ${shown(from ?? null)} → ${shown(to ?? null)}`;
  });
}

/**
 * Route params and details as one short line (`id=…, from=support, to=manager`); the fields a write sent as
 * their names, and what it changed as `field: from → to`.
 */
export function summarize(...records: (Record<string, unknown> | null)[]): string {
  return records
    .flatMap((record) => Object.entries(record ?? {}))
    .flatMap(([key, value]) => {
      if (key === 'changes') return changeParts(value) ?? [`${key}=${shown(value)}`];
      if (key === 'fields' && Array.isArray(value)) return [`fields: ${value.join(' ')}`];
      return [`${key}=${shown(value)}`];
    })
    .join(', ');
}
