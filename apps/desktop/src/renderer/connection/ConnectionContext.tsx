import { createContext, useContext, type ReactNode } from 'react';
import type { HttpClient } from '../api/http.ts';
import type { TokenStore } from '../auth/tokenStore.ts';
import type { ServerConnection } from '../platform.ts';

interface ConnectionValue {
  connection: ServerConnection;
  http: HttpClient;
  /** The staff session (the live socket authenticates with its access token). */
  tokens?: TokenStore;
}

const ConnectionContext = createContext<ConnectionValue | null>(null);

export function ConnectionProvider({ value, children }: { value: ConnectionValue; children: ReactNode }) {
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionValue {
  const value = useContext(ConnectionContext);
  if (!value) throw new Error('useConnection must be used inside <ConnectionProvider>');
  return value;
}
