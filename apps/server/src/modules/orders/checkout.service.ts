import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/errors.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { recordChange } from '../../platform/outbox.ts';
import type { IdempotentAnswer } from '../../platform/idempotency.ts';
import { InventoryService } from '../inventory/inventory.service.ts';
import { InventoryErrors } from '../inventory/inventory.errors.ts';
import { query } from '../inventory/sql.ts';
import { CartService, type CartRow, type CartView } from '../cart/cart.service.ts';
import { CartErrors } from '../cart/cart.errors.ts';
import type { CartDeps } from '../cart/ports.ts';
import { money } from '../cart/cart.schemas.ts';
import { OrderErrors } from './orders.errors.ts';
import {
  addOrderEvent,
  cancelUnpaid,
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

/**
 * Checkout in three steps, never holding a transaction open over the network:
 *  1. one transaction: close the cart, check prices, snapshot lines/totals/address (encrypted) into the
 *     order, reserve stock (conditional statements, stable order), redeem the discount code;
 *  2. the payment, outside any transaction (the payments context then calls markPaid / markPaymentFailed
 *     in its own transaction);
 *  3. the answer: 201 with the order, or 402 when declined (the order is cancelled and the cart reopened).
 * A checkout interrupted after step 1 resumes: the cart points at its pending order and a retry pays it.
 */
export class CheckoutService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: CheckoutDeps,
  ) {}

  async checkout(cartId: string, customerId: string | null, input: CheckoutInput): Promise<IdempotentAnswer> {
    const gateway = this.deps.payments();
    if (!gateway) throw OrderErrors.paymentsUnavailable('No payment provider is installed');
    const carts = new CartService(this.em, this.deps);
    const cart = await carts.load(cartId, customerId);
    if (cart.status === 'completed' && cart.order_id) return this.resume(cart.order_id, gateway, input);
    if (cart.status !== 'open') throw CartErrors.cartClosed();

    await this.refuseSoldOut(carts, cart.id);

    const orderId = randomUUID();
    let order: OrderRow;
    try {
      order = await this.em.transactional(async (tx) =>
        this.placeOrder(tx, cart, orderId, customerId, input),
      );
    } catch (err) {
      // The shopper is told the new prices, and the cart now shows them (so a retry charges what was shown).
      if (err instanceof AppError && err.code === OrderErrors.priceChanged.code)
        await carts.view(cart.id, customerId);
      throw err;
    }
    return this.pay(order, gateway, input);
  }

  /**
   * Fail fast when a line is plainly sold out, before the expensive part (pricing, the transaction). Only
   * a shortcut: the conditional reservation inside the transaction stays the authoritative check.
   */
  private async refuseSoldOut(carts: CartService, cartId: string): Promise<void> {
    const items = await carts.items(cartId);
    const stock = await new InventoryService(this.em).availability(items.map((item) => item.variant_id));
    const short = items
      .map((item) => ({ item, level: stock.get(item.variant_id) }))
      .filter(({ item, level }) => !level?.allowBackorder && (level?.available ?? 0) < item.quantity)
      .map(({ item, level }) => ({
        variantId: item.variant_id,
        requested: item.quantity,
        available: Math.max(0, level?.available ?? 0),
      }));
    if (short.length)
      throw InventoryErrors.outOfStock(`Not enough stock for ${short.length} item(s)`, { variants: short });
  }

  private refusePriceChanges(view: CartView): void {
    if (!view.items.length) throw CartErrors.cartEmpty();
    const withdrawn = view.items.filter((item) => !item.purchasable);
    if (withdrawn.length) {
      throw CartErrors.notPurchasable('Remove the items that are no longer for sale', {
        variants: withdrawn.map((item) => ({ variantId: item.variantId, itemId: item.id })),
      });
    }
    if (!view.priceChanges.length) return;
    throw OrderErrors.priceChanged(`${view.priceChanges.length} price(s) changed: nothing was charged`, {
      changes: view.priceChanges.map((change) => ({
        itemId: change.itemId,
        variantId: change.variantId,
        previous: money(change.previous, view.currency),
        current: money(change.current, view.currency),
      })),
      totals: Object.fromEntries(
        Object.entries(view.totals).map(([key, value]) => [key, money(value, view.currency)]),
      ),
    });
  }

  private async placeOrder(
    tx: EntityManager,
    cart: CartRow,
    orderId: string,
    customerId: string | null,
    input: CheckoutInput,
  ): Promise<OrderRow> {
    // Closing the cart first locks it: concurrent edits and a second checkout of the same cart wait, then see it closed.
    const closed = await query<CartRow>(
      tx,
      `UPDATE cart SET status = 'completed', order_id = ?::uuid, updated_at = now() WHERE id = ? AND status = 'open'
       RETURNING id, customer_id, status, currency, discount_code, shipping_method_id, order_id, created_at, updated_at`,
      [orderId, cart.id],
    );
    if (!closed[0]) throw CartErrors.cartClosed('The cart was checked out meanwhile');
    const carts = new CartService(tx, this.deps);
    const view = await carts.build(closed[0], false, input.shippingMethodId ?? cart.shipping_method_id, {
      stock: false,
    });
    if (input.shippingMethodId && view.shippingMethod?.id !== input.shippingMethodId)
      await carts.shippingMethod(input.shippingMethodId);
    this.refusePriceChanges(view);
    if (view.discountCode && view.discountProblem) {
      throw new AppError(
        'MCART_ERR_DISCOUNT_NOT_APPLICABLE',
        409,
        'The discount code does not apply',
        view.discountProblem,
        [{ path: '/discountCode', message: view.discountProblem }],
      );
    }

    const now = new Date();
    const reservedUntil = new Date(now.getTime() + this.deps.reservationTtlMinutes * 60_000);
    const [order] = await query<OrderRow>(
      tx,
      `INSERT INTO orders (id, number, status, customer_id, cart_id, email, currency, subtotal, discount_total, shipping_total, tax_total, total,
                           tax_rate_bps, prices_include_tax, discount_code, shipping_method_id, shipping_method_name, shipping_address, reserved_until)
       VALUES (?::uuid, 'MC-' || lpad(nextval('order_number_seq')::text, 6, '0'), 'pending_payment', ?::uuid, ?, ?, ?, ?::int, ?::int, ?::int, ?::int, ?::int,
               ?::int, ?, ?, ?::uuid, ?, ?, ?::timestamptz)
       RETURNING *`,
      [
        orderId,
        customerId,
        cart.id,
        input.email.trim().toLowerCase(),
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
        this.deps.cipher.encryptJson(input.shippingAddress),
        reservedUntil,
      ],
    );
    const values = view.items
      .map(() => '(?::uuid, ?::int, ?::uuid, ?::uuid, ?, ?, ?, ?::int, ?::int, ?::int, ?::int, ?::int)')
      .join(', ');
    await query(
      tx,
      `INSERT INTO order_line (order_id, position, variant_id, product_id, sku, title, product_title, quantity, unit_price, regular_price, line_total, weight_grams)
       VALUES ${values}`,
      view.items.flatMap((item, position) => [
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
    );
    await new InventoryService(tx).reserve(
      orderId,
      view.items.map((item) => ({ variantId: item.variantId, quantity: item.quantity })),
      reservedUntil,
    );
    if (view.discountCode && this.deps.discounts)
      await this.deps.discounts.redeem(tx, view.discountCode, orderId, customerId);
    await addOrderEvent(
      tx,
      orderId,
      { kind: 'status', to: 'pending_payment', message: 'Order placed' },
      customerId ? { type: 'customer', id: customerId } : { type: 'system', id: null },
    );
    recordChange(tx, {
      resource: 'orders',
      ids: [orderId],
      type: 'created',
      payload: { event: 'placed', number: order!.number },
    });
    return order!;
  }

  /** The cart was already turned into an order: an interrupted checkout continues with its payment. */
  private async resume(
    orderId: string,
    gateway: PaymentGateway,
    input: CheckoutInput,
  ): Promise<IdempotentAnswer> {
    const order = await new OrdersService(this.em, this.deps.cipher).find(orderId);
    if (order.status !== 'pending_payment')
      throw CartErrors.cartClosed(`The cart is already order ${order.number}`, {
        orderId: order.id,
        number: order.number,
      });
    return this.pay(order, gateway, input);
  }

  private async pay(
    order: OrderRow,
    gateway: PaymentGateway,
    input: CheckoutInput,
  ): Promise<IdempotentAnswer> {
    let result: StartPaymentResult;
    try {
      result = await gateway.startPayment({
        orderId: order.id,
        amount: order.total,
        currency: order.currency,
        provider: input.payment.provider,
        token: input.payment.token,
        customerEmail: order.email,
        // One payment per order: a resumed checkout finds the payment its first attempt started.
        idempotencyKey: `order:${order.id}`,
      });
    } catch (err) {
      // Refused before reaching the gateway (unknown provider, bad token format): nothing can pay this order.
      if (err instanceof AppError && err.status < 500)
        await cancelUnpaid(this.em.fork(), order.id, `payment_refused: ${err.code}`, {
          type: 'system',
          id: null,
        });
      throw err;
    }
    const current = await new OrdersService(this.em.fork(), this.deps.cipher).find(order.id);
    if (result.status === 'declined') {
      // The payments context already cancelled the order (markPaymentFailed); make sure, idempotently.
      await cancelUnpaid(this.em.fork(), order.id, `payment_failed: ${result.declineCode ?? 'declined'}`, {
        type: 'system',
        id: null,
      });
      throw OrderErrors.paymentDeclined(
        result.declineCode ? `Declined: ${result.declineCode}` : 'The card was declined',
        {
          orderId: order.id,
          number: order.number,
          ...(result.declineCode ? { declineCode: result.declineCode } : {}),
        },
      );
    }
    return {
      statusCode: 201,
      body: {
        order: {
          id: current.id,
          number: current.number,
          status: current.status,
          total: money(current.total, current.currency),
        },
        payment: {
          id: result.paymentId,
          status: result.status,
          ...(result.clientSecret ? { clientSecret: result.clientSecret } : {}),
        },
      },
    };
  }
}
