import type { MCartModule } from '../module.ts';
import { DiscountCodeSchema, SaleSchema } from './pricing.entities.ts';

export const pricingModule: MCartModule = {
  name: 'pricing',
  entities: [SaleSchema, DiscountCodeSchema],
  async register() {},
};
