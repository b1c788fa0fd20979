import { Type, type TSchema } from '@sinclair/typebox';

/** Reference to the shared problem+json schema, for `response: { 4xx: ProblemRef }`. */
export const ProblemRef = Type.Ref('ProblemDto');

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
