import { Type, type Static } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { forgetIdempotencyScope } from '../../platform/idempotency.ts';
import { preparedAll } from '../../platform/prepared.ts';
import { pgArray, query } from '../inventory/sql.ts';
import type { OrderStatus } from './order-states.ts';
import { OPEN_RETURN_REQUEST_STATUSES } from './return-requests.states.ts';
import { lineTitle } from './return-requests.service.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import type { OrderRow as StoredOrder, ShippingAddress } from './orders.service.ts';
import { AddressDto } from './orders.schemas.ts';

/**
 * A customer's orders and carts as the identity context needs them for the customer's data rights
 * (export and erasure, ADR 0048), without reading the orders context's tables itself. Implemented here,
 * published by the orders module as `app.customerOrders` (orders/index.ts); identity looks it up per call,
 * like orders looks up `app.payments`.
 */
export interface CustomerOrdersPort {
  /** The customer's orders that still need their personal data (not yet finished): erasure waits for them. */
  blockingOrders(em: EntityManager, customerId: string): Promise<BlockingOrder[]>;
  /** Everything the orders context holds about the customer, decrypted: orders, payments, shipments, carts. */
  exportFor(em: EntityManager, customerId: string): Promise<CustomerCommerceExport>;
  /**
   * In `tx`, the erasure's transaction: deletes the customer's open carts (a checkout of one waits for the
   * erasure, then finds the cart gone), detaches their completed carts, then locks their orders and, if none
   * is still in progress, detaches every one from the person: no customer link, `placeholderEmail`, the
   * address reduced to its country (kept for tax records), the customer's cancellation reason removed, the shipments'
   * recipient snapshot reduced the same way; the idempotency keys of their checkouts are forgotten. With an order
   * in progress nothing is written and `blocking` lists them (the caller rolls back).
   */
  detachCustomer(
    tx: EntityManager,
    customerId: string,
    placeholderEmail: string,
  ): Promise<{ anonymised: { id: string; number: string }[]; blocking: BlockingOrder[] }>;
}

export interface BlockingOrder {
  id: string;
  number: string;
  status: OrderStatus;
  /** Return requests of the order still open (requested or approved): goods may be on their way back (ADR 0051). */
  openReturnRequests?: number;
}

/**
 * Statuses in which an order needs nothing more of the person: nothing is left to ship, nothing comes back
 * by post. A return or refund after that goes to the card, not to the address. `partially_refunded` says
 * nothing about the goods: such an order is finished when the last place its goods reached, in its
 * timeline, is the customer (delivered) or back at the shop (returned), not a parcel still to ship again.
 */
export const FINISHED_ORDER_STATUSES: readonly OrderStatus[] = [
  'delivered',
  'cancelled',
  'refunded',
  'returned',
];
/**
 * An open return request (requested or approved) needs the person again: the store e-mails them its decision
 * and return address, and goods are on their way back (ADR 0051). Such an order blocks the erasure.
 */
const OPEN_RETURNS = `(SELECT count(*)::int FROM return_request r
  WHERE r.order_id = o.id AND r.status IN (${OPEN_RETURN_REQUEST_STATUSES.map((s) => `'${s}'`).join(', ')}))`;
const FINISHED = `(o.status = ANY('{${FINISHED_ORDER_STATUSES.join(',')}}'::text[])
  OR (o.status = 'partially_refunded' AND (
        SELECT e.to_status FROM order_event e
         WHERE e.order_id = o.id AND e.to_status IN ('paid', 'processing', 'shipped', 'delivered', 'returned')
         ORDER BY e.id DESC LIMIT 1) IN ('delivered', 'returned')))`;

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** The order DTO's address (orders.schemas.ts). */
const ExportedAddress = AddressDto;

/** A payment as the customer may see it: the card's brand and last four digits, never more (there is no more). */
const ExportedPayment = Type.Object({
  provider: Type.String(),
  status: Type.String(),
  amount: Money,
  captured: Money,
  refunded: Money,
  cardBrand: NullableString,
  cardLast4: NullableString,
  createdAt: DateTime,
});

