import type { MCartModule } from '../module.ts';
import type { AppConfig } from '../../app.ts';
import {
  purchasableVariants,
  purchasableVariantsSql,
  toPurchasableVariant,
} from '../catalog/catalog.queries.ts';
import { redeemDiscountCode, validateDiscountCode } from '../pricing/discount-codes.service.ts';
import { cartStoreRoutes } from './store.routes.ts';
import { shippingMethodsAdminRoutes } from './admin.routes.ts';
import type { CartDeps } from './ports.ts';
import { purgeAbandonedCarts } from './purge.ts';

export { CartService } from './cart.service.ts';

/** Wiring of carts to the catalog (live prices) and the pricing context's discount codes. */
export function cartDeps(config: AppConfig): CartDeps {
  return {
    variants: purchasableVariants,
    variantSql: { select: purchasableVariantsSql, fromRow: toPurchasableVariant },
    discounts: {
      validate: async (em, code, subtotal, at, customerId) => {
        const valid = await validateDiscountCode(em, code, subtotal, at, customerId);
        return { code: valid.code, amount: valid.discount };
      },
      redeem: async (em, code, orderId, shopper) => {
        await redeemDiscountCode(em, code, orderId, shopper);
      },
    },
    settings: {
      currency: config.store.currency,
      taxRateBps: config.tax.rateBps,
      pricesIncludeTax: config.tax.pricesIncludeTax,
    },
  };
}

export const cartModule: MCartModule = {
  name: 'cart',
  entities: [],
  async register(app, config) {
    await app.register(cartStoreRoutes, { deps: cartDeps(config) });
    await app.register(shippingMethodsAdminRoutes, { currency: config.store.currency });
    // Abandoned carts (no order) with their lines, CART_RETENTION_DAYS after their last change.
    app.jobs.define('cart.purge', async () => {
      const deleted = await purgeAbandonedCarts(app.orm.em.fork(), config.cartRetentionDays);
      if (deleted) app.log.info({ deleted }, 'abandoned carts purged');
    });
    app.jobs.schedule('cart.purge', '53 * * * *');
  },
};
