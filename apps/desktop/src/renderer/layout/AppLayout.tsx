import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import SecurityIcon from '@mui/icons-material/Security';
import {
  AppBar,
  Layout,
  LoadingIndicator,
  LocalesMenuButton,
  Logout,
  ToggleThemeButton,
  UserMenu,
  useTranslate,
  useUserMenu,
} from 'react-admin';
import { SECURITY_PATH } from '../security/SecurityPage.tsx';
import { LiveProvider } from '../live/LiveProvider.tsx';
import { AppMenu } from './AppMenu.tsx';
import { UpdateNotice } from '../desktop/UpdateNotice.tsx';
import { LiveStatusIndicator, NotificationBell } from './NotificationBell.tsx';

function AppToolbar() {
  return (
    <>
      <LiveStatusIndicator />
      <NotificationBell />
      <UpdateNotice />
      <LocalesMenuButton />
      <ToggleThemeButton />
      <LoadingIndicator />
    </>
  );
}

/** The member's own sign-in security (TOTP), next to Logout. */
function SecurityMenuItem() {
  const translate = useTranslate();
  const userMenu = useUserMenu();
  return (
    <MenuItem component={Link} to={SECURITY_PATH} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>
        <SecurityIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>{translate('mcart.security.menu')}</ListItemText>
    </MenuItem>
  );
}

function McartUserMenu() {
  return (
    <UserMenu>
      <SecurityMenuItem />
      <Logout />
    </UserMenu>
  );
}

function McartAppBar() {
  return <AppBar toolbar={<AppToolbar />} userMenu={<McartUserMenu />} />;
}

// The layout only renders for a signed-in staff member: the live connection lives exactly as long.
export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <LiveProvider>
      <Layout menu={AppMenu} appBar={McartAppBar}>
        {children}
      </Layout>
    </LiveProvider>
  );
}
