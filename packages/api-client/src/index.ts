import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.ts';

export type { paths, components } from './schema.ts';
export * from './events.ts';

/** Where the client keeps and refreshes its tokens (memory, sessionStorage, Electron safeStorage...). */
export interface TokenStore {
  getAccessToken(): string | undefined | Promise<string | undefined>;
}

export interface ClientOptions {
  /** https://host:port, or '' for same origin (the admin served at /admin). */
  baseUrl: string;
  tokens?: TokenStore;
  fetch?: typeof globalThis.fetch;
}

/** Adds `Authorization: Bearer <access token>` to every request when a token is present. */
export function authMiddleware(tokens: TokenStore): Middleware {
  return {
    async onRequest({ request }) {
      const token = await tokens.getAccessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

/** A typed client for the MCart API, generated from the server's OpenAPI document. */
export function createMCartClient(options: ClientOptions) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.tokens) client.use(authMiddleware(options.tokens));
  return client;
}

export type MCartClient = ReturnType<typeof createMCartClient>;

/** The problem+json body every error has. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
}
