import { describe, expect, it } from 'vitest';
import { editingKey, readableLiveResources, shouldInvalidate } from './invalidation.ts';

const change = { resource: 'products', ids: ['p1'], type: 'updated' as const };

describe('live cache invalidation', () => {
  it('refreshes the lists of the resource and the changed record only', () => {
    expect(shouldInvalidate(['products', 'getList', { pagination: { page: 1 } }], change)).toBe(true);
    expect(shouldInvalidate(['products', 'getMany', { ids: ['p9'] }], change)).toBe(true);
    expect(shouldInvalidate(['products', 'getOne', { id: 'p1' }], change)).toBe(true);
    expect(shouldInvalidate(['products', 'getOne', { id: 'p2' }], change)).toBe(false);
    expect(shouldInvalidate(['orders', 'getList', {}], change)).toBe(false);
  });

  it('does not refetch a record open in an edit form, nor a deleted one', () => {
    const editing = new Set([editingKey('products', 'p1')]);
    expect(shouldInvalidate(['products', 'getOne', { id: 'p1' }], change, { editing })).toBe(false);
    expect(shouldInvalidate(['products', 'getList', {}], change, { editing })).toBe(true);
    expect(shouldInvalidate(['products', 'getOne', { id: 'p1' }], { ...change, type: 'deleted' })).toBe(
      false,
    );
  });

  it('refreshes the screens that show a price or a stock level, and the dashboard', () => {
    const price = { resource: 'prices', ids: ['v1'], type: 'updated' as const };
    expect(shouldInvalidate(['products', 'getOne', { id: 'p1' }], price)).toBe(true);
    expect(shouldInvalidate(['variants', 'getList', {}], price)).toBe(true);
    const stock = { resource: 'inventory', ids: ['v1'], type: 'updated' as const };
    expect(shouldInvalidate(['inventory', 'getList', {}], stock)).toBe(true);
    expect(shouldInvalidate(['dashboard'], stock)).toBe(true);
    expect(shouldInvalidate(['dashboard'], { resource: 'orders', ids: ['o1'], type: 'created' })).toBe(true);
    expect(shouldInvalidate(['dashboard'], { resource: 'staff', ids: ['s1'], type: 'updated' })).toBe(false);
    // A customer's return request: the Returns list and every order page's returns section (a filtered list).
    const requested = { resource: 'return-requests', ids: ['r1'], type: 'created' as const };
    expect(shouldInvalidate(['return-requests', 'getList', { filter: { orderId: 'o1' } }], requested)).toBe(
      true,
    );
    expect(shouldInvalidate(['return-requests', 'getOne', { id: 'r2' }], requested)).toBe(false);
  });

  it('subscribes only to what the role may read', () => {
    expect(
      readableLiveResources(['dashboard:read', 'catalog:read', 'inventory:read', 'orders:read']),
    ).toEqual([
      'products',
      'variants',
      'categories',
      'prices',
      'sales',
      'inventory',
      'orders',
      'return-requests',
      'stock-alerts',
    ]);
  });
});
