/**
 * Permissions come from the server (`GET /api/admin/auth/me` → `permissions: string[]`), as
 * `<resource>:<action>` strings. The renderer only mirrors them to hide what the server would
 * refuse anyway (it enforces every route). Grants understood:
 *   `*`                      everything
 *   `<resource>:*`           every action on the resource
 *   `<resource>:read`        react-admin's list, show and export
 *   `<resource>:write`       react-admin's create, edit and delete
 *   `<resource>:<action>`    that exact action (react-admin's, or a custom one like `orders:refund`)
 */
const READ_ACTIONS = new Set(['list', 'show', 'export']);
const WRITE_ACTIONS = new Set(['create', 'edit', 'delete']);

export function hasPermission(permissions: readonly string[], resource: string, action: string): boolean {
  const granted = new Set(permissions);
  if (granted.has('*') || granted.has(`${resource}:*`) || granted.has(`${resource}:${action}`)) return true;
  if (READ_ACTIONS.has(action) && (granted.has(`${resource}:read`) || granted.has(`${resource}:write`))) return true;
  if (WRITE_ACTIONS.has(action) && granted.has(`${resource}:write`)) return true;
  return false;
}
