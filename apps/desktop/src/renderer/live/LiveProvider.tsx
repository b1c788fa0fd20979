import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useAuthProvider, useNotify, useTranslate } from 'react-admin';
import type { ChangeEvent } from '@mcart/api-client/events';
import type { McartAuthProvider } from '../auth/authProvider.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { editingKey, readableLiveResources, shouldInvalidate } from './invalidation.ts';
import { LiveClient, type LiveStatus } from './liveClient.ts';
import { alertOf, type LiveAlert } from './alerts.ts';

type ChangeListener = (change: ChangeEvent) => void;

interface LiveValue {
  status: LiveStatus;
  /** Listens to every change this session receives; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Marks a record as open in an edit form (not refetched under the user); returns the release. */
  markEditing(resource: string, id: string | number): () => void;
  alerts: LiveAlert[];
  clearAlerts(): void;
}

const LiveContext = createContext<LiveValue | null>(null);

export function useLive(): LiveValue | null {
  return useContext(LiveContext);
}

const MAX_ALERTS = 50;

/**
 * Keeps the signed-in back-office live: one socket per window, every change the role may read
 * invalidates the matching react-admin queries (no polling), new orders and low stock raise a
 * notification and land in the bell list.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { connection, http, tokens } = useConnection();
  const authProvider = useAuthProvider() as McartAuthProvider | undefined;
  const queryClient = useQueryClient();
  const notify = useNotify();
  const translate = useTranslate();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  const listeners = useRef(new Set<ChangeListener>());
  const editing = useRef(new Map<string, number>());
  // Latest callbacks without restarting the socket when they change identity.
  const notifyRef = useRef({ notify, translate });
  notifyRef.current = { notify, translate };

  useEffect(() => {
    if (!tokens || !authProvider?.getProfile) return;
    let client: LiveClient | null = null;
    let cancelled = false;
    const editingSet = () => new Set(editing.current.keys());
    void authProvider.getProfile().then(
      (profile) => {
        if (cancelled) return;
        client = new LiveClient({
          origin: connection.baseUrl(),
          resources: readableLiveResources(profile.permissions),
          getToken: () => tokens.get()?.accessToken ?? null,
          refreshSession: () => http.refreshSession(),
          onStatus: setStatus,
          onResync: () =>
            void queryClient.invalidateQueries({
              predicate: (query) => {
                const [resource, method, params] = query.queryKey;
                const id = (params as { id?: unknown } | undefined)?.id;
                return !(
                  method === 'getOne' &&
                  id !== undefined &&
                  editingSet().has(editingKey(String(resource), String(id)))
                );
              },
            }),
          onChange: (change) => {
            const context = { editing: editingSet() };
            void queryClient.invalidateQueries({
              predicate: (query) => shouldInvalidate(query.queryKey, change, context),
            });
            for (const listener of listeners.current) listener(change);
            const alert = alertOf(change);
            if (alert) {
              const { notify: show, translate: t } = notifyRef.current;
              show(t(alert.messageKey, alert.values), {
                type: alert.level === 'warning' ? 'warning' : 'info',
              });
              setAlerts((current) => [alert, ...current].slice(0, MAX_ALERTS));
              void connection.desktop?.notify?.(t('mcart.app.title'), t(alert.messageKey, alert.values));
            }
          },
        });
        client.start();
      },
      () => setStatus('signed-out'),
    );
    return () => {
      cancelled = true;
      client?.stop();
    };
  }, [authProvider, connection, http, queryClient, tokens]);

  const onChange = useCallback((listener: ChangeListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const markEditing = useCallback((resource: string, id: string | number) => {
    const key = editingKey(resource, id);
    editing.current.set(key, (editing.current.get(key) ?? 0) + 1);
    return () => {
      const count = (editing.current.get(key) ?? 1) - 1;
      if (count <= 0) editing.current.delete(key);
      else editing.current.set(key, count);
    };
  }, []);

  const value = useMemo<LiveValue>(
    () => ({ status, onChange, markEditing, alerts, clearAlerts: () => setAlerts([]) }),
    [status, onChange, markEditing, alerts],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
