import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHashRouter, RouterProvider } from 'react-router-dom';
import { App } from './App.tsx';
import { createBrowserTokenStore, createDesktopTokenStore, type TokenStore } from './auth/tokenStore.ts';
import { preferredLocale } from './i18n/i18nProvider.ts';
import { resolveConnection } from './platform.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const connection = await resolveConnection();
const storage = (() => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
})();
// In Electron the session survives restarts, encrypted by the OS keychain; in a browser tab it does not.
const desktop = connection.desktop;
const tokens: TokenStore = desktop?.loadSession
  ? createDesktopTokenStore(desktop, await desktop.loadSession().catch(() => null))
  : createBrowserTokenStore(storage);

// Our own router rather than react-admin's: the same hash router, but navigations commit at once instead
// of inside a React transition. A transition to the login page could be starved for seconds by the
// re-renders that the logout itself causes, leaving the signed-out layout on screen meanwhile.
const router = createHashRouter([
  {
    path: '*',
    element: <App connection={connection} tokens={tokens} locale={preferredLocale(navigator.languages)} />,
  },
]);

createRoot(container).render(
  <StrictMode>
    <RouterProvider router={router} useTransitions={false} />
  </StrictMode>,
);
