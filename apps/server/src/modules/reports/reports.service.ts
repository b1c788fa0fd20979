import type { EntityManager } from '@mikro-orm/postgresql';
import { prepared } from '../../platform/prepared.ts';
import type { ProductReportDto, ProductRow, SalesReportDto, SalesRow } from './reports.schemas.ts';

export type GroupBy = 'day' | 'week' | 'month';
export type ProductSort = 'revenue' | 'units';

/** Local calendar days `from`..`to` (both included, YYYY-MM-DD) in an IANA time zone, already checked. */
export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
}

/*
 * The range as instants, once: local midnight of `from` to local midnight after `to`, in the asked zone. The
 * bounds are constants of the statement (scalar subqueries), so the range scans go through the orders_paid_at,
 * payment_refund_succeeded_at and payment_refund_reversed_at indexes.
 */
const BOUNDS = `b AS MATERIALIZED (
    SELECT first_day, last_day, tz, unit, currency,
           first_day::timestamp AT TIME ZONE tz AS lo, (last_day + 1)::timestamp AT TIME ZONE tz AS hi
      FROM (SELECT ?::date AS first_day, ?::date AS last_day, ?::text AS tz, ?::text AS unit, ?::text AS currency) p)`;

/** Orders paid in the range, in the store currency: a sale counts on the day it was paid, whatever came after. */
const PAID_IN_RANGE = `o.paid_at >= (SELECT lo FROM b) AND o.paid_at < (SELECT hi FROM b) AND o.currency = (SELECT currency FROM b)`;

const bucketOf = (column: string) =>
  `date_trunc((SELECT unit FROM b), ${column} AT TIME ZONE (SELECT tz FROM b))::date`;

const SALES = `WITH ${BOUNDS},
  sold AS (
    SELECT o.id, ${bucketOf('o.paid_at')} AS period, o.subtotal, o.discount_total, o.shipping_total, o.tax_total, o.total
      FROM orders o
     WHERE ${PAID_IN_RANGE}),
  sold_by_period AS (
    SELECT period, count(*) AS orders, sum(subtotal) AS gross, sum(discount_total) AS discounts,
           sum(shipping_total) AS shipping, sum(tax_total) AS tax, sum(total) AS charged
      FROM sold GROUP BY period),
  units AS (
    SELECT s.period, sum(l.quantity) AS units FROM sold s JOIN order_line l ON l.order_id = s.id GROUP BY s.period),
  -- Money goes back on the day the gateway confirmed the refund (succeeded_at, set once), for orders that had
  -- been paid (a late payment to an order cancelled first was never a sale, and neither is its give-back). A
  -- refund reversed later (failed at the gateway after it went through, a lost dispute won on appeal) still went
  -- back on its day, and comes back in on the day of the reversal: a negative refund, so no past day changes.
  -- An authorization that paid an order (manual capture) and was voided, or captured for less, gives back what
  -- it did not take, on the day it was settled.
  given_back AS (
    SELECT r.succeeded_at AS at, r.amount
      FROM payment_refund r
      JOIN payment pay ON pay.id = r.payment_id
      JOIN orders o ON o.id = pay.order_id
     WHERE r.succeeded_at >= (SELECT lo FROM b) AND r.succeeded_at < (SELECT hi FROM b)
       AND o.paid_at IS NOT NULL AND o.currency = (SELECT currency FROM b)
    UNION ALL
    SELECT r.reversed_at, -r.amount
      FROM payment_refund r
      JOIN payment pay ON pay.id = r.payment_id
      JOIN orders o ON o.id = pay.order_id
     WHERE r.reversed_at >= (SELECT lo FROM b) AND r.reversed_at < (SELECT hi FROM b)
       AND o.paid_at IS NOT NULL AND o.currency = (SELECT currency FROM b)
    UNION ALL
    SELECT pay.settled_at, pay.amount - pay.captured_amount
      FROM payment pay
      JOIN orders o ON o.payment_id = pay.id
     WHERE pay.status IN ('captured', 'canceled') AND pay.captured_amount < pay.amount
       AND pay.settled_at >= (SELECT lo FROM b) AND pay.settled_at < (SELECT hi FROM b)
       AND o.paid_at IS NOT NULL AND o.currency = (SELECT currency FROM b)),
  refunded AS (
    SELECT ${bucketOf('at')} AS period, sum(amount) AS refunds FROM given_back GROUP BY 1),
  periods AS (
    SELECT generate_series(date_trunc(unit, first_day::timestamp), last_day::timestamp, ('1 ' || unit)::interval)::date AS period
      FROM b)
SELECT to_char(x.period, 'YYYY-MM-DD') AS period,
       coalesce(s.orders, 0)::int AS orders, coalesce(u.units, 0)::bigint AS units,
       coalesce(s.gross, 0)::bigint AS gross, coalesce(s.discounts, 0)::bigint AS discounts,
       coalesce(s.shipping, 0)::bigint AS shipping, coalesce(s.tax, 0)::bigint AS tax,
       coalesce(r.refunds, 0)::bigint AS refunds,
       (coalesce(s.charged, 0) - coalesce(r.refunds, 0))::bigint AS net
  FROM periods x
  LEFT JOIN sold_by_period s ON s.period = x.period
  LEFT JOIN units u ON u.period = x.period
  LEFT JOIN refunded r ON r.period = x.period
 ORDER BY x.period`;

/** "Product — Variant" as the order line snapshot it (the dashboard's low-stock titles read the same). */
const LINE_TITLE = `CASE WHEN l.title <> '' AND l.title <> l.product_title THEN l.product_title || ' — ' || l.title
                         ELSE coalesce(nullif(l.product_title, ''), l.title) END`;