const ExportedShipment = Type.Object({
  carrier: Type.String(),
  service: Type.String(),
  trackingNumber: Type.String(),
  trackingUrl: Type.String(),
  status: Type.String(),
  recipient: ExportedAddress,
  createdAt: DateTime,
  handedOverAt: NullableDateTime,
  deliveredAt: NullableDateTime,
  lines: Type.Array(Type.Object({ sku: Type.String(), title: Type.String(), quantity: Type.Integer() })),
  tracking: Type.Array(
    Type.Object({
      status: Type.String(),
      at: DateTime,
      location: NullableString,
      description: NullableString,
    }),
  ),
});

/** A return request with what the customer wrote and what the store answered them (ADR 0051). */
const ExportedReturnRequest = Type.Object({
  number: Type.String(),
  status: Type.String(),
  reason: Type.String(),
  comment: NullableString,
  note: NullableString,
  rejectionReason: NullableString,
  requestedAt: DateTime,
  approvedAt: NullableDateTime,
  rejectedAt: NullableDateTime,
  receivedAt: NullableDateTime,
  withdrawnAt: NullableDateTime,
  refunded: Type.Union([Money, Type.Null()]),
  lines: Type.Array(Type.Object({ sku: Type.String(), title: Type.String(), quantity: Type.Integer() })),
});

export const ExportedOrderDto = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    status: Type.String(),
    email: Type.String(),
    placedAt: DateTime,
    paidAt: NullableDateTime,
    cancelledAt: NullableDateTime,
    cancelReason: NullableString,
    totals: Type.Object({
      subtotal: Money,
      discount: Money,
      shipping: Money,
      tax: Money,
      total: Money,
      refunded: Money,
    }),
    discountCode: NullableString,
    shippingMethod: NullableString,
    shippingAddress: ExportedAddress,
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        title: Type.String(),
        quantity: Type.Integer(),
        returnedQuantity: Type.Integer(),
        refundedQuantity: Type.Integer(),
        unitPrice: Money,
        total: Money,
      }),
    ),
    statusHistory: Type.Array(Type.Object({ at: DateTime, from: NullableString, to: NullableString })),
    payments: Type.Array(ExportedPayment),
    shipments: Type.Array(ExportedShipment),
    returnRequests: Type.Array(ExportedReturnRequest),
  },
  { $id: 'ExportedOrderDto' },
);
export type ExportedOrder = Static<typeof ExportedOrderDto>;

export const ExportedCartDto = Type.Object(
  {
    status: Type.String(),
    createdAt: DateTime,
    updatedAt: DateTime,
    items: Type.Array(
      Type.Object({
        variantId: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Money,
        addedAt: DateTime,
      }),
    ),
  },
  { $id: 'ExportedCartDto' },
);
export type ExportedCart = Static<typeof ExportedCartDto>;

export interface CustomerCommerceExport {
  orders: ExportedOrder[];
  /** Open carts (a completed cart is its order). Never the cart id: it is a guest cart's only credential. */
  carts: ExportedCart[];
}

/** The columns the export and the erasure read (`OrderRow` of orders.service.ts). */
type OrderRow = Pick<
  StoredOrder,
  | 'id'
  | 'number'
  | 'status'
  | 'email'
  | 'currency'
  | 'subtotal'
  | 'discount_total'
  | 'shipping_total'
  | 'tax_total'
  | 'total'
  | 'refunded_total'
  | 'discount_code'
  | 'shipping_method_name'
  | 'shipping_address'
  | 'paid_at'
  | 'cancelled_at'
  | 'cancel_reason'
  | 'created_at'
>;

