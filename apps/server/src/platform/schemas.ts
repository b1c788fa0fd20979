import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import { Type, type TSchema } from '@sinclair/typebox';

/**
 * A `preValidation` hook for routes whose body is optional: a client (a button, a social-only account) that
 * sends no body at all sends an empty one, validated as `{}` rather than refused with a 400.
 */
export const emptyBodyIsEmpty = async (request: { body: unknown }): Promise<void> => {
  request.body ??= {};
};

/**
 * What one line of text may not hold: the control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F,
 * i.e. line feeds, carriage returns, tabs, escapes, NEL) and the line and paragraph separators (U+2028, U+2029),
 * which start a new line in a plain-text e-mail, a label or a log as well. Spelled as code point ranges rather
 * than `\p{Cc}` (the same set: the server's Ajv compiles patterns with the `u` flag) so that a client reading
 * the published pattern without that flag reads the same thing, not the letters p, C, c.
 */
const NOT_IN_A_LINE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/** `SingleLine({ blank: true })`: no control characters (errors.ts words a failure). */
export const SINGLE_LINE_PATTERN = `^[^${NOT_IN_A_LINE}]*$`;
/**
 * `SingleLine()`: not blank (as `pattern: '\\S'`) and no control characters, in one pattern that stays linear
 * on any input (a 1 MB body cannot make it backtrack). errors.ts says which of the two is wrong.
 */
export const NOT_BLANK_SINGLE_LINE_PATTERN = `^(?!\\s*$)[^${NOT_IN_A_LINE}]*$`;

/**
 * A single line of free text (a name, an address line, a city): no line breaks, tabs or other control
 * characters, which would put text of the sender's choosing on lines of its own in the e-mails, labels and
 * documents that print it. Required and not blank unless `blank: true` (for optional fields that are trimmed
 * and left out when blank). 400 MCART_ERR_VALIDATION naming the field: "must not be blank", or "must not hold
 * line breaks, tabs or other control characters".
 */
export const SingleLine = ({
  blank = false,
  ...options
}: {
  maxLength: number;
  minLength?: number;
  blank?: boolean;
  description?: string;
}) =>
  Type.String({
    ...(blank ? {} : { minLength: 1 }),
    ...options,
    pattern: blank ? SINGLE_LINE_PATTERN : NOT_BLANK_SINGLE_LINE_PATTERN,
  });

/** Reference to the shared problem+json schema, for `response: { 4xx: ProblemRef }`. */
export const ProblemRef = Type.Ref('ProblemDto');
/** Routes that take no query parameters refuse any (a misspelt filter would otherwise be silently ignored). */
export const NoQuery = Type.Object({}, { additionalProperties: false });
/** Routes that take no body: none, `{}`, or a 400 naming each unknown field (with `emptyBodyIsEmpty`). */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** Money is integer minor units plus an ISO 4217 code. Never floating point. */
export const MoneyDto = Type.Object(
  { amount: Type.Integer(), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { $id: 'MoneyDto' },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

/** The one list convention: page (1-based), perPage, sort, order. Answer: `{ data, total }`. */
export const listQuery = <T extends Record<string, TSchema>>(filters: T, sortFields: readonly string[]) =>
  Type.Object(
    {
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
      perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 25 })),
      sort: Type.Optional(Type.Union(sortFields.map((field) => Type.Literal(field)))),
      order: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')])),
      ...filters,
    },
    { additionalProperties: false },
  );

export const listOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), total: Type.Integer() });

/** `2026-12-01`, `2026-12-01T08:30`, `2026-12-01 08:30:00.5+01:00`: a date, or a date and time (UTC unless an offset says). */
const DATE_OR_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * The `date-or-time` format (registered with the validator in app.ts): the shape above and a real calendar
 * date and clock time. The shape alone let `2026-13-45` through to PostgreSQL, which refused it mid-request.
 */
export function isDateOrTime(value: string): boolean {
  const m = DATE_OR_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const offsetOk = !m[8] || (Number(m[8]) <= 15 && Number(m[9]) < 60);
  return isCalendarDate(year!, month!, day!) && hour < 24 && minute < 60 && second < 60 && offsetOk;
}

