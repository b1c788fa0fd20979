/**
 * Staff roles and what each may do: the one table every admin route and socket room is checked against.
 * A route declares the permission it needs (`config: { permission }`); app start fails for an admin
 * route that declares none.
 */
export const PERMISSIONS = [
  'dashboard:read',
  'catalog:read',
  'catalog:write',
  'pricing:write',
  'inventory:read',
  'inventory:write',
  'orders:read',
  'orders:write',
  'orders:annotate',
  'orders:refund',
  // Receiving a returned parcel (ADR 0051): whoever opens it at the returns desk records it and restocks the
  // goods. The warehouse may; refunding the lines at the same time still needs orders:refund.
  'returns:receive',
  // Invoices and credit notes (ADR 0049): accounting documents with the buyer's name and address. Not the
  // warehouse's: it packs orders, it has no use for the store's invoices.
  'invoices:read',
  // Sales reports (ADR 0050): what sold, when, for how much. The store's figures, for those who run it (owner,
  // admin, manager), not for the warehouse or support, whose work needs single orders, not the takings.
  'reports:read',
  'shipping:read',
  'shipping:write',
  'customers:read',
  'customers:write',
  // A customer's data rights, answered for requests received by e-mail (ADR 0048): the whole personal data
  // export (addresses, orders, devices and IPs of sessions) and the erasure. Owners and admins only.
  'customers:export',
  'customers:erase',
  'staff:read',
  'staff:manage',
  'audit:read',
  'backups:manage',
  'mailbox:read',
  'settings:manage',
  // Staff sign-in security: require TOTP for all staff, reset a member's second factor. Owners only.
  'security:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'manager', 'warehouse', 'support'] as const;
export type Role = (typeof ROLES)[number];

const all = PERMISSIONS;
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: all,
  admin: all.filter((p) => p !== 'backups:manage' && p !== 'security:manage'),
  manager: [
    'dashboard:read',
    'catalog:read',
    'catalog:write',
    'pricing:write',
    'inventory:read',
    'orders:read',
    'invoices:read',
    'reports:read',
    'customers:read',
    'shipping:read',
  ],
  warehouse: [
    'dashboard:read',
    'catalog:read',
    'inventory:read',
    'inventory:write',
    'orders:read',
    'returns:receive',
    'shipping:read',
    'shipping:write',
  ],
  // Support reads and annotates orders and customers; disabling a customer (customers:write) is for owners and admins.
  // Not the mailbox: it holds every e-mail sent, password-reset links included, and reading one is taking over
  // that customer's account.
  support: [
    'dashboard:read',
    'catalog:read',
    'inventory:read',
    'orders:read',
    'orders:annotate',
    'invoices:read',
    'shipping:read',
    'customers:read',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
