import { describe, expect, it } from 'vitest';
import { assignableRoles, canChangeMember, canRenameMember, roleChoices } from './roles.ts';

describe('staff roles in the back-office', () => {
  it('offers owner only to an owner, and nothing to roles that cannot manage staff', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'manager', 'warehouse', 'support']);
    expect(assignableRoles('admin')).toEqual(['admin', 'manager', 'warehouse', 'support']);
    expect(assignableRoles('manager')).toEqual([]);
    expect(assignableRoles(undefined)).toEqual([]);
  });

  it('lets nobody change themselves and only an owner change an owner', () => {
    const owner = { id: 'o', role: 'owner' as const };
    const admin = { id: 'a', role: 'admin' as const };
    expect(canChangeMember(owner, owner)).toBe(false);
    expect(canChangeMember(owner, { id: 'o2', role: 'owner' })).toBe(true);
    expect(canChangeMember(admin, { id: 'o2', role: 'owner' })).toBe(false);
    expect(canChangeMember(admin, { id: 'w', role: 'warehouse' })).toBe(true);
    expect(canChangeMember({ id: 'm', role: 'manager' }, { id: 'w', role: 'warehouse' })).toBe(false);
    expect(canChangeMember(undefined, { id: 'w', role: 'warehouse' })).toBe(false);
  });

  it("lets only an owner rename an owner (the server answers 403 otherwise); anyone else's names are editable", () => {
    const owner = { id: 'o', role: 'owner' as const };
    const admin = { id: 'a', role: 'admin' as const };
    expect(canRenameMember(admin, { id: 'o2', role: 'owner' })).toBe(false);
    expect(canRenameMember(owner, { id: 'o2', role: 'owner' })).toBe(true);
    expect(canRenameMember(owner, owner)).toBe(true);
    expect(canRenameMember(admin, admin)).toBe(true);
    expect(canRenameMember(admin, { id: 'w', role: 'warehouse' })).toBe(true);
  });

  it('labels choices with the translated role names', () => {
    expect(roleChoices(['support'])).toEqual([{ id: 'support', name: 'mcart.role.support' }]);
  });
});
