/**
 * Cart and order totals in integer minor units. Rounding (documented in docs/adr, "money and tax"):
 * - discount is capped at the subtotal;
 * - shipping: a flat amount, or free when subtotal - discount reaches the method's threshold;
 * - tax is computed once on the whole taxable amount (subtotal - discount + shipping), not per line,
 *   rounded half up to the minor unit:
 *     prices exclude tax: tax = round(taxable * rate / 10000), total = taxable + tax
 *     prices include tax: tax = taxable - round(taxable * 10000 / (10000 + rate)), total = taxable
 */
export interface ShippingRate {
  kind: 'flat' | 'free_over';
  amount: number;
  freeOverAmount: number | null;
}

export interface Totals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

/** round(numerator / denominator) half up, exact for any safe integers (BigInt inside). */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d));
}

export function shippingFor(rate: ShippingRate | null, goods: number): number {
  if (!rate) return 0;
  if (rate.kind === 'free_over' && rate.freeOverAmount !== null && goods >= rate.freeOverAmount) return 0;
  return rate.amount;
}

export function computeTotals(input: {
  lines: { unitPrice: number; quantity: number }[];
  discount: number;
  shipping: ShippingRate | null;
  taxRateBps: number;
  pricesIncludeTax: boolean;
  /** An empty cart ships nothing. */
}): Totals {
  const subtotal = input.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const discount = Math.min(Math.max(0, input.discount), subtotal);
  const shipping = subtotal > 0 ? shippingFor(input.shipping, subtotal - discount) : 0;
  const taxable = subtotal - discount + shipping;
  if (input.pricesIncludeTax) {
    const net = divideRoundHalfUp(taxable * 10_000, 10_000 + input.taxRateBps);
    return { subtotal, discount, shipping, tax: taxable - net, total: taxable };
  }
  const tax = divideRoundHalfUp(taxable * input.taxRateBps, 10_000);
  return { subtotal, discount, shipping, tax, total: taxable + tax };
}

/**
 * What the customer paid for `goods` (unit price × quantity of some of an order's lines), by the rules of
 * `computeTotals`: less their share of the order's discount, plus their tax when prices exclude it. A refund by
 * line gives back this, not the bare unit prices (which, with prices excluding tax, would keep the tax paid).
 */
export function paidForGoods(
  order: { subtotal: number; discountTotal: number; taxRateBps: number; pricesIncludeTax: boolean },
  goods: number,
): number {
  if (goods <= 0 || order.subtotal <= 0) return 0;
  const net = goods - divideRoundHalfUp(goods * order.discountTotal, order.subtotal);
  return order.pricesIncludeTax ? net : net + divideRoundHalfUp(net * order.taxRateBps, 10_000);
}
