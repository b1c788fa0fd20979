import { Migration } from '@mikro-orm/migrations';

/**
 * The money refunded by line on an order (ADR 0044): what the reservations of refunds by line added to
 * `refunded_total`, less what those that failed at the gateway gave back. A refund by line is priced as what
 * the goods refunded by line, its own included, were charged less this (cart/totals.ts `lineRefund`), no
 * longer as a running difference over the goods refunded before it: a refund failing while another was priced
 * on top of its units broke that sum by a cent.
 *
 * Orders refunded by line already start from what their refunded goods were charged, as the running
 * differences added up to (`paidForGoodsUpTo` in SQL, the same integer round-half-up arithmetic:
 * round(n / d) = div(2n + d, 2d)), so their next refund by line is priced as before, not from 0.
 */
export class Migration20261219000000OrderLineRefundedTotal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE orders
        ADD COLUMN line_refunded_total int NOT NULL DEFAULT 0,
        ADD CONSTRAINT orders_line_refunded_total_positive CHECK (line_refunded_total >= 0);`);
    this.addSql(`
      WITH refunded AS (
        SELECT order_id, sum(unit_price::numeric * refunded_quantity) AS goods
          FROM order_line WHERE refunded_quantity > 0 GROUP BY order_id
      ), net AS (
        SELECT o.id, o.prices_include_tax, o.tax_total::numeric AS tax,
               (o.subtotal - o.discount_total + o.shipping_total)::numeric AS taxable,
               r.goods - div(2 * r.goods * o.discount_total + o.subtotal, 2 * o.subtotal::numeric) AS net
          FROM orders o JOIN refunded r ON r.order_id = o.id
         WHERE o.subtotal > 0 AND r.goods > 0
      )
      UPDATE orders o
         SET line_refunded_total = (n.net + CASE WHEN NOT n.prices_include_tax AND n.taxable > 0
                                                 THEN div(2 * n.net * n.tax + n.taxable, 2 * n.taxable) ELSE 0 END)::int
        FROM net n
       WHERE o.id = n.id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE orders DROP COLUMN line_refunded_total;`);
  }
}
