import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { CommonErrors, defineError } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { prepared, preparedAll } from '../../platform/prepared.ts';
import { deleteInBatches } from '../../platform/purge.ts';
import type { CustomerStockAlertsPort } from '../identity/customer-data.service.ts';
import { isMailable } from '../notifications/mailer.ts';
import { CatalogErrors } from './catalog.errors.ts';
import { pgArray, purchasableVariantsSql } from './catalog.queries.ts';

/**
 * "Tell me when it's back in stock" (ADR 0052): a shopper leaves an address on a sold-out variant; when the
 * variant can be bought again, the `stock-alerts` outbox consumer e-mails each waiting address once.
 */

/** Alerts e-mailed per variant in one consumer transaction; the rest follow in the next (a `stock-alerts` event). */
export const STOCK_ALERT_BATCH = 250;
/** A sent alert is kept this long (the customer's export shows it), then deleted. */
export const NOTIFIED_ALERT_RETENTION_DAYS = 30;
/** A waiting alert expires: an address is not kept for a variant the store may never restock. */
export const WAITING_ALERT_RETENTION_DAYS = 180;
export const STOCK_ALERT_PURGE_BATCH = 5000;
/** The consumer's own continuation: the variant still has alerts waiting after a full batch. */
/**
 * The alerts' outbox resource (ids: variant ids): a live resource for the desktop's Restock requests screen
 * (a new alert, alerts e-mailed), and what brings a variant back to the consumer while alerts still wait.
 */
export const STOCK_ALERTS_RESOURCE = 'stock-alerts';
export const BACK_IN_STOCK_TEMPLATE = 'back-in-stock';

export const StockAlertErrors = {
  /** Available now (stock, or backorders allowed): the shopper can just buy it. */
  inStock: defineError('MCART_ERR_IN_STOCK', 409, 'The variant is in stock: it can be bought now'),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const normalizeAlertEmail = (email: string) => email.trim().toLowerCase();

/**
 * One statement: the variant must be listed (active product, neither deleted) and not available in the
 * catalog's stock copy, the same rule the store shows as `inStock`. The copy's row is locked `FOR SHARE`, so
 * a concurrent refresh of it (the `catalog-stock` consumer) either waits for this alert to commit, and its
 * `catalog_stock` event then finds the alert, or commits first, and this sees the variant available (409).
 * The account an alert is linked to is locked `FOR KEY SHARE`, which the erasure's `FOR UPDATE` of the
 * customer waits for (so its alert is erased with it) or makes this wait and then find no account (`gone`:
 * nothing is written).
 */
const SUBSCRIBE_SQL = `
  WITH target AS (
    SELECT v.id, (p.status = 'active' AND p.deleted_at IS NULL AND v.deleted_at IS NULL) AS listed
      FROM variant v JOIN product p ON p.id = v.product_id
     WHERE v.id = ?::uuid),
  stock AS (
    SELECT available > 0 OR backorder AS shown FROM catalog_variant_stock WHERE variant_id = ?::uuid FOR SHARE),
  account AS (
    SELECT id FROM customer WHERE id = ?::uuid FOR KEY SHARE),
  added AS (
    INSERT INTO stock_alert (variant_id, email, customer_id)
    SELECT t.id, ?, (SELECT id FROM account) FROM target t
     WHERE t.listed AND NOT COALESCE((SELECT shown FROM stock), false)
       AND (?::uuid IS NULL OR EXISTS (SELECT 1 FROM account))
    ON CONFLICT (variant_id, email) WHERE notified_at IS NULL DO NOTHING
    RETURNING id)
  SELECT (SELECT listed FROM target) AS listed, COALESCE((SELECT shown FROM stock), false) AS shown,
         (SELECT count(*)::int FROM added) AS added,
         ?::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM account) AS gone`;

export interface WaitingAlertsRow {
  id: string;
  variantId: string;
  productId: string;
  sku: string;
  productTitle: string;
  variantTitle: string;
  waiting: number;
  oldestAt: Date;
}

export const WAITING_SORTS = { waiting: 'a.waiting', oldestAt: 'a.oldest_at', sku: 'v.sku' } as const;
export type WaitingSort = keyof typeof WAITING_SORTS;

export class StockAlertsService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records a waiting alert for the address. Subscribing again while one waits changes nothing and answers
   * the same (whether an address waits is not told). 404 for an unknown or unlisted variant, 409 when it
   * can be bought now. `email` must already be normalized.
   */
  async subscribe(variantId: string, email: string, customerId: string | null): Promise<{ added: boolean }> {
    const row = await this.em.transactional(async (tx) => {
      const [answer] = await prepared<{
        listed: boolean | null;
        shown: boolean;
        added: number;
        gone: boolean;
      }>(tx, SUBSCRIBE_SQL, [variantId, variantId, customerId, email, customerId, customerId]);
      // The staff's Restock requests screen counts it (live); the event names the variant only.
      if (answer && answer.added > 0)
        recordChange(tx, { resource: STOCK_ALERTS_RESOURCE, ids: [variantId], type: 'created' });
      return answer;
    });
    // The account was erased while this request ran: its session is over too.
    if (row?.gone) throw CommonErrors.unauthorized('The account no longer exists');
    if (!row?.listed) throw CatalogErrors.variantNotFound();
    if (row.shown) throw StockAlertErrors.inStock('Add it to the cart instead');
    return { added: row.added > 0 };
  }

  /** Variants with waiting alerts: how many and since when. No address: it is not needed to decide a restock. */
  async waitingByVariant(
    page: number,
    perPage: number,
    sort: WaitingSort = 'waiting',
    order: 'ASC' | 'DESC' = 'DESC',
  ): Promise<{ data: WaitingAlertsRow[]; total: number }> {
    const direction = order === 'ASC' ? 'ASC' : 'DESC';
    const [rows, counted] = (await preparedAll(this.em, [
      {
        sql: `SELECT a.variant_id, v.product_id, v.sku, p.title AS product_title, v.title AS variant_title,
                     a.waiting, a.oldest_at
                FROM (SELECT variant_id, count(*)::int AS waiting, min(created_at) AS oldest_at
                        FROM stock_alert WHERE notified_at IS NULL GROUP BY variant_id) a
                JOIN variant v ON v.id = a.variant_id AND v.deleted_at IS NULL
                JOIN product p ON p.id = v.product_id AND p.deleted_at IS NULL
               ORDER BY ${WAITING_SORTS[sort]} ${direction}, a.oldest_at ASC, a.variant_id
               LIMIT ? OFFSET ?`,
        params: [perPage, (page - 1) * perPage],
      },
      {
        // Deleted variants can never come back: their alerts wait only for the purge, not for a restock.
        sql: `SELECT count(DISTINCT a.variant_id)::int AS total
                FROM stock_alert a
                JOIN variant v ON v.id = a.variant_id AND v.deleted_at IS NULL
                JOIN product p ON p.id = v.product_id AND p.deleted_at IS NULL
               WHERE a.notified_at IS NULL`,
      },
    ])) as [
      {
        variant_id: string;
        product_id: string;
        sku: string;
        product_title: string;
        variant_title: string;
        waiting: number;
        oldest_at: Date;
      }[],
      { total: number }[],
    ];
    return {
      data: rows.map((row) => ({
        id: row.variant_id,
        variantId: row.variant_id,
        productId: row.product_id,
        sku: row.sku,
        productTitle: row.product_title,
        variantTitle: row.variant_title,
        waiting: row.waiting,
        oldestAt: new Date(row.oldest_at),
      })),
      total: counted[0]?.total ?? 0,
    };
  }
}

