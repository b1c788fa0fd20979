import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import SecurityIcon from '@mui/icons-material/Security';
import PasswordIcon from '@mui/icons-material/Password';
import {
  AppBar,
  Layout,
  LoadingIndicator,
  LocalesMenuButton,
  Logout,
  ToggleThemeButton,
  UserMenu,
  useAuthState,
  useTranslate,
  useUserMenu,
} from 'react-admin';
import { SECURITY_PATH } from '../security/SecurityPage.tsx';
import { CHANGE_PASSWORD_PATH, PasswordChangeGate } from '../security/ChangePasswordPage.tsx';
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

/** The member's own password and signed-in devices. */
function PasswordMenuItem() {
  const translate = useTranslate();
  const userMenu = useUserMenu();
  return (
    <MenuItem component={Link} to={CHANGE_PASSWORD_PATH} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>
        <PasswordIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>{translate('mcart.security.password_menu')}</ListItemText>
    </MenuItem>
  );
}

function McartUserMenu() {
  return (
    <UserMenu>
      <SecurityMenuItem />
      <PasswordMenuItem />
      <Logout />
    </UserMenu>
  );
}

function McartAppBar() {
  return <AppBar toolbar={<AppToolbar />} userMenu={<McartUserMenu />} />;
}

/**
 * react-admin lets a wide list widen the whole page (`minWidth: fit-content`): on a laptop screen the
 * orders list then scrolled sideways and its content slid over the menu. The page keeps the window's
 * width instead, and a table too wide for it scrolls inside its own card.
 */
const fitTheWindow = {
  minWidth: 0,
  '& .RaLayout-content, & .RaList-main': { minWidth: 0 },
  '& .RaDatagrid-tableWrapper': { overflowX: 'auto' },
} as const;

/**
 * The layout and every screen in it render only for a signed-in staff member, and the live connection
 * lives exactly as long. react-admin itself renders routes once its auth check settles, failed or not:
 * their requests would 401 and each 401 log out again while the first redirect to the login page was
 * still pending, a loop that buried the sign-in errors under "please log in" notices. Here the failed
 * check logs out once and nothing else asks the server.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const { authenticated, isPending } = useAuthState(undefined, true);
  if (isPending || !authenticated) return null;
  return (
    <LiveProvider>
      <Layout menu={AppMenu} appBar={McartAppBar} sx={fitTheWindow}>
        <PasswordChangeGate>{children}</PasswordChangeGate>
      </Layout>
    </LiveProvider>
  );
}
