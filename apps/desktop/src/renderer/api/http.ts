import { HttpError } from 'react-admin';
import type { AuthTokens, TokenStore } from '../auth/tokenStore.ts';
import { problemToHttpError } from './problem.ts';

export type QueryValue =
  string | number | boolean | null | undefined | readonly (string | number | boolean)[];

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: URLSearchParams;
  body?: unknown;
  /** false for the auth endpoints and the health probes, which take no staff token. */
  auth?: boolean;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Idempotency-Key`), sent again on the retry after a token refresh. */
  headers?: Record<string, string>;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpClient {
  request<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  /** Runs at most one token refresh at a time; resolves false when the session is gone. */
  refreshSession(): Promise<boolean>;
}

export interface HttpClientOptions {
  /** '' for same-origin (the browser build at /admin/), else the server origin. */
  baseUrl: () => string;
  tokens: TokenStore;
  fetch?: typeof fetch;
}

export const REFRESH_PATH = '/api/admin/auth/refresh';

/**
 * The one place requests leave the renderer. A 401 triggers one refresh and one retry. Refresh
 * tokens are single use and a reused one revokes the whole session family on the server, so
 * concurrent 401s must share a single refresh call instead of each spending the token.
 */
export function createHttpClient({
  baseUrl,
  tokens,
  fetch: fetchImpl = globalThis.fetch.bind(globalThis),
}: HttpClientOptions): HttpClient {
  let refreshing: Promise<boolean> | null = null;

  const send = async (
    path: string,
    options: RequestOptions,
    session: AuthTokens | null,
  ): Promise<Response> => {
    const headers = new Headers({ ...options.headers, Accept: 'application/json, application/problem+json' });
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    if (session && options.auth !== false) headers.set('Authorization', `Bearer ${session.accessToken}`);
    const query = options.query?.toString();
    try {
      return await fetchImpl(`${baseUrl()}${path}${query ? `?${query}` : ''}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // fetch only rejects when no answer arrived (offline, refused, certificate): not an auth problem.
      throw new HttpError('mcart.error.network', 0, { cause: String(error) });
    }
  };

  const refreshSession = (): Promise<boolean> => {
    refreshing ??= (async () => {
      const session = tokens.get();
      if (!session) return false;
      // The user may sign out (or in again) while the refresh is on the wire. Its answer then belongs
      // to a session that is over: it must neither revive it nor end the new one. With a new session
      // the caller simply retries with that one.
      const superseded = (): boolean => tokens.get()?.refreshToken !== session.refreshToken;
      const response = await send(
        REFRESH_PATH,
        { method: 'POST', body: { refreshToken: session.refreshToken }, auth: false },
        null,
      );
      if (superseded()) return tokens.get() !== null;
      if (!response.ok) {
        // A network failure is not a revoked session: keep the tokens and let the caller retry later.
        if (response.status === 401 || response.status === 403) tokens.clear();
        return false;
      }
      const next = (await response.json()) as AuthTokens;
      if (superseded()) return tokens.get() !== null;
      tokens.set(next);
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  const request = async <T>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> => {
    const session = options.auth === false ? null : tokens.get();
    let response = await send(path, options, session);
    if (response.status === 401 && session && options.auth !== false) {
      const current = tokens.get();
      // Another request may have rotated the tokens while this one was in flight.
      const renewed = current && current.accessToken !== session.accessToken ? true : await refreshSession();
      if (renewed) response = await send(path, options, tokens.get());
    }
    const body = await readBody(response);
    if (!response.ok) throw problemToHttpError(response.status, response.statusText, body);
    return { status: response.status, headers: response.headers, body: body as T };
  };

  return { request, refreshSession };
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/[/+]json\b/.test(type)) {
    try {
      return await response.json();
    } catch {
      return undefined;
    }
  }
  const text = await response.text();
  return text === '' ? undefined : text;
}

/** Query strings for list filters: arrays repeat the key, nested objects use dotted keys. */
export function appendQuery(
  params: URLSearchParams,
  values: Record<string, unknown>,
  prefix = '',
): URLSearchParams {
  for (const [key, value] of Object.entries(values)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.append(name, String(item));
    } else if (value instanceof Date) {
      params.append(name, value.toISOString());
    } else if (typeof value === 'object') {
      appendQuery(params, value as Record<string, unknown>, name);
    } else {
      params.append(name, String(value));
    }
  }
  return params;
}
