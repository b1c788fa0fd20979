import { HttpError } from 'react-admin';

/** RFC 9457 problem details as the MCart server sends them. */
export interface ProblemDetails {
  type?: string;
  status: number;
  title: string;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/**
 * What react-admin finds in `HttpError.body`: the problem itself, plus `errors` reshaped into the
 * `{ [fieldPath]: message, root: { serverError } }` form its forms put under the matching inputs.
 */
export interface ProblemErrorBody extends Omit<ProblemDetails, 'errors'> {
  errors?: Record<string, string | { serverError: string }>;
  fieldErrors?: ProblemDetails['errors'];
}

export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const problem = value as Record<string, unknown>;
  return typeof problem.status === 'number' && typeof problem.title === 'string';
}

/**
 * Field paths arrive as JSON pointers (`/variants/0/sku`) or Fastify's `body/variants/0/sku`;
 * react-hook-form addresses the same input as `variants.0.sku`.
 */
export function toFieldName(path: string): string {
  const segments = path
    .replace(/^#/, '')
    .split(/[/.]/)
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments[0] === 'body') segments.shift();
  return segments.join('.');
}

/**
 * "Title (name: message)" for a refused query string or path parameter (a list's filter or sort): no
 * input shows those, and "The request is not valid" alone gives nothing to fix. Body fields are left
 * to the form inputs that show them.
 */
function withQueryErrors(title: string, errors: ProblemDetails['errors']): string {
  const named = new Map<string, string>();
  for (const error of errors ?? []) {
    const match = /^\/?(querystring|params)[/.](.+)$/.exec(error.path);
    if (match && !named.has(match[2]!)) named.set(match[2]!, error.message);
  }
  const parts = [...named].slice(0, 3).map(([name, message]) => `${name}: ${message}`);
  return parts.length > 0 ? `${title} (${parts.join('; ')})` : title;
}

export function problemToHttpError(status: number, statusText: string, body: unknown): HttpError {
  if (!isProblemDetails(body)) {
    return new HttpError(statusText || `HTTP ${status}`, status, body);
  }
  const fieldErrors: Record<string, string | { serverError: string }> = {};
  for (const error of body.errors ?? []) {
    const name = toFieldName(error.path);
    // The first message per field is the one a user can act on; later ones repeat the constraint.
    if (name && !(name in fieldErrors)) fieldErrors[name] = error.message;
  }
  // A stale write gets a message that says what to do (translated by react-admin's notification).
  const message =
    body.code === 'MCART_ERR_STALE_WRITE'
      ? 'mcart.live.stale_write'
      : (body.detail ?? withQueryErrors(body.title, body.errors));
  const { errors, ...rest } = body;
  const errorBody: ProblemErrorBody = { ...rest };
  if (errors && errors.length > 0) {
    errorBody.fieldErrors = errors;
    errorBody.errors = { ...fieldErrors, root: { serverError: message } };
  }
  return new HttpError(message, status, errorBody);
}
