import type { MCartModule } from '../module.ts';
import { CategorySchema, ProductImageSchema, ProductSchema, VariantSchema } from './catalog.entities.ts';
import { catalogAdminRoutes } from './admin.routes.ts';
import { setStoreCurrency } from './catalog.queries.ts';
import { seedDemoCatalog } from './demo-seed.ts';

export const catalogModule: MCartModule = {
  name: 'catalog',
  entities: [CategorySchema, ProductSchema, VariantSchema, ProductImageSchema],
  async register(app, config) {
    setStoreCurrency(config.store.currency);
    await app.register(catalogAdminRoutes, { currency: config.store.currency });
  },
  async onReady(app, config) {
    if (config.seed) {
      const seeded = await seedDemoCatalog(app.orm.em.fork(), config.store.currency);
      if (seeded) app.log.info('seeded the demo catalog');
    }
  },
};