type QueueOnce = Pick<FastifyInstance['mailer'], 'queueAllOnce'>;

interface RestockedRow {
  id: string;
  sku: string | null;
  product_title: string;
  title: string;
  unit_price: number;
  price_amount: number;
  slug: string;
}

/**
 * The variants among `variantIds` that can be bought now (listed, and available by the store's rule) and
 * have alerts waiting: each waiting address gets one `back-in-stock` e-mail (dedupe key
 * `stock-alert:<alertId>`), and its alert is marked notified, in the caller's (the consumer's) transaction.
 * At most `batchSize` alerts per variant; each batch records a `stock-alerts` event for the variant (the staff's
 * screen counts fewer), which brings it back to the consumer in a transaction of its own: the rest of a long
 * list, or nothing left. Answers how many alerts were handled.
 *
 * The first statement is the whole cost when nobody waits: one probe of the waiting-alerts index per id.
 */
export async function notifyRestocked(
  em: EntityManager,
  mailer: QueueOnce,
  variantIds: string[],
  productUrl: (slug: string) => string,
  currency: string,
  batchSize = STOCK_ALERT_BATCH,
): Promise<number> {
  const ids = [...new Set(variantIds.filter((id) => UUID.test(id)))];
  if (!ids.length) return 0;
  const waiting = await prepared<{ id: string }>(
    em,
    `SELECT w.id FROM unnest(?::uuid[]) AS w(id)
      WHERE EXISTS (SELECT 1 FROM stock_alert a WHERE a.variant_id = w.id AND a.notified_at IS NULL)`,
    [pgArray(ids)],
  );
  if (!waiting.length) return 0;

  const restocked = await prepared<RestockedRow>(
    em,
    `SELECT pv.id, pv.sku, pv.product_title, pv.title, pv.unit_price, pv.price_amount, p.slug
       FROM (${purchasableVariantsSql('?::uuid[]')}) pv
       JOIN product p ON p.id = pv.product_id
       JOIN catalog_variant_stock st ON st.variant_id = pv.id
      WHERE pv.purchasable AND (st.available > 0 OR st.backorder)`,
    [new Date().toISOString(), pgArray(waiting.map((row) => row.id))],
  );
  let handled = 0;
  for (const variant of restocked) {
    // Locked: a purge or an erasure deleting one of them waits, or has deleted it and it is not seen.
    const alerts = await prepared<{ id: string; email: string }>(
      em,
      `SELECT id, email FROM stock_alert WHERE variant_id = ?::uuid AND notified_at IS NULL
        ORDER BY created_at, id LIMIT ? FOR UPDATE`,
      [variant.id, batchSize + 1],
    );
    const batch = alerts.slice(0, batchSize);
    const data = {
      // Never blank (the template refuses it, and one refused e-mail would hold up every later event): a
      // product saved with a title of spaces before titles had to say something is named by its SKU.
      productTitle: variant.product_title.trim() || variant.sku?.trim() || 'The item you asked about',
      variantTitle: variant.title,
      price: Number(variant.unit_price),
      regularPrice: Number(variant.price_amount),
      currency,
      productUrl: productUrl(variant.slug),
    };
    // One statement for the batch. An address the mailer would refuse is never accepted (isMailable); one
    // stored before is passed over.
    await mailer.queueAllOnce(
      em,
      batch
        .filter((alert) => isMailable(alert.email))
        .map((alert) => ({
          template: BACK_IN_STOCK_TEMPLATE,
          to: alert.email,
          data,
          dedupeKey: `stock-alert:${alert.id}`,
        })),
    );
    await prepared(em, `UPDATE stock_alert SET notified_at = now() WHERE id = ANY (?::uuid[])`, [
      pgArray(batch.map((alert) => alert.id)),
    ]);
    handled += batch.length;
    recordChange(em, { resource: STOCK_ALERTS_RESOURCE, ids: [variant.id], type: 'updated' });
  }
  return handled;
}

