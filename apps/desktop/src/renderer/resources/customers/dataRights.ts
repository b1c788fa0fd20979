import { HttpError } from 'react-admin';

/** An order that still needs the customer's address: the 409 MCART_ERR_ERASURE_BLOCKED lists them. */
export interface BlockingOrder {
  id: string;
  number: string;
  status: string;
}

/** The orders that blocked an erasure, when the server refused it because of them; else null. */
export function blockingOrdersOf(error: unknown): BlockingOrder[] | null {
  if (!(error instanceof HttpError) || error.status !== 409) return null;
  const body = error.body as { code?: string; orders?: BlockingOrder[] } | undefined;
  return body?.code === 'MCART_ERR_ERASURE_BLOCKED' && Array.isArray(body.orders) ? body.orders : null;
}

/** `attachment; filename="x.json"` → `x.json`; the fallback when the header names no file. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}
