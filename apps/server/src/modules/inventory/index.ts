import type { MCartModule } from '../module.ts';
import { inventoryAdminRoutes } from './admin.routes.ts';
import { seedDemoStock } from './inventory.service.ts';

export { InventoryService } from './inventory.service.ts';
export { InventoryErrors } from './inventory.errors.ts';

/** Stock locations, levels, the movements ledger, reservations. Tables are SQL-first (hot path). */
export const inventoryModule: MCartModule = {
  name: 'inventory',
  entities: [],
  async register(app) {
    await app.register(inventoryAdminRoutes);
  },
  async onReady(app, config) {
    if (!config.seed) return;
    const seeded = await seedDemoStock(app.orm.em.fork(), 50);
    if (seeded) app.log.info({ variants: seeded }, 'demo stock received at the default location');
  },
};