interface LineRow {
  order_id: string;
  sku: string;
  title: string;
  product_title: string;
  quantity: number;
  returned_quantity: number;
  refunded_quantity: number;
  unit_price: number;
  line_total: number;
}
interface HistoryRow {
  order_id: string;
  created_at: Date | string;
  from_status: string | null;
  to_status: string | null;
}
interface ShipmentRow {
  id: string;
  order_id: string;
  carrier: string;
  service: string;
  tracking_number: string;
  tracking_url: string;
  status: string;
  recipient: string;
  created_at: Date | string;
  handed_over_at: Date | string | null;
  delivered_at: Date | string | null;
}
interface ShipmentLineRow {
  shipment_id: string;
  sku: string;
  title: string;
  quantity: number;
}
interface TrackingRow {
  shipment_id: string;
  status: string;
  occurred_at: Date | string;
  location: string | null;
  description: string | null;
}
interface ReturnRequestRow {
  id: string;
  order_id: string;
  number: string;
  status: string;
  reason: string;
  comment: string | null;
  note: string | null;
  rejection_reason: string | null;
  created_at: Date | string;
  approved_at: Date | string | null;
  rejected_at: Date | string | null;
  received_at: Date | string | null;
  withdrawn_at: Date | string | null;
  refund_amount: number | null;
}
interface ReturnRequestLineRow {
  return_request_id: string;
  sku: string;
  title: string;
  product_title: string;
  quantity: number;
}
interface CartRow {
  cart_id: string;
  status: string;
  currency: string;
  created_at: Date | string;
  updated_at: Date | string;
  variant_id: string | null;
  quantity: number | null;
  unit_price: number | null;
  added_at: Date | string | null;
}

const blockingOrder = (order: BlockingOrder, openReturns: number): BlockingOrder =>
  openReturns > 0 ? { ...order, openReturnRequests: openReturns } : order;

/** Raw queries answer timestamps as the driver gives them. */
const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

/** Only the country stays: it decides the tax an order was charged, which the books must still show. */
const countryOnly = (address: { country?: string }): ShippingAddress => ({
  name: '',
  line1: '',
  city: '',
  postalCode: '',
  country: address.country ?? '',
});

/**
 * The orders context's side of the customer's data rights. `payments` is the payments context when
 * installed (its payments of an order, read through the PaymentGateway port).
 */
