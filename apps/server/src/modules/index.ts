import type { MCartModule } from './module.ts';
import { identityModule } from './identity/index.ts';
import { inventoryModule } from './inventory/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { catalogModule } from './catalog/index.ts';
import { pricingModule } from './pricing/index.ts';

/** Every bounded context, in registration order. */
export const modules: MCartModule[] = [identityModule, inventoryModule, notificationsModule, catalogModule, pricingModule];
