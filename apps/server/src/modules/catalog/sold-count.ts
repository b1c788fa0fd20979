import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { OrdersService } from '../orders/orders.service.ts';
import { prepared } from '../../platform/prepared.ts';
import { pgArray } from './catalog.queries.ts';

/** Order statuses in which the goods count as sold: paid for, whatever happened since short of a full undo. */
const SOLD = new Set(['paid', 'processing', 'shipped', 'delivered', 'returned', 'partially_refunded']);
/** Statuses that undo a sale (pending_payment has not made one yet). */
const UNDONE = new Set(['cancelled', 'refunded']);

/**
 * Brings one order's contribution to the best-selling counts in line with its current status (ADR 0032):
 * a sold order adds its quantities per product once, an undone order takes back exactly what it added.
 * Deciding from the status rather than from the event makes replays and late deliveries harmless.
 * Runs in the outbox consumer's transaction.
 */
export async function reconcileOrderSales(
  em: EntityManager,
  cipher: FieldCipher,
  orderId: string,
): Promise<void> {
  await reconcileOrdersSales(em, cipher, [orderId]);
}

/**
 * `reconcileOrderSales` for a batch's orders, one after another in the order given, with the orders and the lines
 * of the sold ones read once for them all (ADR 0040's profile). Unknown orders are skipped.
 */
export async function reconcileOrdersSales(
  em: EntityManager,
  cipher: FieldCipher,
  orderIds: readonly string[],
): Promise<void> {
  if (!orderIds.length) return;
  const orders = new OrdersService(em, cipher);
  const status = new Map((await orders.findMany(orderIds)).map((order) => [order.id, order.status]));
  const key = (id: string) => id.toLowerCase();
  const sold = [...status].filter(([, s]) => SOLD.has(s)).map(([id]) => id);
  const lines = await orders.linesOfMany(sold);
  for (const orderId of orderIds) {
    const current = status.get(key(orderId));
    if (current === undefined) continue;
    if (SOLD.has(current)) {
      const quantities: Record<string, number> = {};
      for (const line of lines.get(key(orderId)) ?? []) {
        if (line.product_id) quantities[line.product_id] = (quantities[line.product_id] ?? 0) + line.quantity;
      }
      const counted = await prepared<{ order_id: string }>(
        em,
        `INSERT INTO catalog_order_sold (order_id, quantities) VALUES (?, ?::jsonb)
         ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
        [orderId, JSON.stringify(quantities)],
      );
      if (counted.length) await addSold(em, quantities, 1);
    } else if (UNDONE.has(current)) {
      const [undone] = await prepared<{ quantities: Record<string, number> }>(
        em,
        `DELETE FROM catalog_order_sold WHERE order_id = ? RETURNING quantities`,
        [orderId],
      );
      if (undone) await addSold(em, undone.quantities, -1);
    }
  }
}

/** Adds (or with sign -1 takes back) units sold per product, and copies the totals into the store's read model. */
async function addSold(em: EntityManager, quantities: Record<string, number>, sign: 1 | -1): Promise<void> {
  const ids = Object.keys(quantities);
  if (!ids.length) return;
  const deltas = ids.map((id) => String(sign * quantities[id]!));
  // The totals and their copy in one statement: the copy takes what the upsert returns.
  await prepared(
    em,
    `WITH d AS (SELECT q.id, q.n FROM unnest(?::uuid[], ?::int[]) AS q (id, n) WHERE EXISTS (SELECT 1 FROM product p WHERE p.id = q.id)),
     totals AS (
       INSERT INTO catalog_product_sold AS s (product_id, sold_count) SELECT id, GREATEST(n, 0) FROM d
       ON CONFLICT (product_id) DO UPDATE
         SET sold_count = GREATEST(s.sold_count + (SELECT d.n FROM d WHERE d.id = EXCLUDED.product_id), 0)
       RETURNING product_id, sold_count)
     UPDATE product_search ps SET sold_count = t.sold_count
       FROM totals t
      WHERE t.product_id = ps.product_id AND ps.sold_count <> t.sold_count`,
    [pgArray(ids), pgArray(deltas)],
  );
}
