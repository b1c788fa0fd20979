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

/** Route params and details as one short line (`id=…, from=support, to=manager`). */
export function summarize(...records: (Record<string, unknown> | null)[]): string {
  return records
    .flatMap((record) => Object.entries(record ?? {}))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
