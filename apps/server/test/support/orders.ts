import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../src/app.ts';
import { cartDeps } from '../../src/modules/cart/index.ts';
import { CheckoutService } from '../../src/modules/orders/checkout.service.ts';
import { markPaid } from '../../src/modules/orders/index.ts';
import { orderPaymentsPort } from '../../src/modules/orders/orders.service.ts';
import type { PaymentGateway } from '../../src/modules/orders/payment-gateway.ts';
import { PaymentsService } from '../../src/modules/payments/payments.service.ts';

/**
 * The app's payments as a store on manual capture runs them (Stripe's STRIPE_CAPTURE=manual): an authorization
 * pays the order, staff capture later (all, part, or void it).
 */
export const manualCapturePayments = (app: FastifyInstance) =>
  new PaymentsService({
    orm: app.orm,
    provider: app.payments.provider,
    captureMode: 'manual',
    orders: orderPaymentsPort,
    log: app.log,
  });

export interface Address {
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
}

/** A US address, with its state (optional, printed on labels: ADR 0047). */
export const ADDRESS: Address = {
  name: 'Ann Example',
  line1: '22 Acacia Avenue',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

/**
 * Paid orders through the product's own services: catalog and stock through the admin routes, a cart
 * through the store routes, checkout through CheckoutService with a gateway that captures at once and
 * calls markPaid (as the payments context does for a successful card).
 */
export function orderFixtures(app: FastifyInstance, config: AppConfig, staffAuth: string) {
  const capturing: PaymentGateway = {
    openPayment: async () => randomUUID(),
    async startPayment(input) {
      const paymentId = randomUUID();
      const paid = await markPaid(app.orm.em.fork() as EntityManager, input.orderId, paymentId);
      return {
        paymentId,
        status: 'captured',
        orderPaid: paid !== 'cancelled',
        givenBack: paid === 'cancelled',
      };
    },
    capture: async () => undefined,
    cancel: async () => undefined,
    refund: async () => undefined,
    giveBackCancelled: async () => undefined,
  };
  return {
    async product(variants: { weightGrams?: number; price?: number }[]) {
      const tag = randomUUID().slice(0, 8).toUpperCase();
      const response = await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: { authorization: staffAuth },
        payload: {
          title: `Mug ${tag}`,
          status: 'active',
          variants: variants.map((variant, i) => ({
            sku: `MUG-${tag}-${i}`,
            title: `Colour ${i}`,
            price: { amount: variant.price ?? 1250, currency: config.store.currency },
            ...(variant.weightGrams ? { weightGrams: variant.weightGrams } : {}),
          })),
        },
      });
      if (response.statusCode !== 201) throw new Error(`product: ${response.statusCode} ${response.body}`);
      const product = response.json<{ id: string; variants: { id: string; sku: string }[] }>();
      for (const variant of product.variants) {
        const stock = await app.inject({
          method: 'POST',
          url: '/api/admin/inventory/adjustments',
          headers: { authorization: staffAuth },
          payload: { variantId: variant.id, delta: 100, reason: 'test stock' },
        });
        if (stock.statusCode !== 201) throw new Error(`stock: ${stock.statusCode} ${stock.body}`);
      }
      return product;
    },
    /** A placed and paid order; `pay: false` leaves it pending_payment. */
    async order(
      items: { variantId: string; quantity: number }[],
      options: { email?: string; address?: Address; pay?: boolean } = {},
    ) {
      const cart = await app.inject({ method: 'POST', url: '/api/store/carts' });
      if (cart.statusCode !== 201) throw new Error(`cart: ${cart.statusCode} ${cart.body}`);
      const cartId = cart.json<{ id: string }>().id;
      for (const item of items) {
        const added = await app.inject({
          method: 'POST',
          url: `/api/store/carts/${cartId}/items`,
          payload: item,
        });
        if (added.statusCode !== 200) throw new Error(`add: ${added.statusCode} ${added.body}`);
      }
      const pending: PaymentGateway = {
        ...capturing,
        startPayment: async () => ({
          paymentId: randomUUID(),
          status: 'requires_action',
          clientSecret: 'x',
          orderPaid: false,
          givenBack: false,
        }),
      };
      const checkout = new CheckoutService(app.orm.em.fork() as EntityManager, {
        ...cartDeps(config),
        cipher: app.cipher,
        reservationTtlMinutes: config.reservationTtlMinutes,
        payments: () => (options.pay === false ? pending : capturing),
      });
      const answer = await checkout.checkout(cartId, null, {
        email: options.email ?? 'ann@example.test',
        shippingAddress: options.address ?? ADDRESS,
        payment: { provider: 'test', token: 'tok_visa' },
      });
      if (answer.statusCode !== 201)
        throw new Error(`checkout: ${answer.statusCode} ${JSON.stringify(answer.body)}`);
      return (answer.body as { order: { id: string; number: string; status: string } }).order;
    },
  };
}
