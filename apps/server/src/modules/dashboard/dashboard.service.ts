import type { EntityManager } from '@mikro-orm/postgresql';
import type { DashboardDto } from './dashboard.schemas.ts';
import { toPackSqlCondition } from '../shipping/shipping.service.ts';

/**
 * Back-office dashboard figures, computed in PostgreSQL. The dashboard is a read model over other
 * contexts' tables (orders, inventory, customers, catalog): it only reads, and each section is left
 * out (null) while the module owning its tables is not installed, so the dashboard never fails on a
 * partial installation.
 */

/** Statuses that are not (yet, or any more) a sale. */
export const NOT_A_SALE = ['pending_payment', 'cancelled'];

const LOW_STOCK_ITEMS = 10;

interface Columns {
  has(table: string, column: string): boolean;
}

interface OrderTable {
  table: string;
  total: string;
  placed: string;
}

/** The orders table and its amount and placing columns, or null while the orders module is not installed. */
function orderTable(columns: Columns): OrderTable | null {
  const table = columns.has('orders', 'status') ? 'orders' : columns.has('order', 'status') ? 'order' : null;
  if (!table) return null;
  const total = ['total', 'total_amount'].find((c) => columns.has(table, c));
  const placed = ['created_at', 'placed_at'].find((c) => columns.has(table, c));
  return total && placed ? { table, total, placed } : null;
}

export class DashboardService {
  constructor(
    private readonly em: EntityManager,
    private readonly currency: string,
  ) {}

