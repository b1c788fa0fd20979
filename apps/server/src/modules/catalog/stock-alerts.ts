import { createHash, randomBytes } from 'node:crypto';
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
 * variant can be bought again, the `stock-alerts` outbox consumer e-mails each confirmed address once.
 *
 * Double opt-in: an address is only written to about the product once its owner has confirmed the alert with
 * the single-use link e-mailed to it (the token is kept hashed), except a signed-in customer's own verified
 * account address. A pending alert expires after 48 hours. Confirmation e-mails are limited per address (one
 * pending per address and variant, a few a day), and the route answers the same whether one was sent.
 */

/** Alerts e-mailed per variant in one consumer transaction; the rest follow in the next (a `stock-alerts` event). */
export const STOCK_ALERT_BATCH = 250;
/** A sent alert is kept this long (the customer's export shows it), then deleted. */
export const NOTIFIED_ALERT_RETENTION_DAYS = 30;
/** A waiting alert expires: an address is not kept for a variant the store may never restock. */
export const WAITING_ALERT_RETENTION_DAYS = 180;
/** A pending (never confirmed) alert: its link stops working, and the purge deletes it. */
export const PENDING_ALERT_HOURS = 48;
/** Confirmation e-mails one address may be sent in 24 hours, all variants together. */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3;
export const STOCK_ALERT_PURGE_BATCH = 5000;
/** The consumer's own continuation: the variant still has alerts waiting after a full batch. */
/**
 * The alerts' outbox resource (ids: variant ids): a live resource for the desktop's Restock requests screen
 * (a new alert, one confirmed, alerts e-mailed), and what brings a variant back to the consumer while alerts
 * still wait (the rest of a long list, or an alert confirmed after the variant came back).
 */
export const STOCK_ALERTS_RESOURCE = 'stock-alerts';
export const BACK_IN_STOCK_TEMPLATE = 'back-in-stock';
export const CONFIRM_TEMPLATE = 'back-in-stock-confirm';

