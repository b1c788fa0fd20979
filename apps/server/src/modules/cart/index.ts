import type { MCartModule } from '../module.ts';
import type { AppConfig } from '../../app.ts';
import { purchasableVariants } from '../catalog/catalog.queries.ts';
import { cartStoreRoutes } from './store.routes.ts';
import type { CartDeps } from './ports.ts';

export { CartService } from './cart.service.ts';

/** Wiring of carts to the catalog (live prices) and, once available, the pricing context's discount codes. */
export function cartDeps(config: AppConfig): CartDeps {
  return {
    variants: purchasableVariants,
    discounts: null,
    settings: { currency: config.store.currency, taxRateBps: config.tax.rateBps, pricesIncludeTax: config.tax.pricesIncludeTax },
  };
}

export const cartModule: MCartModule = {
  name: 'cart',
  entities: [],
  async register(app, config) {
    await app.register(cartStoreRoutes, { deps: cartDeps(config) });
  },
};
