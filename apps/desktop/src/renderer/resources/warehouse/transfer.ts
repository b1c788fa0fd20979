import type { HttpClient } from '../../api/http.ts';
import { problemToHttpError } from '../../api/problem.ts';
import type { TokenStore } from '../../auth/tokenStore.ts';

/**
 * Requests the JSON http client cannot make: binary downloads (label PDFs) and multipart uploads
 * (tracking CSV). Same auth rules: the staff bearer token, one refresh and retry on a 401.
 */
export interface RawTransport {
  baseUrl: () => string;
  tokens?: TokenStore;
  http: HttpClient;
  fetch?: typeof fetch;
}

async function send(transport: RawTransport, path: string, init: RequestInit): Promise<Response> {
  const attempt = () => {
    const headers = new Headers(init.headers);
    const session = transport.tokens?.get();
    if (session) headers.set('Authorization', `Bearer ${session.accessToken}`);
    const fetchImpl = transport.fetch ?? globalThis.fetch.bind(globalThis);
    return fetchImpl(`${transport.baseUrl()}${path}`, { ...init, headers, credentials: 'omit' });
  };
  let response = await attempt();
  if (response.status === 401 && (await transport.http.refreshSession())) response = await attempt();
  if (!response.ok) {
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = /json/.test(type)
      ? await response.json().catch(() => undefined)
      : await response.text();
    throw problemToHttpError(response.status, response.statusText, body);
  }
  return response;
}

export async function downloadBlob(transport: RawTransport, path: string): Promise<Blob> {
  const response = await send(transport, path, {
    headers: { Accept: 'application/pdf, application/problem+json' },
  });
  return response.blob();
}

export async function uploadFile<T>(
  transport: RawTransport,
  path: string,
  field: string,
  file: File,
): Promise<T> {
  const form = new FormData();
  form.append(field, file, file.name);
  const response = await send(transport, path, {
    method: 'POST',
    body: form,
    headers: { Accept: 'application/json, application/problem+json' },
  });
  return (await response.json()) as T;
}
