import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
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

createRoot(container).render(
  <StrictMode>
    <App connection={connection} tokens={tokens} locale={preferredLocale(navigator.languages)} />
  </StrictMode>,
);
