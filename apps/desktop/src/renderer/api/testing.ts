import type { AuthTokens, TokenStore } from '../auth/tokenStore.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: unknown;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** A fetch double for tests: records what the client sent and answers from the given handler. */
export function fakeFetch(handler: Handler): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchDouble = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const recorded: RecordedRequest = {
      method: init?.method ?? 'GET',
      url: String(input),
      authorization: headers.get('authorization'),
      idempotencyKey: headers.get('idempotency-key'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(recorded);
    return handler(recorded);
  };
  return { fetch: fetchDouble as typeof fetch, requests };
}

export const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

export const problem = (
  status: number,
  title: string,
  code: string,
  extra: Record<string, unknown> = {},
): Response =>
  json(status, { type: 'about:blank', status, title, code, ...extra }, 'application/problem+json');

export function memoryTokenStore(initial: AuthTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
    clear: () => {
      tokens = null;
    },
  };
}
