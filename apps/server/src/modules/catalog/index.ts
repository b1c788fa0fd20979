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
import { reconcileOrderSales } from './sold-count.ts';
import { prepared } from '../../platform/prepared.ts';
import { recordChange } from '../../platform/outbox.ts';
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

/** Stock events from inventory: copy available quantities and refresh the in-stock flags (ADR "catalog read model"). */
async function onStockChanged(em: EntityManager, variantIds: string[]): Promise<void> {
  const flipped = await syncVariantStock(em, variantIds);
  if (flipped.length) recordChange(em, { resource: 'catalog_stock', ids: flipped, type: 'updated' });
  await prepared(
    em,
    `UPDATE product_search ps SET in_stock = EXISTS (
        SELECT 1 FROM variant v JOIN catalog_variant_stock st ON st.variant_id = v.id
         WHERE v.product_id = ps.product_id AND v.deleted_at IS NULL AND (st.available > 0 OR st.backorder))
      WHERE ps.product_id IN (SELECT product_id FROM variant WHERE id = ANY (?::uuid[]))`,
    [pgArray(variantIds)],
  );
}

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
      )
        store.dropAnswers();
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
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    app.outbox.consume('catalog-stock', async (event, em) => {
      if (event.resource !== 'inventory') return;
      const ids = event.ids.filter((id) => UUID.test(id));
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
    app.outbox.consume('catalog-sold', async (event, em) => {
      if (event.resource !== 'orders') return;
      for (const id of event.ids.filter((id) => UUID.test(id))) await reconcileOrderSales(em, app.cipher, id);
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
