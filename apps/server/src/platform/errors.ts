import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Type, type Static } from '@sinclair/typebox';
import pg from 'pg';
import { stdSerializers } from 'pino';
import { NOT_BLANK_SINGLE_LINE_PATTERN, SINGLE_LINE_PATTERN } from './schemas.ts';

/** RFC 9457 problem details, as every error leaves the server. */
export const ProblemDto = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'ProblemDto', additionalProperties: true },
);
export type Problem = Static<typeof ProblemDto>;
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An expected failure with a stable code. Services throw these; the one error handler turns them into
 * application/problem+json. `extra` carries additional, safe-to-show members (e.g. the short variants).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

/**
 * The same error said about one field: `err` (an AppError without field details) with `path` as its field,
 * `message` there (default: its detail), and optionally a new `detail`. Anything else is returned as it is.
 */
export function onField(err: unknown, path: string, message?: string, detail?: string): unknown {
  if (!(err instanceof AppError) || err.errors?.length) return err;
  const said = detail ?? err.detail;
  return new AppError(
    err.code,
    err.status,
    err.title,
    said,
    [{ path, message: message ?? said ?? err.title }],
    err.extra,
  );
}

/** Declares an error kind once: `const OutOfStock = defineError('MCART_ERR_OUT_OF_STOCK', 409, 'Out of stock')`. */
export function defineError(
  code: string,
  status: number,
  title: string,
  /** The field errors an error of this kind names when its caller gives none (the field it is always about). */
  defaults?: { errors: FieldError[] },
) {
  const make = (detail?: string, extra?: { errors?: FieldError[] } & Record<string, unknown>) => {
    const { errors, ...rest } = extra ?? {};
    return new AppError(
      code,
      status,
      title,
      detail,
      errors ?? defaults?.errors,
      Object.keys(rest).length ? rest : undefined,
    );
  };
  return Object.assign(make, { code, status, title });
}

export const CommonErrors = {
  validation: defineError('MCART_ERR_VALIDATION', 400, 'The request is not valid'),
  malformedJson: defineError('MCART_ERR_MALFORMED_JSON', 400, 'The request body is not valid JSON', {
    errors: [{ path: 'body', message: 'is not valid JSON' }],
  }),
  unauthorized: defineError('MCART_ERR_UNAUTHORIZED', 401, 'Authentication required'),
  forbidden: defineError('MCART_ERR_FORBIDDEN', 403, 'Not allowed'),
  notFound: defineError('MCART_ERR_NOT_FOUND', 404, 'Not found'),
  conflict: defineError('MCART_ERR_CONFLICT', 409, 'Conflict'),
  staleWrite: defineError('MCART_ERR_STALE_WRITE', 409, 'The record was changed by someone else'),
  bodyTooLarge: defineError('MCART_ERR_BODY_TOO_LARGE', 413, 'The request body is too large', {
    errors: [{ path: 'body', message: 'is too large' }],
  }),
  unsupportedMediaType: defineError('MCART_ERR_UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported content type', {
    errors: [{ path: 'headers/content-type', message: 'is not a type this route takes (application/json)' }],
  }),
  rateLimited: defineError('MCART_ERR_RATE_LIMITED', 429, 'Too many requests'),
  /** A single-use link's token, as every link route takes it (`body/token`): unknown, used or expired. */
  invalidToken: defineError('MCART_ERR_INVALID_TOKEN', 400, 'The link is invalid, used or expired', {
    errors: [{ path: 'body/token', message: 'is invalid, used or expired' }],
  }),
  internal: defineError('MCART_ERR_INTERNAL', 500, 'Internal server error'),
  unavailable: defineError('MCART_ERR_UNAVAILABLE', 503, 'Service unavailable'),
  timedOut: defineError('MCART_ERR_TIMEOUT', 503, 'The request took too long and was stopped'),
};

const problemType = (code: string) =>
  `https://mcart.dev/problems/${code.replace(/^MCART_ERR_/, '').toLowerCase()}`;

