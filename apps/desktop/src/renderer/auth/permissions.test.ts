import { describe, expect, it } from 'vitest';
import { hasPermission, requiredPermission } from './permissions.ts';

// The warehouse role as the server defines it (apps/server/src/modules/identity/permissions.ts).
const warehouse = [
  'dashboard:read',
  'catalog:read',
  'inventory:read',
  'inventory:write',
  'orders:read',
  'returns:receive',
  'shipping:read',
  'shipping:write',
];

describe('permissions', () => {
  it('maps react-admin actions onto the server’s read/write permissions', () => {
    expect(requiredPermission('catalog', 'list')).toBe('catalog:read');
    expect(requiredPermission('catalog', 'show')).toBe('catalog:read');
    expect(requiredPermission('catalog', 'export')).toBe('catalog:read');
    expect(requiredPermission('catalog', 'create')).toBe('catalog:write');
    expect(requiredPermission('catalog', 'edit')).toBe('catalog:write');
    expect(requiredPermission('catalog', 'delete')).toBe('catalog:write');
    expect(requiredPermission('orders', 'refund')).toBe('orders:refund');
  });

  it('asks for staff:manage (not staff:write) to create or edit staff, and audit:read to list the log', () => {
    expect(requiredPermission('staff', 'list')).toBe('staff:read');
    expect(requiredPermission('staff', 'create')).toBe('staff:manage');
    expect(requiredPermission('staff', 'edit')).toBe('staff:manage');
    expect(requiredPermission('audit', 'list')).toBe('audit:read');
    expect(hasPermission(warehouse, 'staff', 'list')).toBe(false);
    expect(hasPermission(['staff:read', 'staff:manage'], 'staff', 'edit')).toBe(true);
  });

  it('asks for backups:manage, the owner’s alone, even to list backups', () => {
    expect(requiredPermission('backups', 'list')).toBe('backups:manage');
    expect(hasPermission(['backups:manage'], 'backups', 'list')).toBe(true);
    expect(hasPermission(['staff:read', 'audit:read', 'settings:manage'], 'backups', 'list')).toBe(false);
  });

  it('lets a warehouse clerk see products and adjust stock, but not edit products or refund', () => {
    expect(hasPermission(warehouse, 'catalog', 'list')).toBe(true);
    expect(hasPermission(warehouse, 'catalog', 'edit')).toBe(false);
    expect(hasPermission(warehouse, 'inventory', 'create')).toBe(true);
    expect(hasPermission(warehouse, 'orders', 'refund')).toBe(false);
    expect(hasPermission([], 'orders', 'list')).toBe(false);
  });

  it('splits read and write scopes: sales are read with catalog:read and changed with pricing:write', () => {
    expect(requiredPermission('catalog/pricing', 'list')).toBe('catalog:read');
    expect(requiredPermission('catalog/pricing', 'edit')).toBe('pricing:write');
    expect(hasPermission(warehouse, 'catalog/pricing', 'list')).toBe(true);
    expect(hasPermission(warehouse, 'catalog/pricing', 'create')).toBe(false);
    expect(hasPermission(['catalog:read', 'pricing:write'], 'catalog/pricing', 'create')).toBe(true);
  });

  it('opens the receive/adjust and transfer screens to warehouse staff only (support reads stock)', () => {
    const support = ['dashboard:read', 'catalog:read', 'inventory:read', 'orders:read', 'customers:read'];
    expect(requiredPermission('inventory:write', 'list')).toBe('inventory:write');
    expect(hasPermission(warehouse, 'inventory:write', 'list')).toBe(true);
    expect(hasPermission(support, 'inventory:write', 'list')).toBe(false);
    expect(hasPermission(support, 'inventory', 'list')).toBe(true);
    expect(hasPermission(support, 'inventory', 'edit')).toBe(false);
  });
});