  /** Knex bindings: an array bound to `IN (?)` expands to a list. */
  private query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.em.execute<T[]>(sql, params);
  }

  private async columns(tables: string[]): Promise<Columns> {
    const rows = await this.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name IN (?)`,
      [tables],
    );
    const set = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
    return { has: (table, column) => set.has(`${table}.${column}`) };
  }

  /** `withSales`: whether the caller may read the store's takings (else `sales` is null). */
  async summary(timeZone: string, { withSales }: { withSales: boolean }): Promise<DashboardDto> {
    const columns = await this.columns([
      'orders',
      'order',
      'payment',
      'stock_level',
      'stock_location',
      'stock_policy',
      'variant',
      'product',
      'customer',
      'order_line',
      'order_event',
      'shipment',
      'shipment_line',
    ]);
    const orders = orderTable(columns);
    const [sales, toPack, lowStock, customers] = await Promise.all([
      withSales && orders ? this.sales(orders, columns, timeZone) : null,
      orders ? this.toPack(orders, columns) : null,
      this.lowStock(columns),
      this.customers(columns, timeZone),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      timeZone,
      currency: this.currency,
      sales,
      toPack,
      lowStock,
      customers,
    };
  }

  private async sales(
    orders: OrderTable,
    columns: Columns,
    timeZone: string,
  ): Promise<DashboardDto['sales']> {
    const { table, total, placed } = orders;
    const o = `"${table}"`;
    // Revenue is what was paid, net of refunds, on the day it was paid. An authorization that paid the order
    // (manual capture) and was captured for less, or voided, took less than the total: the difference is no
    // revenue, as the sales report counts it given back (ADR 0050).
    const refunded = columns.has(table, 'refunded_total') ? ` - coalesce(refunded_total, 0)` : '';
    const uncaptured =
      columns.has(table, 'payment_id') &&
      columns.has('payment', 'captured_amount') &&
      columns.has('payment', 'status')
        ? ` - coalesce((SELECT greatest(p.amount - p.captured_amount, 0) FROM payment p
                         WHERE p.id = ${o}.payment_id AND p.status IN ('captured', 'canceled')), 0)`
        : '';
    const amount = `${total}${refunded}${uncaptured}`;
    const when = columns.has(table, 'paid_at') ? `coalesce(paid_at, ${placed})` : placed;
    // Amounts of one currency only: an order kept in a former store currency is not this one's money.
    const currency = columns.has(table, 'currency');
    // Every day of the window is present (zeros included) so the chart has no gaps.
    const daily = await this.query<{ date: string; revenue: string; orders: number }>(
      `WITH local_today AS (SELECT (now() AT TIME ZONE ?)::date AS day),
            sales AS (
              SELECT (${when} AT TIME ZONE ?)::date AS day, (${amount})::bigint AS amount
                FROM ${o}
               WHERE ${when} >= ((SELECT day FROM local_today) - 29)::timestamp AT TIME ZONE ?
                 AND status NOT IN (?)${currency ? ' AND currency = ?' : ''})
       SELECT to_char(d.day, 'YYYY-MM-DD') AS date, coalesce(sum(s.amount), 0)::text AS revenue, count(s.amount)::int AS orders
         FROM (SELECT generate_series((SELECT day FROM local_today) - 29, (SELECT day FROM local_today), interval '1 day')::date AS day) d
         LEFT JOIN sales s ON s.day = d.day
        GROUP BY d.day ORDER BY d.day`,
      [timeZone, timeZone, timeZone, NOT_A_SALE, ...(currency ? [this.currency] : [])],
    );
    const points = daily.map((row) => ({
      date: row.date,
      revenue: Number(row.revenue),
      orders: Number(row.orders),
    }));
    const today = points.at(-1) ?? { revenue: 0, orders: 0 };
    const money = (value: number) => ({ amount: value, currency: this.currency });
    return {
      today: { revenue: money(today.revenue), orders: today.orders },
      last30Days: {
        revenue: money(points.reduce((sum, p) => sum + p.revenue, 0)),
        orders: points.reduce((sum, p) => sum + p.orders, 0),
      },
      daily: points,
    };
  }

  /**
   * The orders in the warehouse's to-pack queue (GET /api/admin/shipping/to-pack), by the queue's own rule:
   * shippable status and units left to ship. Null while the shipping module's tables are not installed.
   */
  private async toPack({ table }: OrderTable, columns: Columns): Promise<number | null> {
    const tables =
      columns.has(table, 'id') &&
      columns.has('order_line', 'withdrawn_quantity') &&
      columns.has('order_line', 'returned_quantity') &&
      columns.has('order_event', 'to_status') &&
      columns.has('shipment', 'status') &&
      columns.has('shipment_line', 'order_line_id');
    if (!tables) return null;
    const [row] = await this.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${table}" WHERE ${toPackSqlCondition(`"${table}"`)}`,
    );
    return row?.count ?? 0;
  }

  private async lowStock(columns: Columns): Promise<DashboardDto['lowStock']> {
    if (!columns.has('stock_level', 'available') || !columns.has('stock_location', 'active')) return null;
    const policy = columns.has('stock_policy', 'low_stock_threshold');
    const catalog = columns.has('variant', 'sku') && columns.has('product', 'title');
    // Without a threshold of its own, a variant is "low" when nothing is left to sell.
    const rows = await this.query<{
      variant_id: string;
      available: number;
      threshold: number;
      sku: string | null;
      title: string | null;
      total: number;
    }>(
      `WITH levels AS (
         SELECT s.variant_id, sum(s.available)::int AS available,
                ${policy ? 'coalesce(max(p.low_stock_threshold), 0)' : '0'}::int AS threshold
           FROM stock_level s
           JOIN stock_location l ON l.id = s.location_id AND l.active
           ${policy ? 'LEFT JOIN stock_policy p ON p.variant_id = s.variant_id' : ''}
          GROUP BY s.variant_id),
       low AS (
         SELECT levels.*, ${catalog ? `v.sku::text AS sku, nullif(concat_ws(' — ', pr.title, nullif(v.title, '')), '') AS title` : 'NULL::text AS sku, NULL::text AS title'}
           FROM levels
           ${catalog ? 'JOIN variant v ON v.id = levels.variant_id AND v.deleted_at IS NULL JOIN product pr ON pr.id = v.product_id' : ''}
          WHERE levels.available <= levels.threshold)
       SELECT variant_id, available, threshold, sku, title, count(*) OVER ()::int AS total
         FROM low ORDER BY available, variant_id LIMIT ?`,
      [LOW_STOCK_ITEMS],
    );
    return {
      count: rows[0]?.total ?? 0,
      items: rows.map((row) => ({
        variantId: row.variant_id,
        sku: row.sku ?? null,
        title: row.title ?? null,
        available: Number(row.available),
        threshold: Number(row.threshold),
      })),
    };
  }

  private async customers(columns: Columns, timeZone: string): Promise<DashboardDto['customers']> {
    if (!columns.has('customer', 'created_at')) return null;
    const [row] = await this.query<{ today: number; last30: number }>(
      `WITH local_today AS (SELECT (now() AT TIME ZONE ?)::date AS day)
       SELECT count(*) FILTER (WHERE created_at >= (SELECT day FROM local_today)::timestamp AT TIME ZONE ?)::int AS today,
              count(*)::int AS last30
         FROM customer
        WHERE created_at >= ((SELECT day FROM local_today) - 29)::timestamp AT TIME ZONE ?`,
      [timeZone, timeZone, timeZone],
    );
    return { today: row?.today ?? 0, last30Days: row?.last30 ?? 0 };
  }
}
