import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, onField } from '../../platform/errors.ts';
import { withCheckedRegion } from '../../platform/regions.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import type { IdempotentAnswer } from '../../platform/idempotency.ts';
import { canonicalId, InventoryService, refusedReservation } from '../inventory/inventory.service.ts';
import { queued } from '../../platform/prepared.ts';
import { InventoryErrors } from '../inventory/inventory.errors.ts';
import { CartService, type CartRow, type CartView } from '../cart/cart.service.ts';
import { CartErrors } from '../cart/cart.errors.ts';
import type { CartDeps } from '../cart/ports.ts';
import { money } from '../cart/cart.schemas.ts';
import { PricingErrors } from '../pricing/pricing.errors.ts';
import { OrderErrors } from './orders.errors.ts';
import {
  cancelUnpaid,
  markPaid,
  OrdersService,
  type OrderRow,
  type ShippingAddress,
} from './orders.service.ts';
import type { PaymentGateway, StartPaymentResult } from './payment-gateway.ts';

export interface CheckoutInput {
  email: string;
  shippingAddress: ShippingAddress;
  shippingMethodId?: string | undefined;
  payment: { provider: string; token?: string | undefined };
}

export interface CheckoutDeps extends CartDeps {
  cipher: FieldCipher;
  reservationTtlMinutes: number;
  payments: () => PaymentGateway | null;
}

interface PlacedOrder {
  order: OrderRow;
  /** The pending payment written with the order; null when there was nothing to pay (already paid). */
  paymentId: string | null;
}

const orderAnswer = (order: OrderRow) => ({
  id: order.id,
  number: order.number,
  status: order.status,
  total: money(order.total, order.currency),
});

/** The largest amount an order holds (its columns are PostgreSQL `integer`s of minor units). */
const MAX_AMOUNT = 2_147_483_647;

/** One payment per order (its idempotency key): a resumed checkout finds the payment its first attempt opened. */
const paymentInput = (orderId: string, amount: number, currency: string, input: CheckoutInput) => ({
  orderId,
  amount,
  currency,
  provider: input.payment.provider,
  token: input.payment.token,
  customerEmail: input.email.trim().toLowerCase(),
  idempotencyKey: `order:${orderId}`,
});

/**
 * Checkout in three steps, never holding a transaction open over the network:
 *  1. one transaction: close the cart, check stock and prices, snapshot lines/totals/address (encrypted)
 *     into the order, redeem the discount code, open the pending payment (refused input fails here, with
 *     nothing written), reserve stock last (conditional, stable lock order); a handful of statements whatever
 *     the basket size (ADR 0038);
 *  2. the payment at the gateway, outside any transaction (the payments context then calls markPaid / markPaymentFailed
 *     in its own transaction);
 *  3. the answer: 201 with the order, or 402 when declined (the order is cancelled and the cart reopened).
 * A checkout interrupted after step 1 resumes: the cart points at its pending order and a retry pays it. Only
 * its buyer may: a customer's order is theirs alone (anyone else holding the cart id gets the 404 of an unknown
 * cart, and never reaches its payment); a guest order is its cart's, as the cart is.
 */