/*
 * A line's share of its order's discount as refunds by line and credit notes take it off (cart/totals.ts
 * `discountShareUpTo`, `refundForGoods`): the running difference, over the order's lines in their order, of the
 * pro rata share of the goods up to and including the line, rounded half up, in exact integer arithmetic. The
 * shares of an order's lines add up to its discount exactly (rounding each line on its own, three lines of
 * 10.00 under 1.00 off took 0.33 each: 0.99, and the variants' revenue came to a cent more than the sales
 * report's gross − discounts).
 */
const shareUpTo = (goods: string) => `CASE WHEN ${goods} > 0 AND l.subtotal > 0
    THEN (2 * (${goods}) * l.discount_total + l.subtotal) / (2 * l.subtotal::bigint) ELSE 0 END`;
const DISCOUNT_SHARE = `(${shareUpTo('l.goods_up_to')} - ${shareUpTo('l.goods_up_to - l.line_total')})`;

const productsSql = (sort: ProductSort) => `WITH ${BOUNDS},
  sold AS (
    SELECT o.id, o.paid_at, o.status, o.subtotal, o.discount_total FROM orders o WHERE ${PAID_IN_RANGE}),
  lines AS (
    SELECT l.id, l.variant_id, l.sku, l.title, l.product_title, l.quantity, l.refunded_quantity,
           l.line_total::bigint AS line_total, s.paid_at, s.status, s.subtotal, s.discount_total,
           (sum(l.line_total) OVER (PARTITION BY l.order_id ORDER BY l.position, l.id))::bigint AS goods_up_to
      FROM sold s JOIN order_line l ON l.order_id = s.id)
SELECT l.variant_id::text AS variant_id,
       (array_agg(l.sku ORDER BY l.paid_at DESC, l.id))[1] AS sku,
       (array_agg(${LINE_TITLE} ORDER BY l.paid_at DESC, l.id))[1] AS title,
       sum(l.quantity)::bigint AS units,
       sum(l.line_total - ${DISCOUNT_SHARE})::bigint AS revenue,
       -- A cancellation after payment gives every unit back (restocked, refunded); otherwise units refunded by line.
       sum(CASE WHEN l.status = 'cancelled' THEN l.quantity ELSE l.refunded_quantity END)::bigint AS refunded_units
  FROM lines l
 GROUP BY l.variant_id
 ORDER BY ${sort === 'units' ? 'units DESC, revenue DESC' : 'revenue DESC, units DESC'}, variant_id
 LIMIT ?`;

const PRODUCTS: Record<ProductSort, string> = {
  revenue: productsSql('revenue'),
  units: productsSql('units'),
};

type Numeric = string | number;
interface SalesRecord {
  period: string;
  orders: number;
  units: Numeric;
  gross: Numeric;
  discounts: Numeric;
  shipping: Numeric;
  tax: Numeric;
  refunds: Numeric;
  net: Numeric;
}
interface ProductRecord {
  variant_id: string;
  sku: string;
  title: string;
  units: Numeric;
  revenue: Numeric;
  refunded_units: Numeric;
}

const AMOUNTS = ['orders', 'units', 'gross', 'discounts', 'shipping', 'tax', 'refunds', 'net'] as const;

/**
 * Sales reports for the store owner and their accountant: what sold, when, for how much (ADR 0050). A read
 * model over the orders and payments contexts' tables, as the dashboard is: it only reads, one statement per
 * report, through named prepared statements on the primary (orders are read strongly consistent).
 */
export class ReportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly currency: string,
  ) {}

  private bounds(range: ReportRange, unit: GroupBy): unknown[] {
    return [range.from, range.to, range.timeZone, unit, this.currency];
  }

  /** Orders, units and money per bucket, every bucket of the range present (zeros included), and their totals. */
  async sales(range: ReportRange, groupBy: GroupBy): Promise<SalesReportDto> {
    const records = await prepared<SalesRecord>(this.em, SALES, this.bounds(range, groupBy));
    const rows: SalesRow[] = records.map((record) => ({
      period: record.period,
      orders: Number(record.orders),
      units: Number(record.units),
      gross: Number(record.gross),
      discounts: Number(record.discounts),
      shipping: Number(record.shipping),
      tax: Number(record.tax),
      refunds: Number(record.refunds),
      net: Number(record.net),
    }));
    const totals: SalesRow = { period: range.from, ...zeros() };
    for (const row of rows) for (const key of AMOUNTS) totals[key] += row[key];
    return {
      currency: this.currency,
      timeZone: range.timeZone,
      from: range.from,
      to: range.to,
      groupBy,
      totals,
      rows,
    };
  }

  /** The variants sold in the range (orders paid then), best first. */
  async products(range: ReportRange, sort: ProductSort, limit: number): Promise<ProductReportDto> {
    const records = await prepared<ProductRecord>(this.em, PRODUCTS[sort], [
      ...this.bounds(range, 'day'),
      limit,
    ]);
    const rows: ProductRow[] = records.map((record) => ({
      variantId: record.variant_id,
      sku: record.sku,
      title: record.title,
      units: Number(record.units),
      revenue: Number(record.revenue),
      refundedUnits: Number(record.refunded_units),
    }));
    return {
      currency: this.currency,
      timeZone: range.timeZone,
      from: range.from,
      to: range.to,
      sort,
      rows,
    };
  }
}

const zeros = () => ({
  orders: 0,
  units: 0,
  gross: 0,
  discounts: 0,
  shipping: 0,
  tax: 0,
  refunds: 0,
  net: 0,
});
