import type { ComponentType } from 'react';
import { useCanAccess, useRequireAccess } from 'react-admin';

/**
 * react-admin checks canAccess in its List/Edit controllers; a page that is not a <List> must ask
 * itself, or a role without the permission could open it by its address. Without access this
 * redirects to react-admin's access-denied page.
 */
export function requireListAccess(resource: string, Page: ComponentType): ComponentType {
  function Guarded() {
    useRequireAccess({ resource, action: 'list' }); // redirects when refused
    const { canAccess } = useCanAccess({ resource, action: 'list' }); // the same cached answer
    return canAccess ? <Page /> : null;
  }
  Guarded.displayName = `RequireListAccess(${Page.displayName ?? Page.name})`;
  return Guarded;
}
