import type { MCartModule } from '../module.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CategorySchema, ProductImageSchema, ProductSchema, VariantSchema } from './catalog.entities.ts';
import { catalogAdminRoutes } from './admin.routes.ts';
import { catalogStoreRoutes } from './store.routes.ts';
import { variantAdminRoutes } from './variants.routes.ts';
import { pgArray, setStoreCurrency, syncVariantStock } from './catalog.queries.ts';
import { seedDemoCatalog } from './demo-seed.ts';
import { PriceClock } from './price-clock.ts';
import { StoreCatalog } from './store-catalog.ts';
import { createObjectStorage, S3ObjectStorage } from '../../platform/object-storage.ts';
import { MediaStore } from './media-store.ts';
import { catalogImageRoutes, mediaRoutes } from './images.routes.ts';
import { reconcileOrdersSales } from './sold-count.ts';
import { prepared } from '../../platform/prepared.ts';
import { recordChange, type CommittedEvent } from '../../platform/outbox.ts';
import {
  customerStockAlerts,
  notifyRestocked,
  purgeStockAlerts,
  STOCK_ALERTS_RESOURCE,
} from './stock-alerts.ts';
import { stockAlertRoutes } from './stock-alerts.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The store's catalog read side (caches, price clock): tests clear its caches. */
    storeCatalog: StoreCatalog;
  }
}

/**
 * Resources whose changes can alter store lists, counts or facets. Not inventory's own events (two per
 * checkout): stock reaches the store through the catalog's copy, and only a variant going in or out of
 * stock changes an answer, which the stock consumer announces as `catalog_stock` once its copy committed.
 */
const CATALOG_RESOURCES = new Set(['products', 'variants', 'categories', 'sales', 'prices', 'catalog_stock']);
/**
 * Resources whose changes can move the next sale boundary (earlier or later): a sale, a product's or variant's
 * price or publication, and a category move or deletion (its products enter or leave category sales, and their
 * read-model rows get another `price_valid_until`).
 */
const PRICE_BOUNDARY_RESOURCES = new Set(['products', 'variants', 'categories', 'sales', 'prices']);

/**
 * Stock events from inventory: copy available quantities and refresh the in-stock flags (ADR "catalog read model").
 * A product's flag is derived from its variants' copies, so only the products of variants whose copy went in or
 * out of stock (`flipped`) need it refreshed.
 */
async function onStockChanged(em: EntityManager, variantIds: string[]): Promise<void> {
  const flipped = await syncVariantStock(em, variantIds);
  if (!flipped.length) return;
  recordChange(em, { resource: 'catalog_stock', ids: flipped, type: 'updated' });
  await prepared(
    em,
    `UPDATE product_search ps SET in_stock = EXISTS (
        SELECT 1 FROM variant v JOIN catalog_variant_stock st ON st.variant_id = v.id
         WHERE v.product_id = ps.product_id AND v.deleted_at IS NULL AND (st.available > 0 OR st.backorder))
      WHERE ps.product_id IN (SELECT product_id FROM variant WHERE id = ANY (?::uuid[]))`,
    [pgArray(flipped)],
  );
}

/**
 * The variants whose stock copy a batch of events may change: those named by inventory events, except events
 * that say no level's availability moved (a sale settling its reservation: `availabilityChanged` false, written
 * by inventory's `levelEvents`; events without the fact count as changes). The copy is taken from the current
 * levels, so one refresh for the whole batch leaves it as one refresh per event would.
 */
export function stockVariantsOf(events: readonly CommittedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.resource !== 'inventory' || event.payload?.availabilityChanged === false) continue;
    for (const id of event.ids) if (UUID.test(id)) ids.add(id);
  }
  return [...ids];
}

/** Order statuses change only with other events (`paid`, `cancelled`, ...): these never move the sold counts. */
const SALES_NEUTRAL_ORDER_EVENTS = new Set([
  'placed', // a new order is pending_payment; paying it writes `paid`
  'payment_captured', // written with `paid` when the capture paid the order (markPaid), else the order was paid already
  'payment_authorized', // the same, for manual capture
  'invoice_issued',
  'credit_note_issued',
]);

/**
 * The orders whose sold counts a batch of events may change: those named by order events, once each (the counts
 * follow an order's current status, read when reconciling), except events that never change a status.
 */
