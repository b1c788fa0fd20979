import type { ReactNode } from 'react';
import { AppBar, Layout, LoadingIndicator, LocalesMenuButton, ToggleThemeButton } from 'react-admin';
import { LiveProvider } from '../live/LiveProvider.tsx';
import { AppMenu } from './AppMenu.tsx';
import { LiveStatusIndicator, NotificationBell } from './NotificationBell.tsx';

function AppToolbar() {
  return (
    <>
      <LiveStatusIndicator />
      <NotificationBell />
      <LocalesMenuButton />
      <ToggleThemeButton />
      <LoadingIndicator />
    </>
  );
}

function McartAppBar() {
  return <AppBar toolbar={<AppToolbar />} />;
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
