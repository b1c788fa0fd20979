import type { StaffRole } from '../../auth/authProvider.ts';

/** The five roles, most powerful first (apps/server/src/modules/identity/permissions.ts). */
export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'admin', 'manager', 'warehouse', 'support'];

/**
 * Roles the signed-in member may give: only an owner makes an owner. The server enforces the same
 * rule (403 MCART_ERR_OWNER_ONLY); the form only avoids offering a choice that would be refused.
 */
export function assignableRoles(actorRole: StaffRole | undefined): StaffRole[] {
  if (actorRole === 'owner') return [...STAFF_ROLES];
  if (actorRole === 'admin') return STAFF_ROLES.filter((role) => role !== 'owner');
  return [];
}

/**
 * Whether the actor may change this member's role or disable them: nobody changes themselves, and
 * only an owner changes an owner (the server also keeps the last active owner).
 */
export function canChangeMember(
  actor: { id: string; role: StaffRole } | undefined,
  member: { id: string; role: StaffRole },
): boolean {
  if (!actor || actor.id === member.id) return false;
  if (member.role === 'owner') return actor.role === 'owner';
  return actor.role === 'owner' || actor.role === 'admin';
}

/** Whether the actor may change this member's names: anyone's but an owner's, which only an owner changes. */
export function canRenameMember(
  actor: { id: string; role: StaffRole } | undefined,
  member: { id: string; role: StaffRole },
): boolean {
  return member.role !== 'owner' || actor?.role === 'owner';
}

export const roleChoices = (roles: readonly StaffRole[]) =>
  roles.map((role) => ({ id: role, name: `mcart.role.${role}` }));
