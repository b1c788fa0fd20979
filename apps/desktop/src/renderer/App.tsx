import { useMemo } from 'react';
import { Admin, defaultDarkTheme, defaultLightTheme, Resource } from 'react-admin';
import { createDataProvider } from './api/dataProvider.ts';
import { createHttpClient } from './api/http.ts';
import { createAuthProvider } from './auth/authProvider.ts';
import type { TokenStore } from './auth/tokenStore.ts';
import { ConnectionProvider } from './connection/ConnectionContext.tsx';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { createI18nProvider, type Locale } from './i18n/i18nProvider.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { LoginPage } from './login/LoginPage.tsx';
import type { ServerConnection } from './platform.ts';
import { resources } from './resources/registry.ts';

export interface AppProps {
  connection: ServerConnection;
  tokens: TokenStore;
  locale: Locale;
}

export function App({ connection, tokens, locale }: AppProps) {
  const http = useMemo(() => createHttpClient({ baseUrl: connection.baseUrl, tokens }), [connection, tokens]);
  const dataProvider = useMemo(() => createDataProvider(http), [http]);
  const authProvider = useMemo(() => createAuthProvider(http, tokens), [http, tokens]);
  const i18nProvider = useMemo(() => createI18nProvider(locale), [locale]);

  return (
    <ConnectionProvider value={{ connection, http }}>
      <Admin
        title="MCart"
        dataProvider={dataProvider}
        authProvider={authProvider}
        i18nProvider={i18nProvider}
        dashboard={Dashboard}
        loginPage={LoginPage}
        layout={AppLayout}
        theme={defaultLightTheme}
        darkTheme={defaultDarkTheme}
        requireAuth
        disableTelemetry
      >
        {resources.map(({ name, group: _group, children, ...module }) => (
          <Resource key={name} name={name} {...module}>
            {children}
          </Resource>
        ))}
      </Admin>
    </ConnectionProvider>
  );
}
