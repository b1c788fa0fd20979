import type { ComponentType, ReactElement } from 'react';
import type { ResourceProps } from 'react-admin';
import categories from './categories/index.ts';
import discountCodes from './discount-codes/index.ts';
import orders from './orders/index.ts';
import invoices from './invoices/index.ts';
import payments from './payments/index.ts';
import reports from './reports/index.ts';
import returnRequests from './return-requests/index.ts';
import products from './products/index.ts';
import sales from './sales/index.ts';
import { stockLevels, stockMovements } from './stock-levels/index.ts';
import { stockEntry, stockLocations, stockTransfers } from './stock/index.ts';
import stockAlerts from './stock-alerts/index.ts';
import mailbox from './mailbox/index.ts';
import shipments from './shipments/index.ts';
import shippingMethods from './shipping-methods/index.ts';
import toPack from './to-pack/index.ts';
import customers from './customers/index.ts';
import staff from './staff/index.ts';
import audit from './audit/index.ts';
import backups from './backups/index.ts';
import outgoingMail from './outgoing-mail/index.ts';

/** The sections of the navigation menu, in display order. */
export const MENU_GROUPS = ['sales', 'catalog', 'stock', 'warehouse', 'customers', 'settings'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

/**
 * What each `resources/<name>/index.ts` exports (react-admin's demo convention), spread into
 * `<Resource name={...} {...module} />`.
 */
export interface ResourceModule {
  list?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  show?: ComponentType;
  icon?: ComponentType;
  recordRepresentation?: ResourceProps['recordRepresentation'];
}

export interface RegisteredResource extends ResourceModule {
  /** The API resource name: `/api/admin/<name>`, and the react-admin route. */
  name: string;
  group: MenuGroup;
  /**
   * Permission scope on the server (`catalog` for products and categories, `inventory` for stock,
   * ...): canAccess checks `<scope>:read` / `<scope>:write`; a full permission (`inventory:write`) is
   * required for every action. See auth/permissions.ts.
   */
  scope: string;
  /** Extra routes below the resource (e.g. `/orders/:id/shipments`). */
  children?: ReactElement;
}

/**
 * Every back-office screen, registered here once its module exists (`import x from './x/index.ts'`,
 * then `{ name, group, scope, ...x }`). The menu and the <Admin> routes are both built from this list.
 */
export const resources: readonly RegisteredResource[] = [
  { name: 'orders', group: 'sales', scope: 'orders', ...orders },
  // Customers' return requests: read with orders:read, approved, rejected and received with orders:write.
  { name: 'return-requests', group: 'sales', scope: 'orders', ...returnRequests },
  // Read-only (orders:read); payment steps arrive as order changes.
  { name: 'payments', group: 'sales', scope: 'orders', ...payments },
  // Read-only (invoices:read): issued by the server when orders are paid and refunded.
  { name: 'invoices', group: 'sales', scope: 'invoices', ...invoices },
  // A screen, not a server resource (reports:read): sales per day, week or month and the variants sold.
  { name: 'reports', group: 'sales', scope: 'reports', ...reports },
  { name: 'products', group: 'catalog', scope: 'catalog', ...products },
  { name: 'categories', group: 'catalog', scope: 'catalog', ...categories },
  // Listed with catalog:read, changed with pricing:write (see auth/permissions.ts).
  { name: 'sales', group: 'catalog', scope: 'catalog/pricing', ...sales },
  { name: 'discount-codes', group: 'catalog', scope: 'catalog/pricing', ...discountCodes },
  { name: 'stock-levels', group: 'stock', scope: 'inventory', ...stockLevels },
  // Forms that only post: every action needs exactly inventory:write (see auth/permissions.ts).
  { name: 'stock-entry', group: 'stock', scope: 'inventory:write', ...stockEntry },
  { name: 'stock-transfers', group: 'stock', scope: 'inventory:write', ...stockTransfers },
  { name: 'stock-movements', group: 'stock', scope: 'inventory', ...stockMovements },
  { name: 'stock-locations', group: 'stock', scope: 'inventory', ...stockLocations },
  // Read-only (inventory:read): shoppers waiting for a back-in-stock e-mail, counted per variant.
  { name: 'stock-alerts', group: 'stock', scope: 'inventory', ...stockAlerts },
  { name: 'to-pack', group: 'warehouse', scope: 'shipping', ...toPack },
  { name: 'shipments', group: 'warehouse', scope: 'shipping', ...shipments },
  { name: 'mailbox', group: 'warehouse', scope: 'mailbox', ...mailbox },
  { name: 'customers', group: 'customers', scope: 'customers', ...customers },
  // Customer e-mails as queued, sent and failed: listed with customers:read (the recipient is a customer's
  // address), a failed one retried with customers:write (see RetryMailButton).
  { name: 'outgoing-mail', group: 'customers', scope: 'customers', ...outgoingMail },
  // Listed with shipping:read, changed with pricing:write: a rate is a price (see auth/permissions.ts).
  { name: 'shipping-methods', group: 'settings', scope: 'shipping/pricing', ...shippingMethods },
  { name: 'staff', group: 'settings', scope: 'staff', ...staff },
  { name: 'audit', group: 'settings', scope: 'audit', ...audit },
  // Owner only: every action needs backups:manage (see auth/permissions.ts).
  { name: 'backups', group: 'settings', scope: 'backups', ...backups },
];

export function resourcesInGroup(
  group: MenuGroup,
  all: readonly RegisteredResource[] = resources,
): RegisteredResource[] {
  return all.filter((resource) => resource.group === group);
}

export function permissionScopeOf(resource: string, all: readonly RegisteredResource[] = resources): string {
  return all.find((entry) => entry.name === resource)?.scope ?? resource;
}
