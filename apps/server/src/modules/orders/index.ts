import type { FastifyInstance } from 'fastify';
import type { MCartModule } from '../module.ts';
import { purgeIdempotencyKeys } from '../../platform/idempotency.ts';
import { cartDeps } from '../cart/index.ts';
import type { CheckoutDeps } from './checkout.service.ts';
import { orderPaymentsPort, OrdersService } from './orders.service.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import { orderStoreRoutes } from './store.routes.ts';
import { orderAdminRoutes } from './admin.routes.ts';
import { customerOrdersPort } from './customer-data.ts';
import { returnRequestRoutes } from './return-requests.routes.ts';

export {
  lockFulfilment,
  markPaid,
  markPaymentFailed,
  orderPaymentsPort,
  OrdersService,
} from './orders.service.ts';
export { ORDER_TRANSITIONS } from './order-states.ts';
export { returnRequestForMail } from './return-requests.service.ts';
export type { ShippingPort } from './shipping-port.ts';

interface PaymentsHost {
  payments?: PaymentGateway & {
    useOrders?: (orders: typeof orderPaymentsPort) => void;
  };
}

/** The payments context, when installed (modules/payments decorates `app.payments`). */
const paymentsOf = (app: FastifyInstance) => () =>
  app.hasDecorator('payments') ? ((app as unknown as PaymentsHost).payments ?? null) : null;

export const ordersModule: MCartModule = {
  name: 'orders',
  entities: [],
  async register(app, config) {
    const deps: CheckoutDeps = {
      ...cartDeps(config),
      cipher: app.cipher,
      reservationTtlMinutes: config.reservationTtlMinutes,
      payments: paymentsOf(app),
    };
    // Shipping (registered after orders) publishes `app.orderParcels`: looked up per request.
    const shipping = () => (app.hasDecorator('orderParcels') ? app.orderParcels : null);
    await app.register(orderStoreRoutes, { deps, shipping });
    await app.register(orderAdminRoutes, { deps });
    await app.register(returnRequestRoutes, { deps, returnWindowDays: config.returnWindowDays });
    // The customer's data rights (identity: export, erasure) reach orders through this port (ADR 0048).
    app.decorate('customerOrders', customerOrdersPort(app.cipher, deps.payments));

    app.jobs.define('orders.expire-unpaid', async () => {
      const expired = await new OrdersService(app.orm.em.fork(), app.cipher).expireUnpaid();
      const payments = deps.payments();
      // Void what the shopper may have started at the gateway (after the commit, outside any transaction).
      for (const orderId of expired)
        await payments
          ?.cancel(orderId)
          .catch((err: unknown) =>
            app.log.warn({ err, orderId }, "could not void an expired order's payment"),
          );
      if (expired.length)
        app.log.info({ count: expired.length }, 'expired unpaid orders released their stock');
    });
    app.jobs.schedule('orders.expire-unpaid', '* * * * *');
    app.jobs.define('idempotency.purge', async () => {
      await purgeIdempotencyKeys(app.orm.em.fork(), config.idempotencyRetentionHours);
    });
    app.jobs.schedule('idempotency.purge', '17 * * * *');
  },
  async onReady(app) {
    // Payments calls back into orders when a payment succeeds or fails (webhook or synchronous answer).
    const payments = (app as unknown as PaymentsHost).payments;
    if (app.hasDecorator('payments') && payments?.useOrders) payments.useOrders(orderPaymentsPort);
  },
};