export class CheckoutService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: CheckoutDeps,
  ) {}

  async checkout(cartId: string, customerId: string | null, given: CheckoutInput): Promise<IdempotentAnswer> {
    // The method id is compared in JavaScript (charged vs. requested vs. shown): one spelling, PostgreSQL's.
    const input: CheckoutInput = given.shippingMethodId
      ? { ...given, shippingMethodId: canonicalId(given.shippingMethodId) }
      : given;
    const gateway = this.deps.payments();
    if (!gateway) throw OrderErrors.paymentsUnavailable('No payment provider is installed');
    const orderId = randomUUID();
    let placed: PlacedOrder | null;
    try {
      // CPU work before the transaction, not while it holds locks.
      // ISO 3166 codes are upper case (the address book insists; labels and carriers expect it): "gb" is GB.
      // A US or Canadian region, when given, is its state or province code ("il" is IL); company and region
      // are trimmed, blank ones left out (ADR 0047).
      const encryptedAddress = this.deps.cipher.encryptJson(
        withCheckedRegion(
          { ...input.shippingAddress, country: input.shippingAddress.country.toUpperCase() },
          'body/shippingAddress',
        ),
      );
      placed = await this.placeOrder(
        cartId,
        orderId,
        customerId,
        input,
        encryptedAddress,
        gateway,
        'all-at-once',
      );
    } catch (err) {
      // The shopper is told the new prices (lines, shipping, discount), and the cart now shows them (so a retry
      // charges what was shown).
      if (err instanceof AppError && err.code === OrderErrors.priceChanged.code)
        await new CartService(this.em, this.deps).view(cartId, customerId).catch(() => undefined);
      if (err instanceof AppError && err.code === CartErrors.shippingMethodWithdrawn.code)
        await new CartService(this.em, this.deps).forgetShippingMethod(
          cartId,
          err.extra!.withdrawnShippingMethodId as string,
        );
      throw err;
    }
    if (!placed) {
      // Not open or not this caller's: 404, the resumable pending order, or 409 closed.
      const cart = await new CartService(this.em, this.deps).load(cartId, customerId);
      if (cart.status === 'completed' && cart.order_id)
        return this.resume(cart.order_id, customerId, gateway, input);
      throw CartErrors.cartClosed();
    }
    // Nothing to pay: markPaid ran in the order's own transaction, so it committed as paid.
    if (placed.paymentId === null)
      return { statusCode: 201, body: { order: orderAnswer({ ...placed.order, status: 'paid' }) } };
    return this.pay(placed.order, customerId, gateway, input, placed.paymentId);
  }

  /**
   * The order's transaction. Stock is reserved with one statement for the whole basket, sent with the COMMIT;
   * when a concurrent checkout emptied a chosen location meanwhile, the transaction is rolled back and run once
   * more, reserving line by line (retrying other locations) so that locks are still taken in a stable order.
   */
  private async placeOrder(
    cartId: string,
    orderId: string,
    customerId: string | null,
    input: CheckoutInput,
    encryptedAddress: string,
    gateway: PaymentGateway,
    mode: 'all-at-once' | 'line-by-line',
  ): Promise<PlacedOrder | null> {
    try {
      const written = await this.em.transactional((tx) =>
        this.writeOrder(tx, cartId, orderId, customerId, input, encryptedAddress, gateway, mode),
      );
      return written ? { order: (await written.rows)[0]!, paymentId: written.paymentId } : null;
    } catch (err) {
      const refused = mode === 'all-at-once' ? refusedReservation(err) : null;
      if (refused === 'contended')
        return this.placeOrder(cartId, orderId, customerId, input, encryptedAddress, gateway, 'line-by-line');
      throw refused ?? err;
    }
  }

  /**
   * Refuses to charge what the shopper was not shown:
   *  - a line whose live price differs from the shown one;
   *  - shipping other than the cart last showed: another amount (a new rate, a moved free-shipping threshold) or,
   *    unless the body names a method, another method (the shown default withdrawn or replaced). A method the
   *    shopper picked in the checkout body from the listed rates, other than the shown one, is charged as listed;
   *  - a smaller discount than the cart showed (its code edited since: a lower value, another type), so the
   *    shopper would pay more than shown. A larger discount is charged without asking (they pay less, never
   *    more); a code that no longer applies at all is MCART_ERR_DISCOUNT_NOT_APPLICABLE (see writeOrder).
   * A cart never shown is not checked. The shown amounts come with the cart's row (closeForCheckout).
   */
  private refusePriceChanges(view: CartView, cart: CartRow, pickedMethodId: string | null): void {
    if (!view.items.length) throw CartErrors.cartEmpty();
    const withdrawn = view.items.filter((item) => !item.purchasable);
    if (withdrawn.length) {
      throw CartErrors.notPurchasable('Remove the items that are no longer for sale', {
        variants: withdrawn.map((item) => ({ variantId: item.variantId, itemId: item.id })),
      });
    }
    const shown = cart.shown_shipping_amount;
    const shownMethodId = cart.shown_shipping_method_id;
    const chargedMethodId = view.shippingMethod?.id ?? null;
    const pickedAnother = pickedMethodId !== null && pickedMethodId !== shownMethodId;
    const methodChanged = chargedMethodId !== shownMethodId;
    const shippingChanged =
      shown !== null && !pickedAnother && (methodChanged || view.totals.shipping !== shown);
    const shownDiscount = cart.shown_discount_amount;
    const discountShrank =
      shownDiscount !== null && !view.discountProblem && view.totals.discount < shownDiscount;
    if (!view.priceChanges.length && !shippingChanged && !discountShrank) return;
    const what = [
      ...(view.priceChanges.length ? [`${view.priceChanges.length} price(s)`] : []),
      ...(shippingChanged ? ['shipping'] : []),
      ...(discountShrank ? ['the discount'] : []),
    ].join(' and ');
    throw OrderErrors.priceChanged(`${what} changed: nothing was charged`, {
      changes: view.priceChanges.map((change) => ({
        itemId: change.itemId,
        variantId: change.variantId,
        previous: money(change.previous, view.currency),
        current: money(change.current, view.currency),
      })),
      ...(shippingChanged
        ? {
            shippingChange: {
              from: money(shown, view.currency),
              to: money(view.totals.shipping, view.currency),
              ...(methodChanged ? { fromMethodId: shownMethodId, toMethodId: chargedMethodId } : {}),
            },
          }
        : {}),
      ...(discountShrank
        ? {
            discountChange: {
              from: money(shownDiscount, view.currency),
              to: money(view.totals.discount, view.currency),
            },
          }
        : {}),
      totals: Object.fromEntries(
        Object.entries(view.totals).map(([key, value]) => [key, money(value, view.currency)]),
      ),
    });
  }

  private async writeOrder(
    tx: EntityManager,
    cartId: string,
    orderId: string,
    customerId: string | null,
    input: CheckoutInput,
    encryptedAddress: string,
    gateway: PaymentGateway,
    mode: 'all-at-once' | 'line-by-line',
  ): Promise<{ rows: Promise<OrderRow[]>; paymentId: string | null } | null> {
    const carts = new CartService(tx, this.deps);
    const closed = await carts.closeForCheckout(cartId, customerId, orderId, input.shippingMethodId ?? null);
    if (!closed) return null;
    const { cart, shippingMethods, priced } = closed;
    const view = await carts.build(cart, false, input.shippingMethodId ?? cart.shipping_method_id, {
      shippingMethods,
      priced,
    });
    if (input.shippingMethodId && view.shippingMethod?.id !== input.shippingMethodId) {
      throw CartErrors.shippingMethodNotFound(undefined, {
        errors: [{ path: 'body/shippingMethodId', message: 'unknown or inactive shipping method' }],
      });
    }
    // The method the shopper chose for the cart is no longer offered: they are told, not sent the default
    // one unasked (as with a changed price); the cart then falls back to the default (see checkout).
    if (
      !input.shippingMethodId &&
      cart.shipping_method_id &&
      view.shippingMethod?.id !== cart.shipping_method_id
    ) {
      throw CartErrors.shippingMethodWithdrawn(
        `${view.shippingMethod ? `Shipping would be ${view.shippingMethod.name}` : 'No shipping method is offered'}: nothing was charged`,
        {
          withdrawnShippingMethodId: cart.shipping_method_id,
          ...(view.shippingMethod ? { shippingMethodId: view.shippingMethod.id } : {}),
          errors: [
            { path: 'body/shippingMethodId', message: "the cart's shipping method is no longer offered" },
          ],
        },
      );
    }
    if (!view.items.length) throw CartErrors.cartEmpty();

    // A plainly sold-out line is refused before anything is written (the usual refusal when stock runs
    // out); the conditional reservation at the end stays the authoritative check.
    const short = view.items
      .filter((item) => !item.allowBackorder && item.available < item.quantity)
      .map((item) => ({ variantId: item.variantId, requested: item.quantity, available: item.available }));
    if (short.length)
      throw InventoryErrors.outOfStock(`Not enough stock for ${short.length} item(s)`, { variants: short });
    this.refusePriceChanges(view, cart, input.shippingMethodId ?? null);
    if (view.discountCode && view.discountProblem) {
      throw new AppError(
        'MCART_ERR_DISCOUNT_NOT_APPLICABLE',
        409,
        'The discount code does not apply',
        view.discountProblem,
        [{ path: 'cart/discountCode', message: view.discountProblem }],
      );
    }

    // The order's amounts are PostgreSQL integers (minor units): a larger basket is refused, not a 500.
    // (Lines are never negative, so none exceeds the subtotal.)
    if (Math.max(view.totals.subtotal, view.totals.total) > MAX_AMOUNT) {
      throw OrderErrors.orderTooLarge(`One order holds at most ${MAX_AMOUNT} minor units: split the basket`, {
        errors: [{ path: 'cart/items', message: `the total must be at most ${MAX_AMOUNT} minor units` }],
      });
    }

    const email = input.email.trim().toLowerCase();
    const reservedUntil = new Date(Date.now() + this.deps.reservationTtlMinutes * 60_000);
    // The order, its lines and its first timeline event in one statement.
    const lineValues = view.items
      .map(() => '(?::uuid, ?::int, ?::uuid, ?::uuid, ?, ?, ?, ?::int, ?::int, ?::int, ?::int, ?::int)')
      .join(', ');
    const actor = customerId ? { type: 'customer', id: customerId } : { type: 'system', id: null };
    const orderInsert = {
      sql: `WITH o AS (
         INSERT INTO orders (id, number, status, customer_id, cart_id, email, currency, subtotal, discount_total, shipping_total, tax_total, total,
                             tax_rate_bps, prices_include_tax, discount_code, shipping_method_id, shipping_method_name, shipping_address, reserved_until)
         VALUES (?::uuid, 'MC-' || lpad(nextval('order_number_seq')::text, 6, '0'), 'pending_payment', ?::uuid, ?, ?, ?, ?::int, ?::int, ?::int, ?::int, ?::int,
                 ?::int, ?, ?, ?::uuid, ?, ?, ?::timestamptz)
         RETURNING *
       ), l AS (
         INSERT INTO order_line (order_id, position, variant_id, product_id, sku, title, product_title, quantity, unit_price, regular_price, line_total, weight_grams)
         VALUES ${lineValues}
       ), e AS (
         INSERT INTO order_event (order_id, kind, from_status, to_status, message, message_key, message_params, actor_type, actor_id)
         VALUES (?::uuid, 'status', NULL, 'pending_payment', 'Order placed', 'order.placed', '{}'::jsonb, ?, ?::uuid)
       ), placed AS (
         INSERT INTO outbox_event (resource, ids, type, payload)
         SELECT 'orders', ARRAY[id::text], 'created', jsonb_build_object('event', 'placed', 'number', number) FROM o
       )
       SELECT * FROM o`,
      params: [
        orderId,
        customerId,
        cart.id,
        email,
        view.currency,
        view.totals.subtotal,
        view.totals.discount,
        view.totals.shipping,
        view.totals.tax,
        view.totals.total,
        this.deps.settings.taxRateBps,
        this.deps.settings.pricesIncludeTax,
        view.discountCode,
        view.shippingMethod?.id ?? null,
        view.shippingMethod?.name ?? null,
        encryptedAddress,
        reservedUntil,
        ...view.items.flatMap((item, position) => [
          orderId,
          position + 1,
          item.variantId,
          item.productId,
          item.sku ?? '',
          item.title,
          item.productTitle,
          item.quantity,
          item.unitPrice,
          item.regularPrice,
          item.total,
          item.weightGrams,
        ]),
        orderId,
        actor.type,
        actor.id,
      ],
    };

    // The order, its pending payment, then its stock (last), travel with the COMMIT: a hot variant's row is
    // locked only while PostgreSQL runs them and commits, never across a round trip (ADR 0040). A discount
    // code is redeemed in between (the order is sent just before its first statement). The reservation writes
    // its own events and raises when a line cannot be had: then the COMMIT fails, and placeOrder reads why.
    const lines = view.items.map((item) => ({ variantId: item.variantId, quantity: item.quantity }));
    const inventory = new InventoryService(tx);
    const placed = await queued<OrderRow>(tx, orderInsert.sql, orderInsert.params);
    if (view.discountCode && this.deps.discounts)
      await this.deps.discounts
        .redeem(tx, view.discountCode, orderId, { customerId, email })
        .catch((err: unknown) => {
          // The cart cannot know the guest's e-mail: a use of the code under it is only found here. Named as
          // the cart's code, as MCART_ERR_DISCOUNT_NOT_APPLICABLE is (the checkout fails: nothing was written).
          if (err instanceof AppError && err.code === PricingErrors.perCustomerLimit.code)
            throw onField(
              err,
              'cart/discountCode',
              customerId
                ? 'already used by this account as often as allowed'
                : 'already used with this e-mail address as often as allowed',
              customerId
                ? 'This account has already used this discount code as often as allowed: remove it from the cart'
                : 'This e-mail address has already used this discount code as often as allowed: remove it from the cart',
            );
          throw err;
        });
    // Nothing to pay (a 100% code, free shipping): no payment; the order is paid as it is placed (below).
    const free = view.totals.total === 0;
    const paymentId = free
      ? null
      : await gateway.openPayment(tx, paymentInput(orderId, view.totals.total, view.currency, input));
    if (mode === 'all-at-once') {
      const reservation = inventory.reservation(orderId, lines, reservedUntil);
      await queued(tx, reservation.sql, reservation.params);
    } else {
      await inventory.reserve(orderId, lines, reservedUntil);
    }
    if (free) await markPaid(tx, orderId, null);
    return { rows: placed.rows, paymentId };
  }

  /**
   * The cart was already turned into an order: an interrupted checkout continues with its payment, for its
   * buyer only. Whose order it is is settled first: another caller learns nothing of it (not even its number).
   */
  private async resume(
    orderId: string,
    customerId: string | null,
    gateway: PaymentGateway,
    input: CheckoutInput,
  ): Promise<IdempotentAnswer> {
    const order = await new OrdersService(this.em, this.deps.cipher).find(orderId);
    refuseOthers(order, customerId);
    if (order.status !== 'pending_payment')
      throw CartErrors.cartClosed(`The cart is already order ${order.number}`, {
        orderId: order.id,
        number: order.number,
      });
    return this.pay(order, customerId, gateway, input);
  }

  /** Pays the caller's order. A refused or declined payment cancels it, so nobody else may get this far. */
  private async pay(
    order: OrderRow,
    customerId: string | null,
    gateway: PaymentGateway,
    input: CheckoutInput,
    openedPaymentId?: string,
  ): Promise<IdempotentAnswer> {
    refuseOthers(order, customerId);
    let result: StartPaymentResult;
    try {
      result = await gateway.startPayment({
        ...paymentInput(order.id, order.total, order.currency, input),
        customerEmail: order.email,
        openedPaymentId,
      });
    } catch (err) {
      // Refused before reaching the gateway (unknown provider, bad token format): nothing can pay this order.
      if (err instanceof AppError && err.status < 500)
        await cancelUnpaid(
          this.em.fork(),
          order.id,
          `payment_refused: ${err.code}`,
          { type: 'system', id: null },
          { key: 'order.payment_refused', params: { note: err.code } },
        );
      throw err;
    }
    if (result.status === 'declined') {
      // The payments context already cancelled the order (markPaymentFailed); make sure, idempotently.
      await cancelUnpaid(
        this.em.fork(),
        order.id,
        `payment_failed: ${result.declineCode ?? 'declined'}`,
        { type: 'system', id: null },
        { key: 'order.payment_failed', params: { note: result.declineCode ?? 'declined' } },
      );
      throw OrderErrors.paymentDeclined(
        result.declineCode ? `Declined: ${result.declineCode}` : 'The card was declined',
        {
          orderId: order.id,
          number: order.number,
          ...(result.declineCode ? { declineCode: result.declineCode } : {}),
        },
      );
    }
    if (result.givenBack) {
      // Cancelled (by the shopper or staff) between its commit and the gateway's answer: the order stays
      // cancelled and the payments context gives the money back; the shopper is told so, not "paid".
      throw OrderErrors.cancelledWhilePaying('Anything the payment took is given back automatically', {
        orderId: order.id,
        number: order.number,
      });
    }
    // The order as the payment left it: paid (the usual answer, known without a read), or read (still pending a
    // required action, or changed by another path meanwhile).
    const current = result.orderPaid
      ? { ...order, status: 'paid' as const }
      : await new OrdersService(this.em.fork(), this.deps.cipher).find(order.id);
    return {
      statusCode: 201,
      body: {
        order: orderAnswer(current),
        payment: {
          id: result.paymentId,
          status: result.status,
          ...(result.clientSecret ? { clientSecret: result.clientSecret } : {}),
        },
      },
    };
  }
}

/**
 * A signed-in customer's order is theirs alone: anyone else (another customer, or a caller without a token)
 * gets the answer of an unknown cart, as for an order of someone else on GET /api/store/orders/{id}. A guest
 * order (no customer) is reached by its cart's id, the guest's only key.
 */
function refuseOthers(order: OrderRow, customerId: string | null): void {
  if (order.customer_id !== null && order.customer_id !== customerId) throw CartErrors.cartNotFound();
}