export function customerOrdersPort(
  cipher: FieldCipher,
  payments: () => PaymentGateway | null,
): CustomerOrdersPort {
  const open = <T>(sealed: string): T => cipher.decryptJson<T>(sealed);

  async function paymentsOf(orderId: string): Promise<ExportedOrder['payments']> {
    const gateway = payments();
    if (!gateway?.paymentsFor) return [];
    const rows = (await gateway.paymentsFor(orderId)) as Record<string, unknown>[];
    // Picked field by field: whatever else a payment row carries (gateway ids, decline codes) stays out.
    return rows.map((row) => {
      const currency = String(row.currency);
      const amount = (field: string) => ({ amount: Number(row[field] ?? 0), currency });
      return {
        provider: String(row.provider),
        status: String(row.status),
        amount: amount('amount'),
        captured: amount('capturedAmount'),
        refunded: amount('refundedAmount'),
        cardBrand: typeof row.brand === 'string' ? row.brand : null,
        cardLast4: typeof row.last4 === 'string' ? row.last4 : null,
        createdAt: iso(row.createdAt as string),
      };
    });
  }

  return {
    async blockingOrders(em, customerId) {
      const rows = await query<BlockingOrder & { open_returns: number }>(
        em,
        `SELECT o.id, o.number, o.status, ${OPEN_RETURNS} AS open_returns FROM orders o
          WHERE o.customer_id = ?::uuid AND (NOT ${FINISHED} OR ${OPEN_RETURNS} > 0) ORDER BY o.created_at, o.id`,
        [customerId],
      );
      return rows.map(({ open_returns, ...order }) => blockingOrder(order, open_returns));
    },

    async exportFor(em, customerId) {
      const orders = await query<OrderRow>(
        em,
        `SELECT id, number, status, email, currency, subtotal, discount_total, shipping_total, tax_total, total,
                refunded_total, discount_code, shipping_method_name, shipping_address, paid_at, cancelled_at,
                cancel_reason, created_at
           FROM orders WHERE customer_id = ?::uuid ORDER BY created_at, id`,
        [customerId],
      );
      const ids = pgArray(orders.map((order) => order.id));
      // One round trip on one connection. Shipments are the shipping context's rows, read here as the orders
      // context already reads them for cancellations (shipping depends on orders, not the other way round).
      const [lines, history, shipments, shipmentLines, tracking, carts, returns, returnLines] =
        (await preparedAll(em, [
          {
            sql: `SELECT order_id, sku, title, product_title, quantity, returned_quantity, refunded_quantity, unit_price, line_total
                  FROM order_line WHERE order_id = ANY(?::uuid[]) ORDER BY order_id, position`,
            params: [ids],
          },
          // Status changes only: staff notes are the shop's working notes (ADR 0048).
          {
            sql: `SELECT order_id, created_at, from_status, to_status FROM order_event
                 WHERE order_id = ANY(?::uuid[]) AND kind = 'status' ORDER BY id`,
            params: [ids],
          },
          {
            sql: `SELECT id, order_id, carrier, service, tracking_number, tracking_url, status, recipient, created_at,
                       handed_over_at, delivered_at
                  FROM shipment WHERE order_id = ANY(?::uuid[]) ORDER BY created_at, id`,
            params: [ids],
          },
          {
            sql: `SELECT l.shipment_id, l.sku, l.title, l.quantity FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id
                 WHERE s.order_id = ANY(?::uuid[]) ORDER BY l.shipment_id, l.sku`,
            params: [ids],
          },
          {
            sql: `SELECT t.shipment_id, t.status, t.occurred_at, t.location, t.description
                  FROM tracking_event t JOIN shipment s ON s.id = t.shipment_id
                 WHERE s.order_id = ANY(?::uuid[]) ORDER BY t.shipment_id, t.occurred_at, t.id`,
            params: [ids],
          },
          {
            sql: `SELECT c.id AS cart_id, c.status, c.currency, c.created_at, c.updated_at,
                       i.variant_id, i.quantity, i.unit_price, i.created_at AS added_at
                  FROM cart c LEFT JOIN cart_item i ON i.cart_id = c.id
                 WHERE c.customer_id = ?::uuid AND c.status = 'open' ORDER BY c.created_at, c.id, i.created_at`,
            params: [customerId],
          },
          {
            sql: `SELECT id, order_id, number, status, reason, comment, note, rejection_reason, created_at, approved_at,
                       rejected_at, received_at, withdrawn_at, refund_amount
                  FROM return_request WHERE order_id = ANY(?::uuid[]) ORDER BY created_at, id`,
            params: [ids],
          },
          {
            sql: `SELECT rl.return_request_id, l.sku, l.title, l.product_title, rl.quantity
                  FROM return_request_line rl JOIN return_request r ON r.id = rl.return_request_id
                  JOIN order_line l ON l.id = rl.order_line_id
                 WHERE r.order_id = ANY(?::uuid[]) ORDER BY rl.return_request_id, l.position`,
            params: [ids],
          },
        ])) as [
          LineRow[],
          HistoryRow[],
          ShipmentRow[],
          ShipmentLineRow[],
          TrackingRow[],
          CartRow[],
          ReturnRequestRow[],
          ReturnRequestLineRow[],
        ];

      const byOrder = <R extends { order_id: string }>(rows: R[]) => {
        const map = new Map<string, R[]>();
        for (const row of rows) map.set(row.order_id, [...(map.get(row.order_id) ?? []), row]);
        return map;
      };
      const byShipment = <R extends { shipment_id: string }>(rows: R[]) => {
        const map = new Map<string, R[]>();
        for (const row of rows) map.set(row.shipment_id, [...(map.get(row.shipment_id) ?? []), row]);
        return map;
      };
      const linesOf = byOrder(lines);
      const historyOf = byOrder(history);
      const shipmentsOf = byOrder(shipments);
      const shipmentLinesOf = byShipment(shipmentLines);
      const trackingOf = byShipment(tracking);
      const returnsOf = byOrder(returns);
      const returnLinesOf = new Map<string, ReturnRequestLineRow[]>();
      for (const row of returnLines)
        returnLinesOf.set(row.return_request_id, [...(returnLinesOf.get(row.return_request_id) ?? []), row]);

      const exported: ExportedOrder[] = [];
      for (const order of orders) {
        const money = (amount: number) => ({ amount: Number(amount), currency: order.currency });
        exported.push({
          id: order.id,
          number: order.number,
          status: order.status,
          email: order.email,
          placedAt: iso(order.created_at),
          paidAt: isoOrNull(order.paid_at),
          cancelledAt: isoOrNull(order.cancelled_at),
          cancelReason: order.cancel_reason,
          totals: {
            subtotal: money(order.subtotal),
            discount: money(order.discount_total),
            shipping: money(order.shipping_total),
            tax: money(order.tax_total),
            total: money(order.total),
            refunded: money(order.refunded_total),
          },
          discountCode: order.discount_code,
          shippingMethod: order.shipping_method_name,
          shippingAddress: open<ShippingAddress>(order.shipping_address),
          lines: (linesOf.get(order.id) ?? []).map((line) => ({
            sku: line.sku,
            title:
              line.product_title && line.title && line.title !== line.product_title
                ? `${line.product_title} – ${line.title}`
                : line.product_title || line.title,
            quantity: line.quantity,
            returnedQuantity: line.returned_quantity,
            refundedQuantity: line.refunded_quantity,
            unitPrice: money(line.unit_price),
            total: money(line.line_total),
          })),
          statusHistory: (historyOf.get(order.id) ?? []).map((event) => ({
            at: iso(event.created_at),
            from: event.from_status,
            to: event.to_status,
          })),
          payments: await paymentsOf(order.id),
          shipments: (shipmentsOf.get(order.id) ?? []).map((shipment) => ({
            carrier: shipment.carrier,
            service: shipment.service,
            trackingNumber: shipment.tracking_number,
            trackingUrl: shipment.tracking_url,
            status: shipment.status,
            recipient: open<ShippingAddress>(shipment.recipient),
            createdAt: iso(shipment.created_at),
            handedOverAt: isoOrNull(shipment.handed_over_at),
            deliveredAt: isoOrNull(shipment.delivered_at),
            lines: (shipmentLinesOf.get(shipment.id) ?? []).map(({ sku, title, quantity }) => ({
              sku,
              title,
              quantity,
            })),
            tracking: (trackingOf.get(shipment.id) ?? []).map((event) => ({
              status: event.status,
              at: iso(event.occurred_at),
              location: event.location,
              description: event.description,
            })),
          })),
          returnRequests: (returnsOf.get(order.id) ?? []).map((request) => ({
            number: request.number,
            status: request.status,
            reason: request.reason,
            comment: request.comment,
            note: request.note,
            rejectionReason: request.rejection_reason,
            requestedAt: iso(request.created_at),
            approvedAt: isoOrNull(request.approved_at),
            rejectedAt: isoOrNull(request.rejected_at),
            receivedAt: isoOrNull(request.received_at),
            withdrawnAt: isoOrNull(request.withdrawn_at),
            refunded: request.refund_amount === null ? null : money(request.refund_amount),
            lines: (returnLinesOf.get(request.id) ?? []).map((line) => ({
              sku: line.sku,
              title: lineTitle(line),
              quantity: line.quantity,
            })),
          })),
        });
      }

      const cartsById = new Map<string, ExportedCart>();
      for (const row of carts) {
        let cart = cartsById.get(row.cart_id);
        if (!cart) {
          cart = {
            status: row.status,
            createdAt: iso(row.created_at),
            updatedAt: iso(row.updated_at),
            items: [],
          };
          cartsById.set(row.cart_id, cart);
        }
        if (row.variant_id !== null)
          cart.items.push({
            variantId: row.variant_id,
            quantity: Number(row.quantity),
            unitPrice: { amount: Number(row.unit_price), currency: row.currency },
            addedAt: iso(row.added_at!),
          });
      }
      return { orders: exported, carts: [...cartsById.values()] };
    },

    async detachCustomer(tx, customerId, placeholderEmail) {
      // Carts first: their row locks are what a concurrent checkout of one of them waits on.
      await query(tx, `DELETE FROM cart WHERE customer_id = ?::uuid AND status <> 'completed'`, [customerId]);
      await query(
        tx,
        `UPDATE cart SET customer_id = NULL, updated_at = now() WHERE customer_id = ?::uuid AND status = 'completed'`,
        [customerId],
      );
      // Locked: a status change of one of these orders waits for the erasure, and is seen by this check.
      const orders = await query<BlockingOrder & { shipping_address: string; finished: boolean }>(
        tx,
        `SELECT o.id, o.number, o.status, o.shipping_address, ${FINISHED} AS finished
           FROM orders o WHERE o.customer_id = ?::uuid ORDER BY o.created_at, o.id FOR UPDATE OF o`,
        [customerId],
      );
      // A statement of its own, after the locks: a return request committed while this waited on an order's row
      // (its creation holds that lock) is seen here, where the locking statement's snapshot predates it.
      const openReturns = new Map(
        (
          await query<{ order_id: string; n: number }>(
            tx,
            `SELECT order_id, count(*)::int AS n FROM return_request
              WHERE order_id = ANY(?::uuid[]) AND status = ANY(?::text[]) GROUP BY order_id`,
            [pgArray(orders.map((order) => order.id)), pgArray(OPEN_RETURN_REQUEST_STATUSES)],
          )
        ).map((row) => [row.order_id, row.n]),
      );
      const blocking = orders
        .filter((order) => !order.finished || openReturns.has(order.id))
        .map(({ id, number, status }) => blockingOrder({ id, number, status }, openReturns.get(id) ?? 0));
      if (blocking.length) return { anonymised: [], blocking };
      // The checkouts' Idempotency-Key rows (scope as in store.routes.ts): the customer's id and a hash of
      // what they sent, their e-mail and address included.
      await forgetIdempotencyScope(tx, `customer:${customerId}`);
      if (!orders.length) return { anonymised: [], blocking };

      const ids = pgArray(orders.map((order) => order.id));
      const sealedCountry = (sealed: string) =>
        cipher.encryptJson(countryOnly(open<Partial<ShippingAddress>>(sealed)));
      await query(
        tx,
        `UPDATE orders o SET customer_id = NULL, email = ?, shipping_address = v.address,
                cancel_reason = CASE WHEN EXISTS (SELECT 1 FROM order_event e WHERE e.order_id = o.id
                                   AND e.to_status = 'cancelled' AND e.actor_type = 'customer') THEN NULL ELSE o.cancel_reason END,
                updated_at = now(), version = o.version + 1
           FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, address text)
          WHERE o.id = v.id`,
        [
          placeholderEmail,
          JSON.stringify(
            orders.map((order) => ({ id: order.id, address: sealedCountry(order.shipping_address) })),
          ),
        ],
      );
      // What the customer wrote (their cancellation's reason) goes; that a customer acted stays, without who.
      await query(
        tx,
        `UPDATE order_event SET actor_id = NULL, message = CASE WHEN to_status = 'cancelled' THEN NULL ELSE message END,
                message_params = CASE WHEN to_status = 'cancelled' THEN message_params - 'note' ELSE message_params END
          WHERE order_id = ANY(?::uuid[]) AND actor_type = 'customer'`,
        [ids],
      );
      // What the customer wrote on their return requests goes; what was returned, when and why stays.
      await query(
        tx,
        `UPDATE return_request SET comment = NULL, updated_at = now(), version = version + 1
          WHERE order_id = ANY(?::uuid[]) AND comment IS NOT NULL`,
        [ids],
      );
      // The label's recipient snapshot (shipping context) is the same address: reduced the same way.
      const shipments = await query<{ id: string; recipient: string }>(
        tx,
        `SELECT id, recipient FROM shipment WHERE order_id = ANY(?::uuid[]) FOR UPDATE`,
        [ids],
      );
      if (shipments.length)
        await query(
          tx,
          `UPDATE shipment s SET recipient = v.address, updated_at = now(), version = s.version + 1
             FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, address text) WHERE s.id = v.id`,
          [
            JSON.stringify(
              shipments.map((shipment) => ({ id: shipment.id, address: sealedCountry(shipment.recipient) })),
            ),
          ],
        );
      return { anonymised: orders.map(({ id, number }) => ({ id, number })), blocking: [] };
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The orders context's side of a customer's data rights (export, erasure): see CustomerOrdersPort. */
    customerOrders: CustomerOrdersPort;
  }
}
