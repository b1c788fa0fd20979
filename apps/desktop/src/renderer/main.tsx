import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createBrowserTokenStore } from './auth/tokenStore.ts';
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

createRoot(container).render(
  <StrictMode>
    <App
      connection={connection}
      tokens={createBrowserTokenStore(storage)}
      locale={preferredLocale(navigator.languages)}
    />
  </StrictMode>,
);