/**
 * Deletes sent alerts `notifiedDays` after they were sent and waiting ones `waitingDays` after they were
 * left, in batches (ADR 0046's pattern). An alert being e-mailed at that moment is locked by the consumer:
 * the delete waits, then checks again on the row (a just-notified alert stays).
 */
export async function purgeStockAlerts(
  em: EntityManager,
  notifiedDays = NOTIFIED_ALERT_RETENTION_DAYS,
  waitingDays = WAITING_ALERT_RETENTION_DAYS,
  batchSize = STOCK_ALERT_PURGE_BATCH,
): Promise<number> {
  const expired = `(a.notified_at < now() - make_interval(days => ?)
                    OR (a.notified_at IS NULL AND a.created_at < now() - make_interval(days => ?)))`;
  return deleteInBatches(
    em,
    batchSize,
    `WITH batch AS MATERIALIZED (SELECT a.id FROM stock_alert a WHERE ${expired} LIMIT ?),
          gone AS (DELETE FROM stock_alert a USING batch WHERE a.id = batch.id AND ${expired} RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [notifiedDays, waitingDays, batchSize, notifiedDays, waitingDays],
  );
}

/**
 * The catalog's side of a customer's data rights (ADR 0048), published as `app.customerStockAlerts`: the
 * alerts linked to the account, and those left with its address (by a guest, or before signing in).
 */
export const customerStockAlerts: CustomerStockAlertsPort = {
  async alertsOf(em, customerId, email) {
    const rows = await prepared<{
      variant_id: string;
      sku: string;
      product_title: string;
      variant_title: string;
      email: string;
      created_at: Date | string;
      notified_at: Date | string | null;
    }>(
      em,
      `SELECT a.variant_id, v.sku, p.title AS product_title, v.title AS variant_title, a.email, a.created_at,
              a.notified_at
         FROM stock_alert a JOIN variant v ON v.id = a.variant_id JOIN product p ON p.id = v.product_id
        WHERE a.customer_id = ?::uuid OR a.email = ?
        ORDER BY a.created_at, a.id`,
      [customerId, email === null ? null : normalizeAlertEmail(email)],
    );
    return rows.map((row) => ({
      variantId: row.variant_id,
      sku: row.sku,
      productTitle: row.product_title,
      variantTitle: row.variant_title,
      email: row.email,
      createdAt: new Date(row.created_at).toISOString(),
      notifiedAt: row.notified_at === null ? null : new Date(row.notified_at).toISOString(),
    }));
  },

  async forget(tx, customerId, email) {
    const [row] = await prepared<{ n: number }>(
      tx,
      `WITH gone AS (DELETE FROM stock_alert WHERE customer_id = ?::uuid OR email = ? RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [customerId, email === null ? null : normalizeAlertEmail(email)],
    );
    return row?.n ?? 0;
  },
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The catalog's side of a customer's data rights: their back-in-stock alerts (CustomerStockAlertsPort). */
    customerStockAlerts: CustomerStockAlertsPort;
  }
}
