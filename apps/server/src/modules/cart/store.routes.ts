import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EmptyBody, emptyBodyIsEmpty, NoQuery, ProblemRef } from '../../platform/schemas.ts';
import { CartService } from './cart.service.ts';
import type { CartDeps } from './ports.ts';
import { toCartDto, toShippingMethodDto } from './cart.dto.ts';
import {
  AddItemBody,
  CartDto,
  CartItemParams,
  CartParams,
  DiscountBody,
  ShippingMethodBody,
  ShippingMethodListDto,
  UpdateItemBody,
} from './cart.schemas.ts';

const tags = ['store: cart'];
const security: Record<string, string[]>[] = [{}, { customerBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 404: ProblemRef, 409: ProblemRef, 503: ProblemRef };
const optional = { auth: 'customer-optional' as const };

export const cartStoreRoutes: FastifyPluginAsyncTypebox<{ deps: CartDeps }> = async (app, { deps }) => {
  const carts = (request: { em: EntityManager }) => new CartService(request.em, deps);
  const who = (request: { customer?: { id: string } }) => request.customer?.id ?? null;

  app.post(
    '/api/store/carts',
    {
      schema: {
        tags,
        security,
        summary: "Create a cart (a guest cart, or the signed-in customer's)",
        description: 'No body, or `{}`: the cart belongs to the bearer of the token, if any.',
        body: EmptyBody,
        response: { 201: CartDto, ...errors },
      },
      config: optional,
      preValidation: emptyBodyIsEmpty,
    },
    async (request, reply) => reply.status(201).send(toCartDto(await carts(request).create(who(request)))),
  );

  app.get(
    '/api/store/carts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'The cart with live prices and totals',
        params: CartParams,
        querystring: NoQuery,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) => toCartDto(await carts(request).view(request.params.id, who(request))),
  );

  app.post(
    '/api/store/carts/:id/items',
    {
      schema: {
        tags,
        security,
        summary: 'Add a variant (quantities add up)',
        description:
          'Adds to the line of that variant, if the cart has one: one line holds at most 999 (400 on `body/quantity` beyond). ' +
          '404 MCART_ERR_VARIANT_NOT_FOUND for an unknown variant and for one that is not for sale (its product a draft, ' +
          'archived or deleted), as on every store route; 409 MCART_ERR_NOT_PURCHASABLE only when the cart already holds a ' +
          'line of the variant and its product was withdrawn since (`variants: [{ variantId, itemId }]`: remove the line); ' +
          '409 MCART_ERR_OUT_OF_STOCK when the line would hold more than is available.',
        params: CartParams,
        body: AddItemBody,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) =>
      toCartDto(
        await carts(request).addItem(
          request.params.id,
          who(request),
          request.body.variantId,
          request.body.quantity,
        ),
      ),
  );

  app.patch(
    '/api/store/carts/:id/items/:itemId',
    {
      schema: {
        tags,
        security,
        summary: "Change a line's quantity",
        description:
          'The new quantity of the line (1-999; more than before needs the stock). 0 is refused (400): remove a line with DELETE. ' +
          '409 MCART_ERR_NOT_PURCHASABLE when the product of the line was withdrawn (remove the line).',
        params: CartItemParams,
        body: UpdateItemBody,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) =>
      toCartDto(
        await carts(request).updateItem(
          request.params.id,
          who(request),
          request.params.itemId,
          request.body.quantity,
        ),
      ),
  );

  app.delete(
    '/api/store/carts/:id/items/:itemId',
    {
      schema: {
        tags,
        security,
        summary: 'Remove a line',
        params: CartItemParams,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) =>
      toCartDto(await carts(request).removeItem(request.params.id, who(request), request.params.itemId)),
  );

  app.post(
    '/api/store/carts/:id/discount',
    {
      schema: {
        tags,
        security,
        summary: 'Apply a discount code',
        description:
          'One code per cart: a new one replaces the last (codes do not stack). Compared case-insensitively. A code that does ' +
          'not apply is refused on `body/code` (the cart keeps the code it had): 404 MCART_ERR_DISCOUNT_CODE_UNKNOWN, 422 ' +
          'MCART_ERR_DISCOUNT_CODE_EXPIRED (not yet or no longer valid), 422 MCART_ERR_DISCOUNT_CODE_MIN_SUBTOTAL (`minSubtotal`), ' +
          '409 MCART_ERR_DISCOUNT_CODE_EXHAUSTED, 409 MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT.',
        params: CartParams,
        body: DiscountBody,
        response: { 200: CartDto, ...errors, 422: ProblemRef },
      },
      config: optional,
    },
    async (request) =>
      toCartDto(await carts(request).applyDiscount(request.params.id, who(request), request.body.code)),
  );

  app.delete(
    '/api/store/carts/:id/discount',
    {
      schema: {
        tags,
        security,
        summary: 'Remove the discount code',
        params: CartParams,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) => toCartDto(await carts(request).removeDiscount(request.params.id, who(request))),
  );

  app.put(
    '/api/store/carts/:id/shipping-method',
    {
      schema: {
        tags,
        security,
        summary: 'Choose the shipping method',
        params: CartParams,
        body: ShippingMethodBody,
        response: { 200: CartDto, ...errors },
      },
      config: optional,
    },
    async (request) =>
      toCartDto(
        await carts(request).setShippingMethod(
          request.params.id,
          who(request),
          request.body.shippingMethodId,
        ),
      ),
  );

  app.post(
    '/api/store/carts/:id/claim',
    {
      schema: {
        tags,
        security: [{ customerBearer: [] }],
        summary:
          'After sign-in: attach a guest cart to the customer, merging it into their open cart if they have one',
        description:
          "Answers the customer's cart, whose id may differ from the guest cart's (the guest cart is retired after a merge). " +
          'A variant in both carts adds up to at most what is available (unless it may be backordered) and 999 a line, never ' +
          'below what either cart held. 409 MCART_ERR_CART_TOO_LARGE when the two carts together would hold more ' +
          'than 100 different items (`maxItems`, `items`, `customerCartId`): nothing is merged, both carts stay as they were. ' +
          "A guest cart already merged into the caller's open cart (a retried claim, another tab signing in) answers that cart; " +
          "a cart another customer claimed (even while this request waited) is 404, as for any customer cart not the caller's.",
        params: CartParams,
        body: EmptyBody,
        response: { 200: CartDto, ...errors },
      },
      config: { auth: 'customer' },
      preValidation: emptyBodyIsEmpty,
    },
    async (request) => toCartDto(await carts(request).claim(request.params.id, request.customer!.id)),
  );

  app.get(
    '/api/store/shipping-methods',
    {
      schema: {
        tags,
        summary: 'Shipping methods and their rates',
        querystring: NoQuery,
        response: { 200: ShippingMethodListDto, 400: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      const data = (await carts(request).listShippingMethods()).map((method) =>
        toShippingMethodDto(method, deps.settings.currency),
      );
      return { data, total: data.length };
    },
  );
};
