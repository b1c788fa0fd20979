import type { PaymentDispute, PaymentRefund } from './paymentState.ts';

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
  'returned',
] as const;

export interface Money {
  amount: number;
  currency: string;
}

/** Minor units to a display string in the user's locale (2-decimal currencies; the server stores integers). */
export function formatMoney(money: Money | undefined): string {
  if (!money) return '';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(
    money.amount / 100,
  );
}

/** An order's address snapshot or a shipment's recipient; `company` and `region` are absent on older ones. */
export interface PostalAddress {
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  /** State, province or county (US and CA: the 2-letter code). */
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
}

/**
 * The address as its country's post (and the server's label, modules/shipping/label.ts) writes it, one
 * string per line: the US, Canada and Australia put the city first ("Springfield, IL 62701", "Toronto ON
 * M5V 2T6"); elsewhere the postal code comes first ("75005 Paris") and a region gets its own line.
 */
const divideRoundHalfUp = (numerator: number, denominator: number) =>
  Number((2n * BigInt(numerator) + BigInt(denominator)) / (2n * BigInt(denominator)));

/**
 * What the order's first `goods` (unit price × quantity, counted over its refunds by line) cost the customer,
 * as the server prices them (apps/server/src/modules/cart/totals.ts `paidForGoodsUpTo`): less their pro rata
 * share of the discount, plus, when prices exclude tax, their pro rata share of the order's tax.
 */
export function paidForGoodsUpTo(
  order: Pick<OrderRecord, 'totals' | 'pricesIncludeTax'>,
  goods: number,
): number {
  const { subtotal, discount, shipping, tax } = order.totals;
  if (goods <= 0 || subtotal.amount <= 0) return 0;
  const net = goods - divideRoundHalfUp(goods * discount.amount, subtotal.amount);
  if (order.pricesIncludeTax) return net;
  const taxable = subtotal.amount - discount.amount + shipping.amount;
  return taxable > 0 ? net + divideRoundHalfUp(net * tax.amount, taxable) : net;
}

/** The goods (unit price × units) the order's lines were refunded by line so far. */
const goodsRefundedByLine = (lines: readonly Pick<OrderLine, 'unitPrice' | 'refundedQuantity'>[]) =>
  lines.reduce((sum, line) => sum + line.unitPrice.amount * (line.refundedQuantity ?? 0), 0);

/**
 * A refund by line of `goods` before the cap, as the server prices it (ADR 0044, cart/totals.ts `lineRefund`):
 * what the goods refunded by line, these included, were charged (`paidForGoodsUpTo`) less the money the order
 * refunded by line so far (`lineRefunded`). An order that does not carry that figure is priced against what its
 * units refunded by line were charged (never more than the order refunded in all), which is the same amount
 * unless a refund by line failed at the gateway while another was priced on top of it.
 */
export function refundForGoods(
  order: Pick<OrderRecord, 'totals' | 'pricesIncludeTax' | 'lineRefunded'> &
    Partial<Pick<OrderRecord, 'refunded'>> & {
      lines: Pick<OrderLine, 'unitPrice' | 'refundedQuantity'>[];
    },
  goods: number,
): number {
  if (goods <= 0) return 0;
  const before = goodsRefundedByLine(order.lines);
  const refundedByLine =
    order.lineRefunded?.amount ??
    Math.min(paidForGoodsUpTo(order, before), order.refunded?.amount ?? Number.MAX_SAFE_INTEGER);
  return Math.max(0, paidForGoodsUpTo(order, before + goods) - refundedByLine);
}

/**
 * The most the order can give back, as the server decides it (orders.service.ts `refundableTotal`): what its
 * payment captured when that is less than the total (a manual capture for less never charged the rest), else
 * the total. The order detail does not name its paying payment: the one captured payment when there is exactly
 * one; with none (not captured yet) or several, the total, and the server's answer says what it refunded.
 */
export function refundLimit(order: Pick<OrderRecord, 'totals' | 'payments'>): number {
  const total = order.totals.total.amount;
  const captured = (order.payments ?? []).filter((payment) => payment.status === 'captured');
  return captured.length === 1 ? Math.min(total, captured[0]!.capturedAmount) : total;
}

