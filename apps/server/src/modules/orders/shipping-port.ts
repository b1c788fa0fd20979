import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderShipment } from './orders.schemas.ts';

/**
 * The shipping context as the store's order page uses it (modules/shipping implements it as
 * `app.orderParcels`; orders, registered first, looks it up per request, as it does `app.payments`).
 * The orders context checks whose order it is before asking.
 */
export interface ShippingPort {
  /** The order's parcels a shopper may see (voided labels left out), oldest first, in one query. */
  parcelsOf(em: EntityManager, orderId: string): Promise<OrderShipment[]>;
}
