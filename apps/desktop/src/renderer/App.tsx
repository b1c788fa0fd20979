import { useMemo } from 'react';
import { Route } from 'react-router-dom';
import {
  Admin,
  Authenticated,
  CustomRoutes,
  defaultDarkTheme,
  defaultLightTheme,
  Resource,
} from 'react-admin';
import { createDataProvider } from './api/dataProvider.ts';
import { createHttpClient } from './api/http.ts';
import { createQueryClient } from './api/queryClient.ts';
import { createAuthProvider } from './auth/authProvider.ts';
import type { TokenStore } from './auth/tokenStore.ts';
import { ConnectionProvider } from './connection/ConnectionContext.tsx';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { createI18nProvider, type Locale } from './i18n/i18nProvider.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { LoginPage } from './login/LoginPage.tsx';
import { CONNECTION_PATH, ConnectionPage } from './settings/ConnectionPage.tsx';
import { SECURITY_PATH, SecurityPage } from './security/SecurityPage.tsx';
import { CHANGE_PASSWORD_PATH, ChangePasswordPage } from './security/ChangePasswordPage.tsx';
import type { ServerConnection } from './platform.ts';
import { permissionScopeOf, resources } from './resources/registry.ts';

export interface AppProps {
  connection: ServerConnection;
  tokens: TokenStore;
  locale: Locale;
}

export function App({ connection, tokens, locale }: AppProps) {
  const http = useMemo(() => createHttpClient({ baseUrl: connection.baseUrl, tokens }), [connection, tokens]);
  const dataProvider = useMemo(() => createDataProvider(http), [http]);
  const authProvider = useMemo(() => createAuthProvider(http, tokens, permissionScopeOf), [http, tokens]);
  const i18nProvider = useMemo(() => createI18nProvider(locale), [locale]);
  const queryClient = useMemo(() => createQueryClient(), []);

  return (
    <ConnectionProvider value={{ connection, http, tokens }}>
      <Admin
        title="MCart"
        queryClient={queryClient}
        dataProvider={dataProvider}
        authProvider={authProvider}
        i18nProvider={i18nProvider}
        dashboard={Dashboard}
        loginPage={LoginPage}
        layout={AppLayout}
        theme={defaultLightTheme}
        darkTheme={defaultDarkTheme}
        disableTelemetry
      >
        {/* Not `requireAuth`: with it, react-admin 5.15 loops between checkAuth and logout for
            seconds before the login page settles. The dashboard (WithPermissions) and every
            resource check auth themselves; custom routes are wrapped in <Authenticated>. */}
        {resources.map(({ name, group: _group, scope: _scope, children, ...module }) => (
          <Resource key={name} name={name} {...module}>
            {children}
          </Resource>
        ))}
        <CustomRoutes>
          <Route
            path={CONNECTION_PATH}
            element={
              <Authenticated>
                <ConnectionPage />
              </Authenticated>
            }
          />
          <Route
            path={SECURITY_PATH}
            element={
              <Authenticated>
                <SecurityPage />
              </Authenticated>
            }
          />
          <Route
            path={CHANGE_PASSWORD_PATH}
            element={
              <Authenticated>
                <ChangePasswordPage />
              </Authenticated>
            }
          />
        </CustomRoutes>
      </Admin>
    </ConnectionProvider>
  );
}
