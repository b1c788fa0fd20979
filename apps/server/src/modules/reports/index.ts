import type { MCartModule } from '../module.ts';
import { reportsAdminRoutes } from './admin.routes.ts';

/** Sales reports for the owner and the accountant (ADR 0050): a read model over orders and payments; owns no tables. */
export const reportsModule: MCartModule = {
  name: 'reports',
  entities: [],
  async register(app, config) {
    await app.register(reportsAdminRoutes, { currency: config.store.currency });
  },
};
