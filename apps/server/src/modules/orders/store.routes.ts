import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { emptyBodyIsEmpty, IdParams, ProblemRef } from '../../platform/schemas.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { CartParams } from '../cart/cart.schemas.ts';
import { CheckoutService, type CheckoutDeps } from './checkout.service.ts';
import { OrderOperations } from './order-operations.ts';
import { OrdersService } from './orders.service.ts';
import { toStoreOrderDto, toStoreOrderSummary } from './orders.dto.ts';
import {
  CancelBody,
  CheckoutBody,
  CheckoutDto,
  StoreOrderDto,
  StoreOrderListDto,
  StoreOrderListQuery,
} from './orders.schemas.ts';
import type { ShippingPort } from './shipping-port.ts';

const errors = { 400: ProblemRef, 401: ProblemRef, 404: ProblemRef, 409: ProblemRef };

export const orderStoreRoutes: FastifyPluginAsyncTypebox<{
  deps: CheckoutDeps;
  /** The shipping context, when installed: the parcels of an order. */
  shipping: () => ShippingPort | null;
}> = async (app, { deps, shipping }) => {
  app.post(
    '/api/store/carts/:id/checkout',
    {
      schema: {
        tags: ['store: checkout'],
        security: [{}, { customerBearer: [] }],
        summary: 'Place the order and pay',
        description:
          'Send an `Idempotency-Key` header: the same key and body replay the first answer (`Idempotent-Replayed: true`); ' +
          'another body with that key is 422; while the first is running, 409. 409 MCART_ERR_OUT_OF_STOCK lists the short variants; ' +
          '409 MCART_ERR_PRICE_CHANGED lists the new prices (`changes`) and the new `totals` (nothing charged; the cart now shows them, ' +
          'so a retry charges them); it also answers when the shipping the cart last showed now costs another amount (a new rate, ' +
          'or a moved free-shipping threshold) or, with no method in the body, would be another method (the shown default withdrawn ' +
          'or replaced), with `shippingChange: { from, to }` (and `fromMethodId`, `toMethodId` when the method changed; a method ' +
          'chosen in the body other than the shown one is charged as listed); and when the discount code now gives less than the ' +
          'cart last showed (the code edited since), with `discountChange: { from, to }` (a larger discount is charged without ' +
          'a 409: the shopper pays less than shown, never more; a code that no longer applies at all is 409 ' +
          'MCART_ERR_DISCOUNT_NOT_APPLICABLE); 402 MCART_ERR_PAYMENT_DECLINED; ' +
          '409 MCART_ERR_ORDER_CANCELLED when the order was cancelled while its payment ran (anything taken is given back). ' +
          'A retry with another key after an interrupted checkout pays the pending order the cart became. A guest cart checked ' +
          'out by a signed-in customer is theirs from then on: anyone else (another customer, or no token) gets 404 ' +
          'MCART_ERR_CART_NOT_FOUND for it, as for an unknown cart.',
        params: CartParams,
        body: CheckoutBody,
        response: { 201: CheckoutDto, ...errors, 402: ProblemRef, 422: ProblemRef, 503: ProblemRef },
      },
      config: { auth: 'customer-optional' },
    },
    async (request, reply) => {
      const customerId = request.customer?.id ?? null;
      const scope = customerId ? `customer:${customerId}` : `cart:${request.params.id}`;
      return runIdempotent(app, request, reply, { scope }, () =>
        new CheckoutService(request.em, deps).checkout(request.params.id, customerId, request.body),
      );
    },
  );

  const orders = (request: { em: import('@mikro-orm/postgresql').EntityManager }) =>
    new OrdersService(request.em, deps.cipher);

  app.get(
    '/api/store/orders',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: 'My orders',
        querystring: StoreOrderListQuery,
        response: { 200: StoreOrderListDto, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order, status } = request.query;
      const result = await orders(request).list(
        { customerId: request.customer!.id, status },
        { page, perPage, sort, order },
      );
      return { data: result.data.map(toStoreOrderSummary), total: result.total };
    },
  );

  app.get(
    '/api/store/orders/:id',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: 'One of my orders',
        description:
          'The order with its parcels (`shipments`, oldest first; voided labels are not listed): carrier, ' +
          'tracking number and link, where the parcel is, and which units it holds. An order of another customer is 404.',
        params: IdParams,
        response: { 200: StoreOrderDto, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      const service = orders(request);
      // Whose order it is is settled first: parcels are only read for the shopper's own order.
      const order = await service.findForCustomer(request.params.id, request.customer!.id);
      const lines = await service.detailLines(order);
      const shipments = (await shipping()?.parcelsOf(request.em, order.id)) ?? [];
      return toStoreOrderDto(order, lines, service.address(order), shipments);
    },
  );

  app.post(
    '/api/store/orders/:id/cancel',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: 'Cancel my order (until the warehouse starts on it): the payment is voided or refunded',
        description:
          'Allowed while the order is pending payment or paid; once it is processing (a label was bought, or part of it left) the answer is 409 MCART_ERR_ILLEGAL_TRANSITION. An unpaid order gives its cart back, open, and its discount code use. ' +
          'The body (a reason) may be left out.',
        params: IdParams,
        body: CancelBody,
        response: { 200: StoreOrderDto, ...errors, 502: ProblemRef, 503: ProblemRef },
      },
      config: { auth: 'customer' },
      // A social-only account or a button sends no body at all: that is an empty one, not a 400.
      preValidation: emptyBodyIsEmpty,
    },
    async (request) => {
      const customer = request.customer!;
      const service = orders(request);
      await service.findForCustomer(request.params.id, customer.id);
      const ops = new OrderOperations(request.em, deps.cipher, deps.payments, request.log);
      const order = await ops.cancel(
        request.params.id,
        { type: 'customer', id: customer.id },
        request.body?.reason,
        true,
      );
      // The same order as GET answers; a cancellable order has not been handed to a carrier, but a voided or
      // returned label may still be listed.
      const shipments = (await shipping()?.parcelsOf(request.em, order.id)) ?? [];
      return toStoreOrderDto(order, await service.detailLines(order), service.address(order), shipments);
    },
  );
};
