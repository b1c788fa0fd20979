import { Fragment } from 'react';
import { ListSubheader } from '@mui/material';
import { Menu, useSidebarState, useTranslate } from 'react-admin';
import { MENU_GROUPS, resourcesInGroup } from '../resources/registry.ts';

/**
 * Menu grouped by business area. Groups without a registered resource are not shown, and
 * react-admin's ResourceItem hides entries the staff member's permissions do not allow.
 */
export function AppMenu() {
  const translate = useTranslate();
  const [open] = useSidebarState();
  return (
    <Menu>
      <Menu.DashboardItem primaryText={translate('mcart.menu.dashboard')} />
      {MENU_GROUPS.map((group) => {
        const entries = resourcesInGroup(group);
        if (entries.length === 0) return null;
        return (
          <Fragment key={group}>
            {open && (
              <ListSubheader component="div" disableSticky sx={{ lineHeight: '2.5em', mt: 1, bgcolor: 'transparent' }}>
                {translate(`mcart.menu.${group}`)}
              </ListSubheader>
            )}
            {entries.map((resource) => (
              <Menu.ResourceItem key={resource.name} name={resource.name} />
            ))}
          </Fragment>
        );
      })}
    </Menu>
  );
}