export function toProblem(error: AppError, instance?: string): Problem {
  return {
    ...(error.extra ?? {}),
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

type AjvError = NonNullable<FastifyError['validation']>[number] & { schemaPath?: string };

/** The value a validation error is about: in the request part it names, along its JSON pointer. */
function valueAt(request: FastifyRequest | undefined, context: string, pointer: string): unknown {
  if (!request) return undefined;
  const parts: Record<string, unknown> = {
    body: request.body,
    querystring: request.query,
    params: request.params,
    headers: request.headers,
  };
  let value = parts[context];
  for (const segment of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

const CONTROL_CHARACTERS = 'must not hold line breaks, tabs or other control characters';

/**
 * A `SingleLine` field's failure in words (platform/schemas.ts): blank, or holding control characters. One
 * pattern says both; the value tells which (a blank one is "must not be blank", whatever blanks it holds).
 */
function singleLineMessage(pattern: string, value: unknown): string {
  if (pattern === SINGLE_LINE_PATTERN) return CONTROL_CHARACTERS; // blank is allowed there
  if (typeof value === 'string') return /\S/.test(value) ? CONTROL_CHARACTERS : 'must not be blank';
  return 'must not be blank or hold line breaks, tabs or other control characters';
}

/**
 * Ajv's errors as `{ path, message }`, path in JSON-pointer style relative to the part that failed.
 *
 * With `allErrors`, a value that matches no branch of an `anyOf` gets one error per branch plus the `anyOf`'s own
 * ("must be equal to constant" once per allowed value, then "must match a schema in anyOf"). Those are folded:
 * a union of constants becomes one "must be one of: ..." error; a nullable value keeps only what is wrong with its
 * non-null branch.
 */
function validationErrors(error: FastifyError, request?: FastifyRequest): FieldError[] {
  const context = error.validationContext ?? 'body';
  const items = (error.validation ?? []) as AjvError[];
  const dropped = new Set<AjvError>();
  const folded = new Map<AjvError, string>();
  for (const union of items) {
    if (union.keyword !== 'anyOf' || !union.schemaPath) continue;
    const prefix = `${union.schemaPath}/`;
    const branches = items.filter(
      (item) =>
        item !== union &&
        item.schemaPath?.startsWith(prefix) &&
        item.instancePath.startsWith(union.instancePath),
    );
    const isNull = (item: AjvError) =>
      item.keyword === 'type' &&
      (item.params as { type?: unknown }).type === 'null' &&
      item.instancePath === union.instancePath;
    const isConst = (item: AjvError) => item.keyword === 'const' && item.instancePath === union.instancePath;
    if (branches.length > 0 && branches.every((item) => isConst(item) || isNull(item))) {
      const allowed = branches
        .filter(isConst)
        .map((item) => JSON.stringify((item.params as { allowedValue?: unknown }).allowedValue));
      if (branches.some(isNull)) allowed.push('null');
      for (const item of branches) dropped.add(item);
      folded.set(union, `must be one of: ${allowed.join(', ')}`);
    } else if (branches.some(isNull) && branches.some((item) => !isNull(item))) {
      for (const item of branches) if (isNull(item)) dropped.add(item);
      dropped.add(union);
    }
  }
  return items
    .filter((item) => !dropped.has(item))
    .map((item) => {
      const params = item.params as Record<string, unknown>;
      let path = item.instancePath || '';
      if (item.keyword === 'required' && typeof params.missingProperty === 'string') {
        path = `${path}/${params.missingProperty}`;
      }
      if (item.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
        path = `${path}/${params.additionalProperty}`;
        return { path: `${context}${path}`, message: 'is not allowed' };
      }
      // `pattern: '\\S'` is how a schema says "not blank": said so, not as a regular expression.
      if (item.keyword === 'pattern' && params.pattern === '\\S')
        return { path: `${context}${path}`, message: 'must not be blank' };
      if (
        item.keyword === 'pattern' &&
        (params.pattern === NOT_BLANK_SINGLE_LINE_PATTERN || params.pattern === SINGLE_LINE_PATTERN)
      ) {
        const message = singleLineMessage(params.pattern, valueAt(request, context, path));
        return { path: `${context}${path}`, message };
      }
      return { path: `${context}${path}`, message: folded.get(item) ?? item.message ?? 'is invalid' };
    });
}

/** knex's pool (the ORM), as the error's message starts; MikroORM wraps it in a `DriverException` for queries. */
const KNEX_ACQUIRE_TIMEOUT = 'Knex: Timeout acquiring a connection';
/** pg-pool's (the read pool, `app.readPool`) when no client became free within its `connectionTimeoutMillis`. */
const PG_POOL_TIMEOUT = 'timeout exceeded when trying to connect';

/**
 * A request that waited for a pooled database connection until the pool gave up: knex's `KnexTimeoutError`
 * (raw from `em.transactional`, wrapped in a `DriverException` with its message from queries) or pg-pool's.
 */
export function isPoolWaitTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.message.startsWith(KNEX_ACQUIRE_TIMEOUT) || error.message === PG_POOL_TIMEOUT;
}

/** Node's network errors of a connection that could not be opened or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/** `pg`'s own words for a connection lost or never opened in time. */
const PG_CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|timeout expired|Connection terminated due to connection timeout)/;

/**
 * The database cannot be reached (down, restarting, a failover, the network): the request never ran or its
 * transaction was rolled back. Like a full pool it is an outage to retry, 503 with Retry-After, not a 500: a
 * balancer or client retries a 503, and an alert on 5xx codes tells the two apart. SQLSTATE class 08
 * (connection exception), 57P01-57P03 (the server shutting down or starting), 53300 (no connection slot left), a
 * database not accepting connections.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, sqlState } = error as { code?: unknown; sqlState?: unknown };
  const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' ? code : '';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (/^08...$/.test(state) || ['57P01', '57P02', '57P03', '53300'].includes(state)) return true;
  // A database closed to new connections (ALLOW_CONNECTIONS false, e.g. during maintenance): 55000 is a broad
  // class, so only with PostgreSQL's words for this case.
  if (state === '55000' && /is not currently accepting connections/.test(error.message)) return true;
  return PG_CONNECTION_LOST.test(error.message);
}

/**
 * Maps anything thrown to an AppError; unknown errors become a bare 500. With the request, a validation error
 * can word a failure by the value that failed (see `singleLineMessage`).
 */
export function classifyError(
  error: unknown,
  request?: FastifyRequest,
): { appError: AppError; unexpected: boolean } {
  if (error instanceof AppError) return { appError: error, unexpected: false };
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) {
    return {
      appError: CommonErrors.validation(undefined, { errors: validationErrors(fastifyError, request) }),
      unexpected: false,
    };
  }
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { appError: CommonErrors.malformedJson(fastifyError.message), unexpected: false };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { appError: CommonErrors.bodyTooLarge(), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { appError: CommonErrors.unsupportedMediaType(fastifyError.message), unexpected: false };
    case 'FST_ERR_BAD_URL':
      // A path that is not valid percent-encoding (`/api/store/products/%FF`): it cannot name anything.
      return {
        appError: new AppError('MCART_ERR_BAD_REQUEST', 400, 'Bad request', 'The URL is not valid', [
          { path: 'url', message: 'is not valid percent-encoding' },
        ]),
        unexpected: false,
      };
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
    case 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED':
    case 'FST_JWT_BAD_REQUEST':
    case 'FST_JWT_BAD_COOKIE_REQUEST':
      return {
        appError: CommonErrors.unauthorized('The access token is missing, invalid or expired'),
        unexpected: false,
      };
  }
  if (error instanceof UniqueConstraintViolationException) {
    return {
      appError: CommonErrors.conflict('A record with the same unique value already exists'),
      unexpected: false,
    };
  }
  if (error instanceof OptimisticLockError) {
    return {
      appError: CommonErrors.staleWrite('Reload the record and apply your change again'),
      unexpected: false,
    };
  }
  // Text PostgreSQL cannot store (U+0000, bytes that are not UTF-8) that got past the request checks.
  const sqlState = (error as { code?: unknown; sqlState?: unknown })?.sqlState ?? fastifyError?.code;
  if (sqlState === '22021' || sqlState === '22P05') {
    return {
      appError: CommonErrors.validation(
        'The text contains characters that cannot be stored (such as U+0000)',
      ),
      unexpected: false,
    };
  }
  // A value PostgreSQL cannot take that the request checks let through (a number out of its column's range, a
  // date out of its calendar, text that is not a uuid): the request's, so 400, nothing written. The checks
  // should name the field first; this keeps a gap among them from answering 500.
  if (sqlState === '22003' || sqlState === '22008' || sqlState === '22007' || sqlState === '22P02') {
    return {
      appError: CommonErrors.validation('A value is out of range or not in a form that can be stored'),
      unexpected: false,
    };
  }
  // Every pooled connection busy for longer than the pool lets a request wait (DATABASE_ACQUIRE_TIMEOUT_MS):
  // the statement or transaction that needed one never ran. The instance is saturated, not broken: a 503
  // with Retry-After, not a 500.
  if (isPoolWaitTimeout(error)) {
    return {
      appError: CommonErrors.unavailable('No database connection became free in time; retry shortly'),
      unexpected: false,
    };
  }
  if (isDatabaseUnreachable(error)) {
    return {
      appError: CommonErrors.unavailable('The database cannot be reached; retry shortly'),
      unexpected: false,
    };
  }
  // The statement timeout (query_canceled): nothing was written (the statement, so its transaction, failed).
  if (sqlState === '57014') {
    return {
      appError: CommonErrors.timedOut('Nothing was changed; try again, or narrow the request'),
      unexpected: false,
    };
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && !(error instanceof DriverException)) {
    // Framework 4xx (e.g. 429 from the rate limiter, 404 from static files): keep the status, give a stable code.
    const code =
      status === 429
        ? 'MCART_ERR_RATE_LIMITED'
        : status === 404
          ? 'MCART_ERR_NOT_FOUND'
          : 'MCART_ERR_BAD_REQUEST';
    return { appError: new AppError(code, status, fastifyError.message || 'Bad request'), unexpected: false };
  }
  if (status === 503) return { appError: CommonErrors.unavailable(), unexpected: false };
  return { appError: CommonErrors.internal(), unexpected: true };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { appError, unexpected } = classifyError(error, request);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    else if (appError.status >= 500) request.log.warn({ code: appError.code }, appError.title);
    if (appError.status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', '60');
    if (appError.status === 503 && !reply.getHeader('retry-after')) reply.header('retry-after', '5');
    return reply
      .status(appError.status)
      .type('application/problem+json; charset=utf-8')
      .serializer(JSON.stringify)
      .send(toProblem(appError, request.url.split('?')[0]));
  });

  app.setNotFoundHandler((request, reply) => {
    return reply
      .status(404)
      .type('application/problem+json; charset=utf-8')
      .serializer(JSON.stringify)
      .send(toProblem(CommonErrors.notFound(`No route for ${request.method} ${request.url.split('?')[0]}`)));
  });
}

