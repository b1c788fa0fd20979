import { describe, expect, it } from 'vitest';
import { hasPermission } from './permissions.ts';

describe('hasPermission', () => {
  it('maps react-admin read actions to the read grant', () => {
    expect(hasPermission(['orders:read'], 'orders', 'list')).toBe(true);
    expect(hasPermission(['orders:read'], 'orders', 'show')).toBe(true);
    expect(hasPermission(['orders:read'], 'orders', 'edit')).toBe(false);
  });

  it('lets write imply read', () => {
    expect(hasPermission(['products:write'], 'products', 'list')).toBe(true);
    expect(hasPermission(['products:write'], 'products', 'delete')).toBe(true);
  });

  it('honours wildcards and exact custom actions, and nothing else', () => {
    expect(hasPermission(['*'], 'backups', 'create')).toBe(true);
    expect(hasPermission(['orders:*'], 'orders', 'refund')).toBe(true);
    expect(hasPermission(['orders:refund'], 'orders', 'refund')).toBe(true);
    expect(hasPermission(['orders:write'], 'orders', 'refund')).toBe(false);
    expect(hasPermission(['orders:read'], 'products', 'list')).toBe(false);
    expect(hasPermission([], 'orders', 'list')).toBe(false);
  });
});
