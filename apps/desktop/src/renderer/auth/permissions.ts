/**
 * The server answers `GET /api/admin/auth/me` with the role's permissions, named
 * `<scope>:<verb>` by business area (`catalog:read`, `inventory:write`, `orders:refund`), and
 * enforces them on every route. The renderer mirrors them only to hide what would be refused.
 * Each resource declares its scope in the registry (products → catalog); react-admin's actions map to:
 *   list, show, export      → `<scope>:read`
 *   create, edit, delete    → `<scope>:write` (`<scope>:manage` for the scopes in MANAGE_SCOPES)
 *   anything else (refund)  → `<scope>:<action>` exactly
 * A scope `read/write` splits the two: sales are listed with `catalog:read` but changed with
 * `pricing:write`, so their scope is `catalog/pricing`. A scope that is a permission
 * (`inventory:write`) is required for every action, listing included.
 */
const READ_ACTIONS = new Set(['list', 'show', 'export']);
const WRITE_ACTIONS = new Set(['create', 'edit', 'delete']);

// The server names the write permission of these scopes `manage` (staff:manage, settings:manage).
const MANAGE_SCOPES = new Set(['staff', 'settings', 'backups']);

// Scopes with a single permission, `<scope>:manage`, for reading too: backups are the owner's alone.
const MANAGE_ONLY_SCOPES = new Set(['backups']);

export function requiredPermission(scope: string, action: string): string {
  // A full permission name as the scope (a screen that only posts, e.g. receiving stock) is required as is.
  if (scope.includes(':')) return scope;
  const [readScope, writeScope = readScope] = scope.split('/');
  if (MANAGE_ONLY_SCOPES.has(scope)) return `${scope}:manage`;
  if (READ_ACTIONS.has(action)) return `${readScope}:read`;
  if (WRITE_ACTIONS.has(action))
    return `${writeScope}:${MANAGE_SCOPES.has(writeScope ?? '') ? 'manage' : 'write'}`;
  return `${writeScope}:${action}`;
}

export function hasPermission(permissions: readonly string[], scope: string, action: string): boolean {
  return permissions.includes(requiredPermission(scope, action));
}
