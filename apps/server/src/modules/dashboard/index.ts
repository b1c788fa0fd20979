import type { MCartModule } from '../module.ts';
import { dashboardRoutes } from './admin.routes.ts';

/** Read-only figures for the back-office dashboard; owns no tables. */
export const dashboardModule: MCartModule = {
  name: 'dashboard',
  entities: [],
  async register(app, config) {
    await app.register(dashboardRoutes, { currency: config.store.currency });
  },
};
