import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../app.ts';
import type { MCartModule } from '../module.ts';
import { ShipmentLineSchema, ShipmentSchema, TrackingEventSchema } from './shipment.entity.ts';
import { ShippingService, type ProviderRegistry } from './shipping.service.ts';
import { BuiltinProvider } from './providers/builtin.ts';
import { EasyPostProvider } from './providers/easypost.ts';
import type { ShippingProvider } from './providers/provider.ts';
import { shippingAdminRoutes } from './admin.routes.ts';
import { shippingWebhookRoutes, trackingRoutes } from './public.routes.ts';
import { ordersPortFor } from './orders-adapter.ts';
import { storeParcels } from './store-parcels.ts';
import { trackingPageRoutes } from './tracking-page.ts';
import type { ShippingPort } from '../orders/index.ts';
import { prepared } from '../../platform/prepared.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** An order's parcels as its shopper sees them (the store's order page): see orders' ShippingPort. */
    orderParcels: ShippingPort;
  }
}

export const BUILTIN_CARRIER = 'MCart Post';

export function providersFrom(app: FastifyInstance, config: AppConfig): ProviderRegistry {
  const builtin = new BuiltinProvider({
    carrier: BUILTIN_CARRIER,
    prefix: config.shipping.trackingPrefix,
    originCountry: config.branding.address.country,
    currency: config.store.currency,
    trackingUrl: config.shipping.trackingUrl,
    // On the primary: a replica may not have the shipment created a moment ago.
    isTaken: async (trackingNumber) => {
      const [row] = await prepared<{ taken: boolean }>(
        app.orm.em.fork(),
        `SELECT EXISTS (SELECT 1 FROM shipment WHERE tracking_number = ?) AS taken`,
        [trackingNumber],
      );
      return row!.taken;
    },
  });
  const all = new Map<string, ShippingProvider>([[builtin.name, builtin]]);
  const { apiKey, baseUrl } = config.shipping.easypost;
  if (apiKey) all.set('easypost', new EasyPostProvider(apiKey, baseUrl));
  return { get: (name) => all.get(name), default: all.get('easypost') ?? builtin };
}

export const shippingModule: MCartModule = {
  name: 'shipping',
  entities: [ShipmentSchema, ShipmentLineSchema, TrackingEventSchema],
  async register(app, config) {
    const providers = providersFrom(app, config);
    const orders = ordersPortFor(app);
    const service = (em: EntityManager) =>
      new ShippingService(em, {
        orders,
        providers,
        cipher: app.cipher,
        sender: config.branding.address,
        defaultWeightGrams: config.shipping.defaultWeightGrams,
      });
    app.decorate('orderParcels', storeParcels);
    await app.register(shippingAdminRoutes, { service });
    await app.register(trackingRoutes);
    await app.register(trackingPageRoutes, {
      brand: {
        storeName: config.store.name,
        primaryColor: config.branding.primaryColor,
        supportEmail: config.branding.supportEmail,
      },
    });
    await app.register(shippingWebhookRoutes, {
      providers,
      secrets: config.shipping.webhookSecrets,
      service,
    });
  },
};
