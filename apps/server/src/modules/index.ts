import type { MCartModule } from './module.ts';
import { auditModule } from './audit/index.ts';
import { identityModule } from './identity/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { catalogModule } from './catalog/index.ts';
import { pricingModule } from './pricing/index.ts';
import { inventoryModule } from './inventory/index.ts';
import { cartModule } from './cart/index.ts';
import { ordersModule } from './orders/index.ts';
import { shippingModule } from './shipping/index.ts';
import { paymentsModule } from './payments/index.ts';
import { invoicingModule } from './invoicing/index.ts';
import { backupModule } from '../platform/backup/index.ts';

import { dashboardModule } from './dashboard/index.ts';
import { reportsModule } from './reports/index.ts';

/** Every bounded context, in registration order (audit first: its hooks must see every other module's routes) (inventory after catalog: its demo stock needs the demo variants). */
export const modules: MCartModule[] = [
  auditModule,
  identityModule,
  notificationsModule,
  catalogModule,
  pricingModule,
  inventoryModule,
  cartModule,
  ordersModule,
  paymentsModule,
  invoicingModule,
  shippingModule,
  backupModule,
  dashboardModule,
  reportsModule,
];
