import type { MCartModule } from '../module.ts';
import { DiscountCodeSchema, SaleSchema } from './pricing.entities.ts';
import { pricingAdminRoutes } from './admin.routes.ts';

export {
  validateDiscountCode,
  redeemDiscountCode,
  releaseDiscountRedemption,
  discountFor,
  type ValidatedDiscount,
} from './discount-codes.service.ts';
export { PricingErrors } from './pricing.errors.ts';

/** Sales (scheduled promotions) and discount codes. Effective prices are computed by the catalog's read side. */
export const pricingModule: MCartModule = {
  name: 'pricing',
  entities: [SaleSchema, DiscountCodeSchema],
  async register(app) {
    await app.register(pricingAdminRoutes);
  },
};
