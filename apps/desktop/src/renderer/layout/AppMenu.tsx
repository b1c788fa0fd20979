import { Fragment } from 'react';
import type { ReactElement } from 'react';
import { ListSubheader } from '@mui/material';
import SettingsEthernetIcon from '@mui/icons-material/SettingsEthernet';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Menu, useSidebarState, useTranslate } from 'react-admin';
import { MENU_GROUPS, resourcesInGroup, type MenuGroup } from '../resources/registry.ts';
import { CONNECTION_PATH } from '../settings/ConnectionPage.tsx';
import { LOW_STOCK_PATH } from '../resources/stock-levels/StockLevelList.tsx';

/** Screens that are not resources (custom routes), by menu group. */
const PAGES: Partial<Record<MenuGroup, { to: string; label: string; icon: ReactElement }[]>> = {
  // Every role reads stock (inventory:read): the stock levels list, filtered.
  stock: [{ to: LOW_STOCK_PATH, label: 'mcart.stock.low_stock_menu', icon: <WarningAmberIcon /> }],
  settings: [{ to: CONNECTION_PATH, label: 'mcart.menu.connection', icon: <SettingsEthernetIcon /> }],
};

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
        const pages = PAGES[group] ?? [];
        if (entries.length === 0 && pages.length === 0) return null;
        return (
          <Fragment key={group}>
            {open && (
              <ListSubheader
                component="div"
                disableSticky
                sx={{ lineHeight: '2.5em', mt: 1, bgcolor: 'transparent' }}
              >
                {translate(`mcart.menu.${group}`)}
              </ListSubheader>
            )}
            {entries.map((resource) => (
              <Menu.ResourceItem key={resource.name} name={resource.name} />
            ))}
            {pages.map((page) => (
              <Menu.Item
                key={page.to}
                to={page.to}
                primaryText={translate(page.label)}
                leftIcon={page.icon}
              />
            ))}
          </Fragment>
        );
      })}
    </Menu>
  );
}