export function salesOrdersOf(events: readonly CommittedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.resource !== 'orders') continue;
    const kind = event.payload?.event;
    if (typeof kind === 'string' && SALES_NEUTRAL_ORDER_EVENTS.has(kind)) continue;
    for (const id of event.ids) if (UUID.test(id)) ids.add(id);
  }
  return [...ids];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const catalogModule: MCartModule = {
  name: 'catalog',
  entities: [CategorySchema, ProductSchema, VariantSchema, ProductImageSchema],
  async register(app, config) {
    setStoreCurrency(config.store.currency);
    const clock = new PriceClock(app);
    const store = new StoreCatalog(app.readPool, clock, config.store.currency);
    // An answer cached before the clock learnt of an earlier boundary would outlive it: forget them all.
    clock.onEarlierBoundary(() => store.dropAnswers());
    app.decorate('storeCatalog', store);
    await app.register(catalogAdminRoutes, { currency: config.store.currency });
    await app.register(catalogStoreRoutes, { store });
    await app.register(variantAdminRoutes, { currency: config.store.currency });

    // Read-your-writes on this instance: a successful staff write drops the store's cached answers before
    // its response leaves (its events reach the other instances, and this one again, through the outbox).
    // Shoppers' writes (carts, checkout, accounts) never change what the catalogue answers directly, so the
    // busiest writes of a store leave the caches alone.
    app.addHook('onSend', async (request, reply, payload) => {
      if (
        request.method !== 'GET' &&
        request.method !== 'HEAD' &&
        reply.statusCode < 400 &&
        request.url.startsWith('/api/admin/')
      ) {
        store.dropAnswers();
        // The category tree too, after a category's own write: the store's tree, its category filters (slugs
        // resolve against it) and its facets would otherwise show the old tree until the outbox's event.
        if (request.url.startsWith('/api/admin/categories')) store.forgetCategories();
      }
      return payload;
    });

    const storage = await createObjectStorage(config.media);
    const media = new MediaStore(storage);
    await app.register(catalogImageRoutes, { media, maxUploadBytes: config.media.maxUploadBytes });
    await app.register(mediaRoutes, { media });
    if (storage instanceof S3ObjectStorage) app.addHook('onClose', async () => storage.destroy());

    app.outbox.onCommitted((events) => {
      const touched = new Set(events.map((e) => e.resource).filter((r) => CATALOG_RESOURCES.has(r)));
      if (!touched.size) return;
      store.invalidate(touched);
      if ([...touched].some((resource) => PRICE_BOUNDARY_RESOURCES.has(resource)))
        clock.reload().catch((err) => app.log.warn({ err }, 'price boundary reload failed'));
    });
    // One refresh per batch of events (ADR 0040's profile), not per event.
    app.outbox.consumeBatch('catalog-stock', async (events, em) => {
      const ids = stockVariantsOf(events);
      if (ids.length) await onStockChanged(em, ids);
    });
    // Back-in-stock alerts (ADR 0052). On the catalog's own `catalog_stock` events, not inventory's: those are
    // written with the stock copy they announce (an inventory event may reach this consumer before
    // `catalog-stock` has copied it), and only when a variant goes in or out of stock, so a checkout that
    // leaves a variant in stock costs this consumer nothing. `stock-alerts`: a new alert, or the rest of a long waiting list.
    await app.register(stockAlertRoutes, { publicUrl: config.publicUrl });
    app.decorate('customerStockAlerts', customerStockAlerts);
    const productUrl = (slug: string) => `${config.publicUrl}/products/${encodeURIComponent(slug)}`;
    app.outbox.consume('stock-alerts', async (event, em) => {
      if (event.resource !== 'catalog_stock' && event.resource !== STOCK_ALERTS_RESOURCE) return;
      await notifyRestocked(em, app.mailer, event.ids, productUrl, config.store.currency);
    });
    // Sent alerts after 30 days, never-sent ones after 180 (ADR 0046's pattern, fixed periods).
    app.jobs.define('stock-alerts.purge', async () => {
      const deleted = await purgeStockAlerts(app.orm.em.fork() as EntityManager);
      if (deleted) app.log.info({ deleted }, 'stock alerts purged');
    });
    app.jobs.schedule('stock-alerts.purge', '47 * * * *');
    // Best-selling: units sold per product follow orders as they are paid, cancelled or refunded (ADR 0032).
    // Each order once per batch, only for events that can change its status; the batch's orders and lines read at once.
    app.outbox.consumeBatch('catalog-sold', async (events, em) => {
      await reconcileOrdersSales(em, app.cipher, salesOrdersOf(events));
    });
    app.addHook('onReady', async () => clock.reload());
    app.addHook('onClose', async () => clock.close());
  },
  async onReady(app, config) {
    if (config.seed) {
      const seeded = await seedDemoCatalog(app.orm.em.fork(), config.store.currency);
      if (seeded) app.log.info('seeded the demo catalog');
    }
  },
};
