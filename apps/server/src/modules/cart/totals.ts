/**
 * Cart and order totals in integer minor units. Rounding (documented in docs/adr, "money and tax"):
 * - discount is capped at the subtotal;
 * - shipping: a flat amount, or free when subtotal - discount reaches the method's threshold; an empty cart
 *   ships nothing, but goods that cost nothing (priced 0, a 100% sale) still ship at the rate;
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
}): Totals {
  const subtotal = input.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const discount = Math.min(Math.max(0, input.discount), subtotal);
  // An empty cart ships nothing; goods ship at the method's rate even when they cost nothing (a variant priced
  // 0, a 100% sale): the parcel goes out all the same.
  const shipping = input.lines.length > 0 ? shippingFor(input.shipping, subtotal - discount) : 0;
  const taxable = subtotal - discount + shipping;
  if (input.pricesIncludeTax) {
    const net = divideRoundHalfUp(taxable * 10_000, 10_000 + input.taxRateBps);
    return { subtotal, discount, shipping, tax: taxable - net, total: taxable };
  }
  const tax = divideRoundHalfUp(taxable * input.taxRateBps, 10_000);
  return { subtotal, discount, shipping, tax, total: taxable + tax };
}

/** The figures of a placed order that price its goods as the customer paid them. */
export interface OrderFigures {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  pricesIncludeTax: boolean;
}

/**
 * What the customer paid for the first `goods` of an order's goods (unit price × quantity, counted cumulatively
 * over its refunds by line): less their pro rata share of the discount, plus, when prices exclude tax, their
 * pro rata share of the tax the order charged (tax is rounded once per order, so shares of the rate would not
 * add up to it). Exact at the ends: nothing for 0, and for the whole subtotal what the goods were charged, the
 * rest of the total being shipping and its tax. Never decreases as `goods` grows.
 */
export function paidForGoodsUpTo(order: OrderFigures, goods: number): number {
  if (goods <= 0 || order.subtotal <= 0) return 0;
  const net = goods - discountShareUpTo(order, goods);
  if (order.pricesIncludeTax) return net;
  const taxable = order.subtotal - order.discountTotal + order.shippingTotal;
  return taxable > 0 ? net + divideRoundHalfUp(net * order.taxTotal, taxable) : net;
}

/** The pro rata share of the order's discount of its first `goods` (rounded half up; all of it for the subtotal). */
export function discountShareUpTo(order: OrderFigures, goods: number): number {
  return goods <= 0 || order.subtotal <= 0
    ? 0
    : divideRoundHalfUp(goods * order.discountTotal, order.subtotal);
}

/**
 * A refund by line of `goods` when `before` of the order's goods were refunded by line already: the running
 * difference of `paidForGoodsUpTo`, so the refunds of every unit add up to exactly what the goods were charged,
 * whatever the order of the refunds and however each rounds.
 */
export function refundForGoods(order: OrderFigures, before: number, goods: number): number {
  return paidForGoodsUpTo(order, before + goods) - paidForGoodsUpTo(order, before);
}

/**
 * What a refund by line gives back (ADR 0044): what the order's goods refunded by line, this refund's units
 * included, were charged (`paidForGoodsUpTo(refundedGoodsAfter)`) less the money refunded by line so far
 * (`orders.line_refunded_total`: what the reservations by line added, less what failed at the gateway gave
 * back). Priced against the money actually given back rather than against the goods before, so a refund by
 * line that fails while another is priced on top of its units does not break the sum: the refunds of every
 * unit by line add up to exactly what the goods were charged, whatever the order, sizes and failures of the
 * refunds. Never negative (the caller also caps it at what is left of the order).
 */
export function lineRefund(
  order: OrderFigures,
  refundedGoodsAfter: number,
  refundedByLineSoFar: number,
): number {
  return Math.max(0, paidForGoodsUpTo(order, refundedGoodsAfter) - refundedByLineSoFar);
}
