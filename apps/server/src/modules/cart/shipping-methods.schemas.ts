import { Type, type Static } from '@sinclair/typebox';
import { listOf, listQuery } from '../../platform/schemas.ts';
import { Money } from './cart.schemas.ts';

/** The largest amount a PostgreSQL integer (the column, and the order totals it feeds) can hold. */
export const MAX_SHIPPING_AMOUNT = 2_147_483_647;

const DateTime = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const Kind = Type.Union([Type.Literal('flat'), Type.Literal('free_over')], {
  description:
    '`flat`: always `amount`; `free_over`: `amount`, or free once the goods (after discount) reach `freeOverAmount`',
});
const MoneyBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: MAX_SHIPPING_AMOUNT, description: 'Minor units' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: "The store's currency" }),
  },
  { additionalProperties: false },
);

const ShippingMethodFields = {
  code: Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$',
    description: 'Letters, digits, _ and - (1-32), kept in lower case; unique',
  }),
  name: Type.String({ minLength: 1, maxLength: 120, description: 'What shoppers see' }),
  kind: Kind,
  amount: MoneyBody,
  freeOverAmount: Type.Optional(
    Type.Union([MoneyBody, Type.Null()], { description: 'Required for `free_over`, null for `flat`' }),
  ),
  isDefault: Type.Optional(
    Type.Boolean({
      description:
        'The method a cart gets until the shopper chooses; making one default unsets the previous one',
    }),
  ),
  active: Type.Optional(
    Type.Boolean({ description: 'Inactive methods are not offered and refused at checkout' }),
  ),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Store display order' })),
};

export const CreateShippingMethodBody = Type.Object(ShippingMethodFields, {
  $id: 'CreateShippingMethodBody',
  additionalProperties: false,
});
export type CreateShippingMethodBody = Static<typeof CreateShippingMethodBody>;

export const UpdateShippingMethodBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version edited: a stale one is refused (409)' }),
    ),
    ...Type.Partial(Type.Object(ShippingMethodFields)).properties,
  },
  { $id: 'UpdateShippingMethodBody', additionalProperties: false },
);
export type UpdateShippingMethodBody = Static<typeof UpdateShippingMethodBody>;

export const AdminShippingMethodDto = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    kind: Kind,
    amount: Money,
    freeOverAmount: Type.Union([Money, Type.Null()]),
    isDefault: Type.Boolean(),
    active: Type.Boolean(),
    sort: Type.Integer(),
    version: Type.Integer(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'AdminShippingMethodDto' },
);

export const SHIPPING_METHOD_SORTS = ['sort', 'name', 'code', 'amount', 'createdAt', 'updatedAt'] as const;
export const ShippingMethodListQuery = listQuery(
  {
    q: Type.Optional(Type.String({ maxLength: 120, description: 'Part of the code or the name' })),
    active: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Kind),
    id: Type.Optional(Type.Array(Uuid, { maxItems: 500, description: 'These methods only (repeat `id`)' })),
  },
  SHIPPING_METHOD_SORTS,
);
export type ShippingMethodListQuery = Static<typeof ShippingMethodListQuery>;
export const AdminShippingMethodList = listOf(AdminShippingMethodDto);