/** A day that exists, from year 1 (PostgreSQL has no year 0: `0000-01-01` is refused mid-statement). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?)$/;

/**
 * The standard formats as PostgreSQL (and the mailer) take them, replacing ajv-formats' (which Fastify's compiler
 * adds): its `uuid` also takes `urn:uuid:<uuid>`, and its `date`/`date-time` the year 0000; PostgreSQL refuses
 * both, so they reached it and failed mid-request instead of being refused with the field named.
 */
export const STRICT_FORMATS = {
  uuid: UUID,
  // ajv-formats' fast `email` takes a domain without a dot (`ann@localhost`), which the mailer refuses: a shopper
  // who checked out with one was never told of their order. Its full form, which needs one, as the mailer does.
  email:
    /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
  date: (value: string) => {
    const m = DATE.exec(value);
    return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  'date-time': (value: string) => {
    const m = DATE_TIME.exec(value);
    if (!m) return false;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
    // A leap second (…:60) is RFC 3339's and PostgreSQL takes it (as the next second).
    const offsetOk = !m[7] || (Number(m[7]) <= 15 && Number(m[8] ?? 0) < 60);
    return isCalendarDate(year!, month!, day!) && hour! < 24 && minute! < 60 && second! <= 60 && offsetOk;
  },
} as const;

/**
 * A `date-or-time` value as an instant JavaScript reads the same way SQL does: without an offset it is UTC, as
 * documented (SQL sessions run in UTC, platform/pg-session.ts; `Date.parse` would read a time without an offset
 * in the process's zone).
 */
export function utcInstant(value: string): string {
  const m = DATE_OR_TIME.exec(value);
  if (!m || m[7]) return value;
  return m[4] === undefined ? `${value}T00:00:00Z` : `${value}Z`;
}

/**
 * The validator's options, the app's and its tests': every error reported, unknown fields refused. These
 * coerce types, which query strings, path parameters and headers need (all of them arrive as text); request
 * bodies are validated without coercion (`partAwareValidatorBuilder`).
 */
export const AJV_OPTIONS = {
  // Unknown fields are refused (no mass assignment), not silently dropped.
  removeAdditional: false,
  coerceTypes: 'array',
  useDefaults: true,
  allErrors: true,
  formats: { 'date-or-time': isDateOrTime },
} as const;

/** Fastify's `ajv` option: AJV_OPTIONS, and STRICT_FORMATS over ajv-formats' (added after the options). */
export const AJV_SERVER_OPTIONS = {
  customOptions: AJV_OPTIONS,
  onCreate: (ajv: {
    addFormat: (name: string, format: RegExp | ((value: string) => boolean)) => unknown;
  }) => {
    for (const [name, format] of Object.entries(STRICT_FORMATS)) ajv.addFormat(name, format);
  },
};

/**
 * Fastify's validator builder (`schemaController.compilersFactory.buildValidator`, app.ts) with one validator
 * for request bodies and one for the rest. Both come from Fastify's own compiler (@fastify/ajv-compiler: its
 * defaults, ajv-formats, the schemas added with `addSchema`, its pool of Ajv instances) given the server's
 * `ajv` option (AJV_OPTIONS); the body one has `coerceTypes: false` and nothing else changed.
 *
 * JSON has types of its own, so a body with `true`, `[3]`, `"2"` or `"1e2"` where a number is declared is
 * refused (400 naming the field, e.g. body/delta), not read as 1, 3, 2 or 100; nor is `null` read as 0, "" or
 * false, nor a lone value as a one-item array. Query strings, path parameters and headers arrive as text and
 * keep the coercion. No route declares a body schema for a non-JSON body (the multipart uploads read their
 * parts themselves; the webhooks take raw bytes), so no body needs coercion.
 */
export function partAwareValidatorBuilder(): ValidatorFactory {
  const fromPool = AjvCompiler();
  return (externalSchemas, ajv) => {
    const coercing = fromPool(externalSchemas, ajv);
    const strict = fromPool(externalSchemas, {
      ...ajv,
      customOptions: { ...ajv?.customOptions, coerceTypes: false },
    } as typeof ajv);
    return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
  };
}

/** A query bound that is a date or a date-time (see `isDateOrTime`). */
export const DateOrTime = (description: string) =>
  Type.String({ format: 'date-or-time', maxLength: 40, description: `${description} (date or date-time)` });
