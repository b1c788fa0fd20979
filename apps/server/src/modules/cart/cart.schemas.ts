import { Type } from '@sinclair/typebox';
import { DateTime } from '../inventory/inventory.schemas.ts';

/** Money: integer minor units plus the ISO currency. */
export const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
export const money = (amount: number, currency: string) => ({ amount, currency });

export const TotalsDto = Type.Object({
  subtotal: Money,
  discount: Money,
  shipping: Money,
  tax: Money,
  total: Money,
});

export const ShippingMethodDto = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('flat'), Type.Literal('free_over')]),
  amount: Money,
  freeOverAmount: Type.Union([Money, Type.Null()]),
  isDefault: Type.Boolean(),
});

export const CartItemDto = Type.Object({
  id: Type.String(),
  variantId: Type.String(),
  productId: Type.Union([Type.String(), Type.Null()]),
  sku: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  productTitle: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Money,
  regularPrice: Money,
  total: Money,
  purchasable: Type.Boolean({
    description: 'False when the product was withdrawn: remove the line to check out',
  }),
  inStock: Type.Boolean(),
});

export const CartDto = Type.Object({
  id: Type.String({ description: 'The cart id; for a guest cart it is the only key to it: keep it secret' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('completed')]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(CartItemDto),
  itemCount: Type.Integer(),
  discountCode: Type.Union([Type.String(), Type.Null()]),
  discountProblem: Type.Union([Type.String(), Type.Null()]),
  shippingMethod: Type.Union([ShippingMethodDto, Type.Null()]),
  totals: TotalsDto,
  priceChanges: Type.Array(
    Type.Object({ itemId: Type.String(), variantId: Type.String(), previous: Money, current: Money }),
    { description: 'Prices that changed since this cart was last shown (already applied to the lines)' },
  ),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const CartParams = Type.Object(
  { id: Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export const CartItemParams = Type.Object(
  {
    id: Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    itemId: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false },
);
const Quantity = Type.Integer({ minimum: 1, maximum: 999 });
export const AddItemBody = Type.Object(
  { variantId: Type.String({ format: 'uuid' }), quantity: Quantity },
  { additionalProperties: false },
);
export const UpdateItemBody = Type.Object({ quantity: Quantity }, { additionalProperties: false });
export const DiscountBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const ShippingMethodBody = Type.Object(
  { shippingMethodId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const ShippingMethodListDto = Type.Object({
  data: Type.Array(ShippingMethodDto),
  total: Type.Integer(),
});