/** What is left to refund on the order: what it can give back less what was refunded (by amount or by line). */
export function refundableAmount(order: Pick<OrderRecord, 'totals' | 'refunded' | 'payments'>): number {
  return Math.max(0, refundLimit(order) - order.refunded.amount);
}

/**
 * The money refunds by line gave back for the line (a refund of several lines split over them by the server), or
 * null when none did (or a server from before the figure says nothing): the order's lines table shows it.
 */
export function lineRefunded(line: Pick<OrderLine, 'refundedAmount'>): Money | null {
  return line.refundedAmount && line.refundedAmount.amount > 0 ? line.refundedAmount : null;
}

/** Units of a line not refunded yet: the server refuses more (`only 1 of 2 left to refund`). */
export function unitsLeftToRefund(line: Pick<OrderLine, 'quantity' | 'refundedQuantity'>): number {
  return Math.max(0, line.quantity - (line.refundedQuantity ?? 0));
}

/** Why a typed refund quantity is refused: not a whole number of units, or more units than are left. */
export type RefundQuantityError = { reason: 'not_whole' } | { reason: 'too_many'; left: number };

export interface LineRefundPlan<L> {
  /** The lines to refund with their units, in the order's line order (what the request sends). */
  lines: { line: L; quantity: number }[];
  /** Per line id: why its quantity cannot be refunded. Any error blocks the refund. */
  errors: Record<string, RefundQuantityError>;
  /** What the refund gives back, priced as the server does and capped at what is left to refund. */
  amount: number;
  /** Something valid to refund, nothing refused, and a positive amount. */
  ready: boolean;
}

/**
 * The refund by line that the dialog's typed quantities ask for. Empty fields are left out; any other value
 * must be a whole number from 0 to the units left on its line, else it is an error on that field (never
 * silently dropped, which would refund less than staff asked for).
 */
export function planLineRefund<
  L extends Pick<OrderLine, 'id' | 'quantity' | 'refundedQuantity' | 'unitPrice'>,
>(
  order: Pick<OrderRecord, 'totals' | 'refunded' | 'pricesIncludeTax' | 'lineRefunded' | 'payments'> & {
    lines: L[];
  },
  quantities: Record<string, string | undefined>,
): LineRefundPlan<L> {
  const lines: { line: L; quantity: number }[] = [];
  const errors: Record<string, RefundQuantityError> = {};
  for (const line of order.lines) {
    const typed = (quantities[line.id] ?? '').trim();
    if (typed === '') continue;
    const left = unitsLeftToRefund(line);
    if (!/^\d+$/.test(typed)) {
      errors[line.id] = { reason: 'not_whole' };
      continue;
    }
    const quantity = Number(typed);
    if (quantity > left) errors[line.id] = { reason: 'too_many', left };
    else if (quantity > 0) lines.push({ line, quantity });
  }
  const goods = lines.reduce((sum, { line, quantity }) => sum + line.unitPrice.amount * quantity, 0);
  const amount = Math.min(refundableAmount(order), refundForGoods(order, goods));
  const ready = Object.keys(errors).length === 0 && lines.length > 0 && amount > 0;
  return { lines, errors, amount, ready };
}

/**
 * The server's field errors on a refused refund by line, put on the dialog's lines: `body/lines/<i>` is the
 * i-th line sent (`sentLineIds`). Errors on no line sent (another field, an unknown index) are listed apart.
 */
export function refundFieldErrors(
  sentLineIds: readonly string[],
  fieldErrors: readonly { path: string; message: string }[] | undefined,
): { byLine: Record<string, string>; other: string[] } {
  const byLine: Record<string, string> = {};
  const other: string[] = [];
  for (const { path, message } of fieldErrors ?? []) {
    const match = /^\/?(?:body[/.])?lines[/.](\d+)(?:[/.].*)?$/.exec(path);
    const lineId = match ? sentLineIds[Number(match[1])] : undefined;
    if (lineId !== undefined) {
      if (!(lineId in byLine)) byLine[lineId] = message;
    } else if (!other.includes(message)) other.push(message);
  }
  return { byLine, other };
}

