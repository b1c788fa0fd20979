import type { ReactNode } from 'react';
import { Layout } from 'react-admin';
import { AppMenu } from './AppMenu.tsx';

// react-admin's AppBar already shows the language menu (several locales) and the light/dark
// toggle (a dark theme is set), so only the menu is customised.
export function AppLayout({ children }: { children: ReactNode }) {
  return <Layout menu={AppMenu}>{children}</Layout>;
}
