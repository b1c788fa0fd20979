import type { ChangeEvent, LiveResource } from '@mcart/api-client/events';
import { LIVE_RESOURCE_PERMISSION, LIVE_RESOURCES } from '@mcart/api-client/events';

/**
 * Which react-admin (TanStack Query) caches a live change makes stale. react-admin keys its queries
 * `[resource, 'getList' | 'getOne' | 'getMany' | 'getManyReference' | 'getInfiniteList', params]`.
 * A change refreshes every list-like query of the resources that show it, and the `getOne` of the
 * changed records; a record open in an edit form is not refetched under the user's feet (the form
 * shows a "changed elsewhere" banner instead, see StaleRecordBanner).
 */

/** Screens (react-admin resource names) that display each live resource's data. */
export const SCREENS_OF: Record<LiveResource, readonly string[]> = {
  // The variants lookup (stock screens' SKU column) carries the product's title.
  products: ['products', 'variants'],
  variants: ['variants', 'products'],
  categories: ['categories', 'products'],
  // Price and stock events carry variant ids: the screens keyed by them are refreshed whole.
  prices: ['prices', 'variants', 'products'],
  sales: ['sales', 'products'],
  inventory: [
    'inventory',
    'stock-levels',
    'stock-movements',
    'inventory-levels',
    'stock-locations',
    'variants',
  ],
  // Payment steps and issued invoices and credit notes are recorded as order changes.
  orders: ['orders', 'payments', 'invoices'],
  shipments: ['shipments', 'orders'],
  customers: ['customers'],
  staff: ['staff'],
  backups: ['backups'],
  'shipping-methods': ['shipping-methods'],
  // The Returns list and each order page's returns section (a `return-requests` list filtered by order).
  'return-requests': ['return-requests'],
  // Restock requests (counts of waiting alerts per variant).
  'stock-alerts': ['stock-alerts'],
};

/** Server-side aggregates that depend on a resource (query key `[name]`). */
export const AGGREGATES_OF: Partial<Record<LiveResource, readonly string[]>> = {
  orders: ['dashboard'],
  inventory: ['dashboard'],
  customers: ['dashboard'],
  products: ['dashboard'],
};

const LIST_QUERIES = new Set(['getList', 'getMany', 'getManyReference', 'getInfiniteList']);

const idOf = (params: unknown): string | null => {
  if (typeof params !== 'object' || params === null) return null;
  const id = (params as { id?: unknown }).id;
  return id === undefined || id === null ? null : String(id);
};

export interface InvalidationContext {
  /** `resource/id` of records open in an edit form. */
  editing: ReadonlySet<string>;
}

export const editingKey = (resource: string, id: string | number) => `${resource}/${String(id)}`;

export function shouldInvalidate(
  queryKey: readonly unknown[],
  change: Pick<ChangeEvent, 'resource' | 'ids' | 'type'>,
  context: InvalidationContext = { editing: new Set() },
): boolean {
  const [resource, method, params] = queryKey;
  if (typeof resource !== 'string') return false;
  const live = change.resource as LiveResource;
  if ((AGGREGATES_OF[live] ?? []).includes(resource)) return true;
  const screens = SCREENS_OF[live] ?? [change.resource];
  if (!screens.includes(resource)) return false;
  if (typeof method !== 'string' || LIST_QUERIES.has(method)) return true;
  if (method !== 'getOne') return false;
  const id = idOf(params);
  if (id === null) return false;
  if (context.editing.has(editingKey(resource, id))) return false;
  // The resource's own records by id; other screens (a product showing a variant's price) as a whole.
  if (resource === change.resource) return change.type !== 'deleted' && change.ids.includes(id);
  return true;
}

/** The live resources a staff member may subscribe to, from the permissions `/auth/me` returned. */
export function readableLiveResources(permissions: readonly string[]): LiveResource[] {
  return LIVE_RESOURCES.filter((resource) => permissions.includes(LIVE_RESOURCE_PERMISSION[resource]));
}