export const StockAlertErrors = {
  /** Available now (stock, or backorders allowed): the shopper can just buy it. */
  inStock: defineError('MCART_ERR_IN_STOCK', 409, 'The variant is in stock: it can be bought now'),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const normalizeAlertEmail = (email: string) => email.trim().toLowerCase();
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** Never blank (the templates refuse it): a product saved with a title of spaces is named by its SKU. */
const titleOf = (productTitle: string, sku: string | null) =>
  productTitle.trim() || sku?.trim() || 'The item you asked about';

/**
 * One statement: the variant must be listed (active product, neither deleted) and not available in the
 * catalog's stock copy, the same rule the store shows as `inStock`. The copy's row is locked `FOR SHARE` until
 * the subscription commits, so a concurrent refresh of it (the `catalog-stock` consumer) either waits for the
 * alert to commit, and its `catalog_stock` event then finds the alert, or commits first, and this sees the
 * variant available (409). The account the request is made with is locked `FOR KEY SHARE`, which the erasure's
 * `FOR UPDATE` of the customer waits for (so an alert linked to it is erased with it) or makes this wait and
 * then find no account (`gone`: nothing is written).
 */
const CHECK_SQL = `
  WITH target AS (
    SELECT v.id, (p.status = 'active' AND p.deleted_at IS NULL AND v.deleted_at IS NULL) AS listed,
           p.title AS product_title, v.title AS variant_title, v.sku
      FROM variant v JOIN product p ON p.id = v.product_id
     WHERE v.id = ?::uuid),
  stock AS (
    SELECT available > 0 OR backorder AS shown FROM catalog_variant_stock WHERE variant_id = ?::uuid FOR SHARE),
  account AS (
    SELECT id FROM customer WHERE id = ?::uuid FOR KEY SHARE)
  SELECT t.listed, COALESCE((SELECT shown FROM stock), false) AS shown, t.product_title, t.variant_title, t.sku,
         ?::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM account) AS gone
    FROM (SELECT 1) one LEFT JOIN target t ON true`;

/**
 * A signed-in customer's own verified address: confirmed at once, linked to the account. A pending alert the
 * same address left (as a guest) becomes this confirmed one.
 */
const SUBSCRIBE_CONFIRMED_SQL = `
  INSERT INTO stock_alert (variant_id, email, customer_id, confirmed_at) VALUES (?::uuid, ?, ?::uuid, now())
  ON CONFLICT (variant_id, email) WHERE notified_at IS NULL DO UPDATE
     SET confirmed_at = COALESCE(stock_alert.confirmed_at, now()), confirm_token_hash = NULL,
         customer_id = COALESCE(stock_alert.customer_id, EXCLUDED.customer_id)
   WHERE stock_alert.confirmed_at IS NULL OR stock_alert.customer_id IS NULL
  RETURNING id`;

const PENDING_ALIVE = `(confirmed_at IS NOT NULL OR created_at >= now() - make_interval(hours => ${PENDING_ALERT_HOURS}))`;

export interface WaitingAlertsRow {
  id: string;
  variantId: string;
  productId: string;
  sku: string;
  productTitle: string;
  variantTitle: string;
  waiting: number;
  pending: number;
  oldestAt: Date;
}

export const WAITING_SORTS = {
  waiting: 'a.waiting',
  pending: 'a.pending',
  oldestAt: 'a.oldest_at',
  sku: 'v.sku',
} as const;
export type WaitingSort = keyof typeof WAITING_SORTS;

type QueueConfirmation = Pick<FastifyInstance['mailer'], 'queueOnce'>;

export interface SubscribeOptions {
  /** The signed-in customer making the request (locked, so an erasure and this take turns). */
  customerId: string | null;
  /** The address is that customer's own verified account address: no confirmation needed. */
  ownVerified: boolean;
  /** Builds the confirmation link from the token. */
  confirmUrl: (token: string) => string;
}

export class StockAlertsService {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer?: QueueConfirmation,
  ) {}

  /**
   * Records an alert for the address: confirmed at once for a signed-in customer's own verified address, else
   * pending, with one confirmation e-mail (see `requestConfirmation`). Whatever was written or sent, the answer
   * is the same. 404 for an unknown or unlisted variant, 409 when it can be bought now. `email` must already
   * be normalized.
   */
  async subscribe(variantId: string, email: string, options: SubscribeOptions): Promise<void> {
    const { customerId, ownVerified } = options;
    const row = await this.em.transactional(async (tx) => {
      const [answer] = await prepared<{
        listed: boolean | null;
        shown: boolean;
        product_title: string | null;
        variant_title: string | null;
        sku: string | null;
        gone: boolean;
      }>(tx, CHECK_SQL, [variantId, variantId, customerId, customerId]);
      if (!answer || answer.gone || !answer.listed || answer.shown) return answer;
      if (ownVerified && customerId) {
        const added = await prepared(tx, SUBSCRIBE_CONFIRMED_SQL, [variantId, email, customerId]);
        // The staff's Restock requests screen counts it (live); the event names the variant only.
        if (added.length)
          recordChange(tx, { resource: STOCK_ALERTS_RESOURCE, ids: [variantId], type: 'created' });
      } else {
        await this.requestConfirmation(tx, variantId, email, options.confirmUrl, {
          productTitle: titleOf(answer.product_title ?? '', answer.sku),
          variantTitle: answer.variant_title ?? '',
        });
      }
      return answer;
    });
    // The account was erased while this request ran: its session is over too.
    if (row?.gone) throw CommonErrors.unauthorized('The account no longer exists');
    if (!row?.listed) throw CatalogErrors.variantNotFound();
    if (row.shown) throw StockAlertErrors.inStock('Add it to the cart instead');
  }

  /**
   * A pending alert and its confirmation e-mail, unless the address already has an alert for the variant
   * (pending or confirmed: one confirmation e-mail per address and variant while it lives) or has been sent
   * `CONFIRMATIONS_PER_ADDRESS_PER_DAY` confirmations in 24 hours. Requests for one address take turns (a
   * transaction-scoped advisory lock), so concurrent ones cannot exceed the limit together. An expired pending
   * alert the purge has not deleted yet is replaced.
   */
  private async requestConfirmation(
    tx: EntityManager,
    variantId: string,
    email: string,
    confirmUrl: (token: string) => string,
    names: { productTitle: string; variantTitle: string },
  ): Promise<void> {
    if (!this.mailer) throw new Error('StockAlertsService: a mailer is needed to confirm an address');
    await prepared(tx, `SELECT pg_advisory_xact_lock(hashtextextended('stock-alert-confirm:' || ?, 0))`, [
      email,
    ]);
    const [state] = await prepared<{ waiting: boolean; sent: number }>(
      tx,
      `WITH expired AS (
         DELETE FROM stock_alert WHERE variant_id = ?::uuid AND email = ? AND notified_at IS NULL
            AND NOT ${PENDING_ALIVE})
       SELECT EXISTS (SELECT 1 FROM stock_alert WHERE variant_id = ?::uuid AND email = ?
                         AND notified_at IS NULL AND ${PENDING_ALIVE}) AS waiting,
              (SELECT count(*)::int FROM stock_alert
                WHERE email = ? AND confirm_sent_at > now() - interval '24 hours') AS sent`,
      [variantId, email, variantId, email, email],
    );
    if (!state || state.waiting || state.sent >= CONFIRMATIONS_PER_ADDRESS_PER_DAY) return;
    const token = randomBytes(32).toString('base64url');
    const [added] = await prepared<{ id: string }>(
      tx,
      `INSERT INTO stock_alert (variant_id, email, confirm_token_hash, confirm_sent_at)
       VALUES (?::uuid, ?, ?, now())
       ON CONFLICT (variant_id, email) WHERE notified_at IS NULL DO NOTHING
       RETURNING id`,
      [variantId, email, sha256(token)],
    );
    if (!added) return;
    await this.mailer.queueOnce(tx, {
      template: CONFIRM_TEMPLATE,
      to: email,
      data: { ...names, confirmUrl: confirmUrl(token) },
      dedupeKey: `stock-alert-confirm:${added.id}`,
    });
    recordChange(tx, { resource: STOCK_ALERTS_RESOURCE, ids: [variantId], type: 'created' });
  }

  /**
   * Confirms the pending alert of this link (once; within 48 hours of the request) and answers its variant;
   * `invalidToken` otherwise. Records a `stock-alerts` event for the variant: the consumer e-mails the alert at
   * once when the variant came back before it was confirmed, and the staff's screen counts it.
   */
  async confirm(token: string): Promise<{ variantId: string }> {
    const row = await this.em.transactional(async (tx) => {
      const [confirmed] = await prepared<{ variant_id: string }>(
        tx,
        `UPDATE stock_alert SET confirmed_at = now(), confirm_token_hash = NULL
          WHERE confirm_token_hash = ? AND confirmed_at IS NULL AND notified_at IS NULL AND ${PENDING_ALIVE}
          RETURNING variant_id`,
        [sha256(token)],
      );
      if (confirmed)
        recordChange(tx, { resource: STOCK_ALERTS_RESOURCE, ids: [confirmed.variant_id], type: 'updated' });
      return confirmed;
    });
    if (!row) throw CommonErrors.invalidToken('Ask for the alert again on the product page');
    return { variantId: row.variant_id };
  }

  /**
   * Variants with live alerts: how many are confirmed (to be e-mailed) and how many await their confirmation,
   * and since when the oldest confirmed one waits. No address: it is not needed to decide a restock.
   */
  async waitingByVariant(
    page: number,
    perPage: number,
    sort: WaitingSort = 'waiting',
    order: 'ASC' | 'DESC' = 'DESC',
  ): Promise<{ data: WaitingAlertsRow[]; total: number }> {
    const direction = order === 'ASC' ? 'ASC' : 'DESC';
    const live = `notified_at IS NULL AND ${PENDING_ALIVE}`;
    const [rows, counted] = (await preparedAll(this.em, [
      {
        sql: `SELECT a.variant_id, v.product_id, v.sku, p.title AS product_title, v.title AS variant_title,
                     a.waiting, a.pending, a.oldest_at
                FROM (SELECT variant_id, count(*) FILTER (WHERE confirmed_at IS NOT NULL)::int AS waiting,
                             count(*) FILTER (WHERE confirmed_at IS NULL)::int AS pending,
                             COALESCE(min(created_at) FILTER (WHERE confirmed_at IS NOT NULL), min(created_at))
                               AS oldest_at
                        FROM stock_alert WHERE ${live} GROUP BY variant_id) a
                JOIN variant v ON v.id = a.variant_id AND v.deleted_at IS NULL
                JOIN product p ON p.id = v.product_id AND p.deleted_at IS NULL
               ORDER BY ${WAITING_SORTS[sort]} ${direction}, a.oldest_at ASC, a.variant_id
               LIMIT ? OFFSET ?`,
        params: [perPage, (page - 1) * perPage],
      },
      {
        // Deleted variants can never come back: their alerts wait only for the purge, not for a restock.
        sql: `SELECT count(*)::int AS total
                FROM (SELECT DISTINCT variant_id FROM stock_alert WHERE ${live}) a
                JOIN variant v ON v.id = a.variant_id AND v.deleted_at IS NULL
                JOIN product p ON p.id = v.product_id AND p.deleted_at IS NULL`,
      },
    ])) as [
      {
        variant_id: string;
        product_id: string;
        sku: string;
        product_title: string;
        variant_title: string;
        waiting: number;
        pending: number;
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
        pending: row.pending,
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
 * have confirmed alerts waiting (a pending one is never e-mailed about the product): each such address gets one `back-in-stock` e-mail (dedupe key
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
      WHERE EXISTS (SELECT 1 FROM stock_alert a
                     WHERE a.variant_id = w.id AND a.notified_at IS NULL AND a.confirmed_at IS NOT NULL)`,
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
      `SELECT id, email FROM stock_alert
        WHERE variant_id = ?::uuid AND notified_at IS NULL AND confirmed_at IS NOT NULL
        ORDER BY created_at, id LIMIT ? FOR UPDATE`,
      [variant.id, batchSize + 1],
    );
    const batch = alerts.slice(0, batchSize);
    const data = {
      // Never blank (the template refuses it, and one refused e-mail would hold up every later event): a
      // product saved with a title of spaces before titles had to say something is named by its SKU.
      productTitle: titleOf(variant.product_title, variant.sku),
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
 * Deletes sent alerts `notifiedDays` after they were sent, confirmed waiting ones `waitingDays` after they were
 * left, and pending ones (never confirmed) `pendingHours` after they were asked for, in batches (ADR 0046's
 * pattern). An alert being e-mailed at that moment is locked by the consumer: the delete waits, then checks
 * again on the row (a just-notified alert stays).
 */
export async function purgeStockAlerts(
  em: EntityManager,
  notifiedDays = NOTIFIED_ALERT_RETENTION_DAYS,
  waitingDays = WAITING_ALERT_RETENTION_DAYS,
  batchSize = STOCK_ALERT_PURGE_BATCH,
  pendingHours = PENDING_ALERT_HOURS,
): Promise<number> {
  const expired = `(a.notified_at < now() - make_interval(days => ?)
                    OR (a.notified_at IS NULL AND a.created_at < now() - make_interval(days => ?))
                    OR (a.notified_at IS NULL AND a.confirmed_at IS NULL
                        AND a.created_at < now() - make_interval(hours => ?)))`;
  const params = [notifiedDays, waitingDays, pendingHours];
  return deleteInBatches(
    em,
    batchSize,
    `WITH batch AS MATERIALIZED (SELECT a.id FROM stock_alert a WHERE ${expired} LIMIT ?),
          gone AS (DELETE FROM stock_alert a USING batch WHERE a.id = batch.id AND ${expired} RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [...params, batchSize, ...params],
  );
}

/**
 * The catalog's side of a customer's data rights (ADR 0048), published as `app.customerStockAlerts`: the
 * alerts linked to the account, and those left with its address (by a guest, or before signing in), pending
 * (never confirmed) ones too: they hold the address as well.
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
      confirmed_at: Date | string | null;
      notified_at: Date | string | null;
    }>(
      em,
      `SELECT a.variant_id, v.sku, p.title AS product_title, v.title AS variant_title, a.email, a.created_at,
              a.confirmed_at, a.notified_at
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
      confirmedAt: row.confirmed_at === null ? null : new Date(row.confirmed_at).toISOString(),
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
