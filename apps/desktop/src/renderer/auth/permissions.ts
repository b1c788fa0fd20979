/**
 * The server answers `GET /api/admin/auth/me` with the role's permissions, named
 * `<scope>:<verb>` by business area (`catalog:read`, `inventory:write`, `orders:refund`), and
 * enforces them on every route. The renderer mirrors them only to hide what would be refused.
 * Each resource declares its scope in the registry (products → catalog); react-admin's actions map to:
 *   list, show, export      → `<scope>:read`
 *   create, edit, delete    → `<scope>:write`
 *   anything else (refund)  → `<scope>:<action>` exactly
 */
const READ_ACTIONS = new Set(['list', 'show', 'export']);
const WRITE_ACTIONS = new Set(['create', 'edit', 'delete']);

export function requiredPermission(scope: string, action: string): string {
  if (READ_ACTIONS.has(action)) return `${scope}:read`;
  if (WRITE_ACTIONS.has(action)) return `${scope}:write`;
  return `${scope}:${action}`;
}

export function hasPermission(permissions: readonly string[], scope: string, action: string): boolean {
  return permissions.includes(requiredPermission(scope, action));
}