/**
 * Fastify's `frameworkErrors`: the router's own refusals (a path parameter over `maxParamLength`, a URL that does
 * not decode) answered as problems like every other error, instead of Fastify's plain JSON.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError(
          'MCART_ERR_URI_TOO_LONG',
          414,
          'A path segment is too long',
          'No resource has a name that long',
        )
      : classifyError(error).appError;
  void reply
    .status(appError.status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(toProblem(appError));
}

/** Where in a request's params, query or parsed body a string holds U+0000 (PostgreSQL text cannot), or null. */
export function nulCharacterAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}/${key}`;
    const found = nulCharacterAt(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Refuses U+0000 anywhere in params, query or a parsed body: a clear 400 instead of a database error. */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const path =
      nulCharacterAt(request.params, 'params') ??
      nulCharacterAt(request.query, 'querystring') ??
      nulCharacterAt(request.body, 'body');
    if (path)
      throw CommonErrors.validation('Text may not contain the NUL character (U+0000)', {
        errors: [{ path, message: 'contains U+0000' }],
      });
  });
}

/** pg's error fields that name the schema's objects and the failing code path, never the data. */
const DATABASE_ERROR_FIELDS = [
  'code',
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
];

/**
 * The logger's `err` serializer. A database error's message carries the failing statement with its bound values
 * inlined (knex), and its `detail` the offending row ("Key (email)=(ann@example.com) already exists."): personal
 * data, secrets' hashes. Such an error is logged by its SQLSTATE, the objects it names and its stack frames only;
 * any other error as pino logs it.
 */
export function errorForLog(error: unknown): {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
} {
  const database =
    error instanceof DriverException ? error : error instanceof pg.DatabaseError ? error : undefined;
  if (!database) return stdSerializers.err(error as Error);
  const fields = database as unknown as Record<string, unknown>;
  const named = Object.fromEntries(
    DATABASE_ERROR_FIELDS.filter((key) => typeof fields[key] === 'string').map((key) => [key, fields[key]]),
  );
  const sqlState = fields.sqlState ?? fields.code;
  return {
    type: database.name,
    message: `database error ${String(sqlState)} (values withheld from the log)`,
    ...named,
    stack: (database.stack ?? '')
      .split('\n')
      .filter((line) => line.trim().startsWith('at '))
      .join('\n'),
  };
}
