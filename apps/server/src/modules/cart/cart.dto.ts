import type { CartView, ShippingMethod } from './cart.service.ts';
import { money } from './cart.schemas.ts';

export const toShippingMethodDto = (method: ShippingMethod, currency: string) => ({
  id: method.id,
  code: method.code,
  name: method.name,
  kind: method.kind,
  amount: money(method.amount, currency),
  freeOverAmount: method.freeOverAmount === null ? null : money(method.freeOverAmount, currency),
  isDefault: method.isDefault,
});

export function toCartDto(cart: CartView) {
  const c = cart.currency;
  return {
    id: cart.id,
    status: cart.status === 'completed' ? ('completed' as const) : ('open' as const),
    orderId: cart.orderId,
    items: cart.items.map((item) => ({
      id: item.id,
      variantId: item.variantId,
      productId: item.productId,
      sku: item.sku,
      title: item.title,
      productTitle: item.productTitle,
      quantity: item.quantity,
      unitPrice: money(item.unitPrice, c),
      regularPrice: money(item.regularPrice, c),
      total: money(item.total, c),
      purchasable: item.purchasable,
      inStock: item.inStock,
    })),
    itemCount: cart.items.reduce((sum, item) => sum + item.quantity, 0),
    discountCode: cart.discountCode,
    discountProblem: cart.discountProblem,
    shippingMethod: cart.shippingMethod ? toShippingMethodDto(cart.shippingMethod, c) : null,
    totals: {
      subtotal: money(cart.totals.subtotal, c),
      discount: money(cart.totals.discount, c),
      shipping: money(cart.totals.shipping, c),
      tax: money(cart.totals.tax, c),
      total: money(cart.totals.total, c),
    },
    priceChanges: cart.priceChanges.map((change) => ({
      itemId: change.itemId,
      variantId: change.variantId,
      previous: money(change.previous, c),
      current: money(change.current, c),
    })),
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
}
