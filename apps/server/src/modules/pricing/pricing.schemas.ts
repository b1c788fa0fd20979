import { Type, type Static } from '@sinclair/typebox';
import { listOf, listQuery, SingleLine } from '../../platform/schemas.ts';
import { DISCOUNT_TYPES } from './pricing.entities.ts';

const Uuid = Type.String({ format: 'uuid' });
const DiscountTypeDto = Type.Union(DISCOUNT_TYPES.map((t) => Type.Literal(t)));
const DateTime = Type.String({ format: 'date-time' });
const Ids = Type.Array(Uuid, { maxItems: 1000 });
/** Use counts are int columns (PostgreSQL's largest int): a larger limit could not be stored. */
const MAX_USES = 2_147_483_647;

const SaleFields = {
  name: SingleLine({ maxLength: 200 }),
  discountType: DiscountTypeDto,
  discountValue: Type.Integer({
    minimum: 1,
    maximum: 2_000_000_000,
    description: 'Percent (1-100) or an amount off in minor units',
  }),
  startsAt: DateTime,
  endsAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  productIds: Type.Optional(Ids),
  variantIds: Type.Optional(Ids),
  categoryIds: Type.Optional(Ids),
};
export const CreateSaleBody = Type.Object(SaleFields, { $id: 'CreateSaleBody', additionalProperties: false });
export type CreateSaleBody = Static<typeof CreateSaleBody>;
export const UpdateSaleBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), ...Type.Partial(Type.Object(SaleFields)).properties },
  { $id: 'UpdateSaleBody', additionalProperties: false },
);
export type UpdateSaleBody = Static<typeof UpdateSaleBody>;
export const SaleDto = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    discountType: DiscountTypeDto,
    discountValue: Type.Integer(),
    startsAt: DateTime,
    endsAt: Type.Union([DateTime, Type.Null()]),
    productIds: Type.Array(Type.String()),
    variantIds: Type.Array(Type.String()),
    categoryIds: Type.Array(Type.String()),
    state: Type.Union([Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('ended')]),
    version: Type.Integer(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'SaleDto' },
);
export const SaleListQuery = listQuery(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    state: Type.Optional(
      Type.Union([Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('ended')]),
    ),
  },
  ['name', 'startsAt', 'endsAt', 'createdAt'],
);
export type SaleListQuery = Static<typeof SaleListQuery>;
export const SaleList = listOf(SaleDto);

const CodeFields = {
  code: Type.String({
    pattern: '^[A-Za-z0-9_-]{3,64}$',
    description: 'Letters, digits, _ and -; compared case-insensitively',
  }),
  description: Type.Optional(Type.String({ maxLength: 300 })),
  discountType: DiscountTypeDto,
  discountValue: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
  minSubtotal: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000_000 })),
  usageLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_USES }), Type.Null()])),
  perCustomerLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_USES }), Type.Null()])),
  startsAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  endsAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
};
export const CreateDiscountCodeBody = Type.Object(CodeFields, {
  $id: 'CreateDiscountCodeBody',
  additionalProperties: false,
});
export type CreateDiscountCodeBody = Static<typeof CreateDiscountCodeBody>;
export const UpdateDiscountCodeBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), ...Type.Partial(Type.Object(CodeFields)).properties },
  { $id: 'UpdateDiscountCodeBody', additionalProperties: false },
);
export type UpdateDiscountCodeBody = Static<typeof UpdateDiscountCodeBody>;
export const DiscountCodeDto = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    description: Type.String(),
    discountType: DiscountTypeDto,
    discountValue: Type.Integer(),
    minSubtotal: Type.Integer(),
    usageLimit: Type.Union([Type.Integer(), Type.Null()]),
    usageCount: Type.Integer(),
    perCustomerLimit: Type.Union([Type.Integer(), Type.Null()]),
    startsAt: Type.Union([DateTime, Type.Null()]),
    endsAt: Type.Union([DateTime, Type.Null()]),
    active: Type.Boolean(),
    version: Type.Integer(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'DiscountCodeDto' },
);
export const DiscountCodeListQuery = listQuery(
  { q: Type.Optional(Type.String({ maxLength: 64 })), active: Type.Optional(Type.Boolean()) },
  ['code', 'createdAt', 'endsAt', 'usageCount'],
);
export type DiscountCodeListQuery = Static<typeof DiscountCodeListQuery>;
export const DiscountCodeList = listOf(DiscountCodeDto);