/** What a refund gave back: the order's refunded total as the server answered it, less the one before. */
export function refundedBetween(before: Pick<OrderRecord, 'refunded'>, after: unknown): number | null {
  const amount = (after as Partial<Pick<OrderRecord, 'refunded'>> | null | undefined)?.refunded?.amount;
  return typeof amount === 'number' ? amount - before.refunded.amount : null;
}

export function addressLines(address: PostalAddress): string[] {
  const { city, postalCode } = address;
  const region = address.region?.trim() ?? '';
  const country = address.country.toUpperCase();
  let cityLines: string[];
  if (country === 'US') cityLines = [region ? `${city}, ${region} ${postalCode}` : `${city} ${postalCode}`];
  else if (country === 'CA' || country === 'AU')
    cityLines = [[city, region, postalCode].filter(Boolean).join(' ')];
  else cityLines = [`${postalCode} ${city}`, ...(region ? [region] : [])];
  return [
    address.name,
    address.company,
    address.line1,
    address.line2,
    ...cityLines,
    address.country,
    address.phone,
  ].filter((line): line is string => typeof line === 'string' && line.trim() !== '');
}

export interface OrderLine {
  id: string;
  sku: string;
  title: string;
  productTitle: string;
  quantity: number;
  returnedQuantity: number;
  /** Units refunded by line. */
  refundedQuantity: number;
  /**
   * The money refunds by line gave back for this line (a refund pending at the gateway included); absent from
   * servers before it.
   */
  refundedAmount?: Money;
  unitPrice: Money;
  total: Money;
}

export interface OrderRecord {
  id: string;
  number: string;
  status: string;
  email: string;
  totals: { subtotal: Money; discount: Money; shipping: Money; tax: Money; total: Money };
  taxRateBps: number;
  pricesIncludeTax: boolean;
  refunded: Money;
  /**
   * Money refunded by line so far (`orders.line_refunded_total`), what the next refund by line is priced
   * against. Absent from servers before 2026-12: `refundForGoods` then falls back to what the refunded units cost.
   */
  lineRefunded?: Money;
  shippingAddress: PostalAddress;
  shippingMethod: { name: string } | null;
  lines: OrderLine[];
  allowedTransitions: string[];
  timeline?: {
    id: string;
    at: string;
    kind: string;
    fromStatus: string | null;
    toStatus: string | null;
    message: string | null;
    /** The text as a key to translate, with its parameters (ADR 0069: timelineText); absent on free text and older events. */
    messageKey?: string;
    messageParams?: Record<string, unknown>;
    actorType: string;
  }[];
  payments?: PaymentRecord[];
  createdAt: string;
}

type TimelineEvent = NonNullable<OrderRecord['timeline']>[number];

/**
 * Oldest first, by time then by event id as a number. The server's order is not to be relied on: it
 * sorts the ids as text ("100" before "99"), which shuffled an order's history once its ids grew a digit.
 */
export function chronological(events: readonly TimelineEvent[]): TimelineEvent[] {
  const seq = (id: string) => (/^\d+$/.test(id) ? BigInt(id) : 0n);
  return [...events].sort((a, b) => {
    const byTime = Date.parse(a.at) - Date.parse(b.at);
    if (byTime !== 0) return byTime;
    const ia = seq(a.id);
    const ib = seq(b.id);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}

/** A payment of the order as the admin order detail returns it (amounts in minor units). */
export interface PaymentRecord {
  id: string;
  provider: string;
  status: string;
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
  brand: string | null;
  last4: string | null;
  /** A dispute (chargeback) of the payment; absent from servers before ADR 0021's disputes. */
  dispute?: PaymentDispute | null;
  refunds: PaymentRefund[];
}

/** A shipment of the order (`GET /api/admin/shipments?orderId=`). */
export interface ShipmentSummary {
  id: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl: string;
  status: string;
  createdAt: string;
}
