import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StoreAddress } from '../../config.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError, CommonErrors } from '../../platform/errors.ts';
import { withCheckedRegion } from '../../platform/regions.ts';
import { recordChange } from '../../platform/outbox.ts';
import { FULLY_SHIPPED_STATUSES, reachedSinceParcelReturnSql } from '../orders/order-states.ts';
import {
  ShipmentLineSchema,
  ShipmentSchema,
  TrackingEventSchema,
  type Shipment,
  type ShipmentStatus,
} from './shipment.entity.ts';
import { ShippingErrors } from './shipping.errors.ts';
import { assertLabelFits, mergePdfs, renderLabelsPdf, renderLabelsZpl, type LabelData } from './label.ts';
import {
  SHIPPABLE_ORDER_STATUSES,
  type AwaitingOrder,
  type FulfilmentLine,
  type FulfilmentOrder,
  type OrdersPort,
} from './orders-port.ts';
import type {
  LabelFormat,
  Parcel,
  PostalAddress,
  ShippingProvider,
  TrackingStatus,
  TrackingUpdate,
} from './providers/provider.ts';

export interface ShipmentRequest {
  lines?: { orderLineId: string; quantity: number }[] | undefined;
  package?: Partial<Parcel> | undefined;
  service?: string | undefined;
  /** The address to print instead of the order's (written by staff when the order's does not fit a label). */
  shippingAddress?: PostalAddress | undefined;
}

export interface Actor {
  kind: 'staff' | 'system';
  id?: string | undefined;
}

/** Orders read per page while filling the to-pack queue. */
const TO_PACK_PAGE = 200;

/** How many hosted labels a batch downloads at once. */
const LABEL_DOWNLOADS_AT_ONCE = 4;

/** Default box when neither the request nor the variants give dimensions (a common small carton). */
export const DEFAULT_BOX_MM = { lengthMm: 300, widthMm: 200, heightMm: 100 } as const;

/**
 * Shipment statuses a tracking event may move to, from each status. Delivered and returned parcels are
 * finished; an exception (damaged, address problem) can recover. Events that are not allowed, or older
 * than the latest one, are kept in the timeline without changing the status.
 */
export const TRACKING_TRANSITIONS: Record<ShipmentStatus, readonly TrackingStatus[]> = {
  label_created: ['in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'],
  in_transit: ['in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'],
  out_for_delivery: ['in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'],
  exception: ['in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'],
  delivered: [],
  returned_to_sender: [],
  voided: [],
};

/**
 * Shipments whose units are not out: a voided label never left; a parcel returned to sender is back in the
 * warehouse, and its units are to ship again (ADR 0047). Every count of shipped units leaves them out.
 */
export const NOT_OUT: readonly ShipmentStatus[] = ['voided', 'returned_to_sender'];
const NOT_OUT_SQL = NOT_OUT.map((status) => `'${status}'`).join(', ');

const HANDED_OVER: readonly ShipmentStatus[] = [
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
];

/**
 * Units of a line still to ship. A returned unit is not shipped again: returns are capped at what was
 * shipped, so returned units are normally among the shipped ones (hence the larger of the two, not their
 * sum); units returned without a shipment (restocked, e.g. recorded before that cap) count as gone.
 */
function leftToShip(line: FulfilmentLine, shipped: Map<string, number>): number {
  return line.quantity - Math.max(shipped.get(line.id) ?? 0, line.returnedQuantity ?? 0);
}

/** An order's units in shipments that are out, from its shippedQuantities. */
function unitsOut(shipped: Map<string, number> | undefined): number {
  let units = 0;
  for (const quantity of shipped?.values() ?? []) units += quantity;
  return units;
}

/**
 * Whether the order's timeline says every unit left: the status (`shipped` or `delivered`) it was last moved
 * to, unless a parcel came back to the warehouse since, else NULL. `orderId` is an SQL expression of the order's
 * id. Staff may ship outside the shipping module and mark the order shipped by hand: it then has no parcel for
 * the counts of units out, and once partly refunded its status (`partially_refunded`) is shippable again; it has
 * nothing left to pack all the same (ADR 0012, 0047). The orders context asks the same question of its timeline.
 */
export const shippedInFullSql = (orderId: string): string =>
  reachedSinceParcelReturnSql(orderId, FULLY_SHIPPED_STATUSES);

/**
 * The to-pack queue's rule (toPack) as one SQL condition, for read models that count the queue (the
 * dashboard): `order` is an SQL reference to the orders row. An order is to pack when its status is
 * shippable, its timeline does not say it was shipped in full (shippedInFullSql), and a line has units left
 * to ship: leftToShip over getOrderForFulfilment's quantity (units ordered less those refunded before they
 * shipped), the units in shipments that are out and the returned units. Reads `order_line`, `order_event`,
 * `shipment` and `shipment_line`; keep in step with leftToShip.
 */
export function toPackSqlCondition(order: string): string {
  const statuses = SHIPPABLE_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');
  return `${order}.status IN (${statuses}) AND ${shippedInFullSql(`${order}.id`)} IS NULL AND EXISTS (
    SELECT 1 FROM order_line l
     WHERE l.order_id = ${order}.id
       AND l.quantity - l.withdrawn_quantity > greatest(l.returned_quantity, coalesce((
             SELECT sum(sl.quantity) FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
              WHERE s.order_id = ${order}.id AND sl.order_line_id = l.id AND s.status NOT IN (${NOT_OUT_SQL})), 0)))`;
}

export interface ApplyResult {
  /**
   * applied: the event moved the shipment; recorded: it joined the timeline only (see `notApplied`);
   * duplicate: the same event was received before, nothing happened.
   */
  outcome: 'applied' | 'recorded' | 'duplicate';
  shipmentId: string;
  status: ShipmentStatus;
  /** Why a recorded event did not move the shipment: an older event than its latest, or a move the table forbids. */
  notApplied?: { because: 'older'; latestEventAt: Date } | { because: 'not_allowed'; from: ShipmentStatus };
}

export interface ApplyOptions {
  /**
   * The same report (webhook call, CSV file) says further on that this parcel was delivered: if this event hands
   * it over, its `shipped` event says so (`deliveryReported`), and no "has shipped" e-mail goes out next to the
   * "was delivered" one. See `deliveredInBatch`.
   */
  deliveryReported?: boolean | undefined;
}

/**
 * The parcels of a batch of tracking events (a webhook call, a CSV file) whose newest event in it is their
 * delivery, by `keyOf`. A carrier export or a bridge that catches up reports a parcel's hand-over and its
 * delivery at once: the customer is to hear that it arrived, not that it left and arrived in the same minute.
 */
export function deliveredInBatch<T extends { status: TrackingStatus; occurredAt: Date }>(
  events: readonly T[],
  keyOf: (event: T) => string,
): Set<string> {
  const newest = new Map<string, { at: number; delivered: boolean }>();
  for (const event of events) {
    const key = keyOf(event);
    const at = event.occurredAt.getTime();
    const seen = newest.get(key);
    const delivered = event.status === 'delivered';
    // At the same time a delivery wins: nothing moves a delivered parcel on.
    if (!seen || at > seen.at || (at === seen.at && delivered)) newest.set(key, { at, delivered });
  }
  return new Set([...newest].filter(([, seen]) => seen.delivered).map(([key]) => key));
}

export interface ProviderRegistry {
  get(name: string): ShippingProvider | undefined;
  /** The provider new shipments use (EasyPost when configured, otherwise built-in). */
  readonly default: ShippingProvider;
}

export class ShippingService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: {
      orders: OrdersPort;
      providers: ProviderRegistry;
      cipher: FieldCipher;
      sender: StoreAddress;
      /** Parcel weight when neither the request nor the variants give one; 0: the request must give it. */
      defaultWeightGrams: number;
    },
  ) {}

  private async loadOrder(orderId: string, em: EntityManager = this.em): Promise<FulfilmentOrder> {
    const order = await this.deps.orders.getOrderForFulfilment(em, orderId);
    if (!order) throw ShippingErrors.orderNotFound();
    return order;
  }

  /** Units already in shipments that are out (not voided, not returned to sender), per order line. */
  async shippedQuantities(orderId: string, em: EntityManager = this.em): Promise<Map<string, number>> {
    return (await this.shippedQuantitiesOf([orderId], em)).get(orderId) ?? new Map();
  }

  /** shippedQuantities for several orders in one statement: per order, per order line (orders with none left out). */
  private async shippedQuantitiesOf(
    orderIds: string[],
    em: EntityManager = this.em,
  ): Promise<Map<string, Map<string, number>>> {
    const byOrder = new Map<string, Map<string, number>>();
    if (!orderIds.length) return byOrder;
    const rows = await em.execute<{ order_id: string; order_line_id: string; quantity: string }[]>(
      `SELECT s.order_id, l.order_line_id, sum(l.quantity)::text AS quantity FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id
        WHERE s.order_id = ANY(?::uuid[]) AND s.status NOT IN (${NOT_OUT_SQL}) GROUP BY s.order_id, l.order_line_id`,
      [`{${orderIds.join(',')}}`],
    );
    for (const row of rows) {
      const lines = byOrder.get(row.order_id) ?? new Map<string, number>();
      lines.set(row.order_line_id, Number(row.quantity));
      byOrder.set(row.order_id, lines);
    }
    return byOrder;
  }

  /** `shipped` or `delivered` when the order's timeline says every unit left (shippedInFullSql), else null. */
  async shippedInFull(orderId: string, em: EntityManager = this.em): Promise<string | null> {
    return (await this.shippedInFullOf([orderId], em)).get(orderId) ?? null;
  }

  /** shippedInFull for several orders in one statement: the orders whose goods all left, with what they reached. */
  private async shippedInFullOf(
    orderIds: string[],
    em: EntityManager = this.em,
  ): Promise<Map<string, string>> {
    if (!orderIds.length) return new Map();
    const rows = await em.execute<{ id: string; reached: string }[]>(
      `SELECT o.id, r.reached FROM unnest(?::uuid[]) AS o(id), LATERAL (SELECT ${shippedInFullSql('o.id')} AS reached) r
        WHERE r.reached IS NOT NULL`,
      [`{${orderIds.join(',')}}`],
    );
    return new Map(rows.map((row) => [row.id, row.reached]));
  }

  /** What is left to ship per order line. */
  remaining(order: FulfilmentOrder, shipped: Map<string, number>) {
    return order.lines
      .map((line) => ({ line, remaining: leftToShip(line, shipped) }))
      .filter((entry) => entry.remaining > 0);
  }

  /**
   * Checks a request against the order; returns the lines and quantities to ship. Writes nothing.
   * `shippedInFull`: what the order's timeline says every unit reached (shippedInFull), if anything.
   */
  private plan(
    order: FulfilmentOrder,
    shipped: Map<string, number>,
    shippedInFull: string | null,
    request: ShipmentRequest,
  ) {
    if (!(SHIPPABLE_ORDER_STATUSES as readonly string[]).includes(order.status)) {
      throw ShippingErrors.orderNotShippable(
        `Order ${order.number} is ${order.status}; only paid orders can be shipped`,
      );
    }
    // Marked shipped (or delivered) by hand, then partly refunded: shippable by its status, but its goods left.
    if (shippedInFull) {
      throw ShippingErrors.alreadyShipped(
        `Order ${order.number} was marked ${shippedInFull}: nothing is left to pack; goods that come back are a return`,
        { shipped: shippedInFull },
      );
    }
    const remaining = this.remaining(order, shipped);
    if (!remaining.length) throw ShippingErrors.nothingToShip();
    if (!request.lines) return remaining.map(({ line, remaining: quantity }) => ({ line, quantity }));
    const errors: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    const planned = request.lines.flatMap((requested, index) => {
      const line = order.lines.find((candidate) => candidate.id === requested.orderLineId);
      if (!line) {
        errors.push({ path: `body/lines/${index}/orderLineId`, message: 'is not a line of this order' });
        return [];
      }
      if (seen.has(line.id)) {
        errors.push({ path: `body/lines/${index}/orderLineId`, message: 'appears twice' });
        return [];
      }
      seen.add(line.id);
      const left = Math.max(0, leftToShip(line, shipped));
      if (requested.quantity > left) {
        errors.push({
          path: `body/lines/${index}/quantity`,
          message: `only ${left} of ${line.quantity} left to ship`,
        });
        return [];
      }
      return [{ line, quantity: requested.quantity }];
    });
    if (errors.length) {
      const over = errors.some((error) => error.path.endsWith('quantity'));
      throw (over ? ShippingErrors.overShipment : CommonErrors.validation)(
        errors.map((e) => `${e.path} ${e.message}`).join('; '),
        { errors },
      );
    }
    return planned;
  }

  private parcel(
    planned: { line: FulfilmentOrder['lines'][number]; quantity: number }[],
    request: ShipmentRequest,
  ): Parcel {
    // The variants give the parcel's weight only when every one in it has a weight: the sum of some of them is
    // less than the parcel weighs, and postage bought for it is short (the carrier charges the rest later, or
    // sends the parcel back). Nor is the store's default weight, meant for a parcel nothing is known of, right
    // for one that holds a known 10 kg. So such a parcel is weighed, as the desktop's packing screen asks.
    const unweighed = planned.filter(({ line }) => !line.weightGrams || line.weightGrams <= 0);
    if (!request.package?.weightGrams && unweighed.length && unweighed.length < planned.length) {
      const skus =
        unweighed
          .slice(0, 10)
          .map(({ line }) => line.sku)
          .join(', ') + (unweighed.length > 10 ? ', …' : '');
      throw CommonErrors.validation(
        `Some variants in the parcel have no weight (${skus}): weigh the parcel`,
        {
          errors: [
            {
              path: 'body/package/weightGrams',
              message: `is required when some variants in the parcel have no weight (${skus})`,
            },
          ],
        },
      );
    }
    const variantsWeight = planned.reduce(
      (sum, { line, quantity }) => sum + (line.weightGrams ?? 0) * quantity,
      0,
    );
    const weightGrams = request.package?.weightGrams ?? (variantsWeight || this.deps.defaultWeightGrams);
    if (!weightGrams || weightGrams <= 0) {
      throw CommonErrors.validation('The variants have no weight: give the package weight', {
        errors: [
          { path: 'body/package/weightGrams', message: 'is required when the variants have no weight' },
        ],
      });
    }
    return {
      weightGrams,
      lengthMm: request.package?.lengthMm ?? DEFAULT_BOX_MM.lengthMm,
      widthMm: request.package?.widthMm ?? DEFAULT_BOX_MM.widthMm,
      heightMm: request.package?.heightMm ?? DEFAULT_BOX_MM.heightMm,
    };
  }

  /**
   * Buys a label for some or all remaining units of a paid order. Everything is checked before the
   * provider is called (no network call inside a transaction); the shipment, its lines, the order's move
   * to processing and the outbox event then commit together. If a concurrent shipment took the units in
   * the meantime, the bought label is voided again and the request fails: nothing half-done.
   */
  async create(orderId: string, request: ShipmentRequest, actor: Actor): Promise<Shipment> {
    const order = await this.loadOrder(orderId);
    const planned = this.plan(
      order,
      await this.shippedQuantities(orderId),
      await this.shippedInFull(orderId),
      request,
    );
    const parcel = this.parcel(planned, request);
    // The order's address, or the one staff wrote for the label when the order's cannot be printed as it is
    // (too long, letters outside Latin-1) or a parcel came back with it (returned to sender): without it such
    // an order could never ship. Staff's address follows the checkout's rules for company and region (a US
    // or Canadian region is its state or province code); the order's is printed as it was placed.
    const to: PostalAddress = request.shippingAddress
      ? withCheckedRegion(
          { ...request.shippingAddress, country: request.shippingAddress.country.toUpperCase() },
          'body/shippingAddress',
        )
      : order.shippingAddress;
    // Rewritten, not redirected: the order's rates, taxes and customs were for its country.
    if (to.country.toUpperCase() !== order.shippingAddress.country.toUpperCase()) {
      throw CommonErrors.validation(`The label address must be in the order's country`, {
        errors: [
          {
            path: 'body/shippingAddress/country',
            message: `must be the order's country (${order.shippingAddress.country.toUpperCase()})`,
          },
        ],
      });
    }
    assertLabelFits({ from: this.deps.sender, to });

    const provider = this.deps.providers.default;
    const shipmentId = crypto.randomUUID();
    const bought = await provider.createShipment({
      reference: shipmentId,
      orderNumber: order.number,
      from: this.deps.sender,
      to,
      parcel,
      service: request.service,
    });

    try {
      return await this.em.transactional(async (em) => {
        // One shipment creation per order at a time: the check of remaining units is then exact.
        await this.deps.orders.lockFulfilment(em, orderId);
        const fresh = await this.loadOrder(orderId, em);
        const confirmed = this.plan(
          fresh,
          await this.shippedQuantities(orderId, em),
          await this.shippedInFull(orderId, em),
          {
            ...request,
            lines: planned.map(({ line, quantity }) => ({ orderLineId: line.id, quantity })),
          },
        );
        const now = new Date();
        const shipment = em.create(ShipmentSchema, {
          id: shipmentId,
          orderId,
          orderNumber: fresh.number,
          provider: provider.name,
          providerShipmentId: bought.providerShipmentId,
          carrier: bought.carrier,
          service: bought.service,
          trackingNumber: bought.trackingNumber,
          trackingUrl: bought.trackingUrl,
          status: 'label_created',
          ...parcel,
          rateAmount: bought.rate?.amount ?? null,
          rateCurrency: bought.rate?.currency ?? null,
          recipient: this.deps.cipher.encryptJson(to),
          labelUrls: bought.labelUrls ?? {},
          createdBy: actor.id ?? null,
          handedOverAt: null,
          deliveredAt: null,
          voidedAt: null,
          lastEventAt: null,
        });
        for (const { line, quantity } of confirmed) {
          em.create(ShipmentLineSchema, {
            shipment,
            orderLineId: line.id,
            variantId: line.variantId,
            sku: line.sku,
            title: line.title,
            quantity,
          });
        }
        em.create(TrackingEventSchema, {
          shipment,
          provider: provider.name,
          externalId: null,
          status: 'label_created',
          occurredAt: now,
          location: null,
          description: `Label created (${bought.carrier} ${bought.service})`,
          source: 'label',
        });
        if (fresh.status === 'paid') await this.deps.orders.transition(em, orderId, 'processing', actor);
        recordChange(em, {
          resource: 'shipments',
          ids: [shipmentId],
          type: 'created',
          payload: { event: 'label_created', orderId, number: fresh.number },
        });
        await em.flush();
        return shipment;
      });
    } catch (err) {
      await provider.voidLabel(bought.providerShipmentId).catch(() => {});
      throw err;
    }
  }

  /**
   * The warehouse's to-pack queue (toPackSqlCondition's rule): paid orders with units not yet in a shipment
   * and not marked shipped, oldest paid first, each with its pick list (what is left to pack per line).
   * Orders whose every unit already has a label stay `processing` until the carrier scans them (with the
   * built-in provider and no tracking import, for good), so each status is read page by page until enough
   * orders with something left are found: the first `limit` orders of a status may all be packed already.
   * Each page costs the same few statements whatever its size (its units out, its orders marked shipped, then
   * its candidates and their lines in one batch read): the warehouse screen polls this.
   */
  async toPack(limit: number) {
    const found: {
      summary: AwaitingOrder;
      order: FulfilmentOrder;
      left: ReturnType<ShippingService['remaining']>;
    }[] = [];
    for (const status of SHIPPABLE_ORDER_STATUSES) {
      let inStatus = 0;
      for (let page = 1; inStatus < limit; page++) {
        const summaries = await this.deps.orders.awaitingFulfilment(this.em, status, {
          page,
          perPage: TO_PACK_PAGE,
        });
        // Units in live shipments per line, and the orders whose timeline says they were shipped (by hand: no
        // parcels, then partly refunded), for the whole page at once: orders with every unit labelled or shipped
        // are skipped without being loaded; the others are loaded together.
        const ids = summaries.map((summary) => summary.id);
        const shipped = await this.shippedQuantitiesOf(ids);
        const shippedInFull = await this.shippedInFullOf(ids);
        const candidates = summaries.filter(
          (summary) =>
            unitsOut(shipped.get(summary.id)) < summary.itemCount && !shippedInFull.has(summary.id),
        );
        const orders = new Map(
          (
            await this.deps.orders.getOrdersForFulfilment(
              this.em,
              candidates.map((summary) => summary.id),
            )
          ).map((order) => [order.id, order]),
        );
        for (const summary of candidates) {
          const order = orders.get(summary.id);
          if (!order) continue;
          const left = this.remaining(order, shipped.get(order.id) ?? new Map<string, number>());
          if (!left.length) continue;
          found.push({ summary, order, left });
          if (++inStatus >= limit) break;
        }
        if (summaries.length < TO_PACK_PAGE) break;
      }
    }
    const paidAt = (summary: AwaitingOrder) => (summary.paidAt ?? summary.createdAt).getTime();
    return found
      .sort((a, b) => paidAt(a.summary) - paidAt(b.summary))
      .slice(0, limit)
      .map(({ summary, order, left }) => ({
        orderId: order.id,
        number: order.number,
        status: order.status,
        paidAt: (summary.paidAt ?? summary.createdAt).toISOString(),
        shipTo: {
          name: order.shippingAddress.name,
          city: order.shippingAddress.city,
          country: order.shippingAddress.country,
        },
        lines: left.map(({ line, remaining }) => ({
          orderLineId: line.id,
          variantId: line.variantId,
          sku: line.sku,
          title: line.title,
          ordered: line.quantity,
          remaining,
          weightGrams: line.weightGrams,
        })),
      }));
  }

  async get(id: string): Promise<Shipment> {
    const shipment = await this.em.findOne(
      ShipmentSchema,
      { id },
      { populate: ['lines', 'events', 'recipient'], orderBy: { events: { occurredAt: 'ASC' } } },
    );
    if (!shipment) throw ShippingErrors.shipmentNotFound();
    return shipment;
  }

  recipientOf(shipment: Shipment): PostalAddress {
    return this.deps.cipher.decryptJson<PostalAddress>(shipment.recipient);
  }

  labelData(shipment: Shipment): LabelData {
    return {
      trackingNumber: shipment.trackingNumber,
      carrier: shipment.carrier,
      service: shipment.service,
      orderNumber: shipment.orderNumber,
      weightGrams: shipment.weightGrams,
      from: this.deps.sender,
      to: this.recipientOf(shipment),
      shippedOn: shipment.createdAt,
    };
  }

  /**
   * The label of one or more shipments as one file: built-in labels are rendered, hosted ones downloaded
   * from their provider, in the order asked (PDFs merged page by page, ZPL concatenated).
   */
  async labels(ids: string[], format: LabelFormat): Promise<Buffer | string> {
    const shipments = await this.em.find(ShipmentSchema, { id: { $in: ids } }, { populate: ['recipient'] });
    const byId = new Map(shipments.map((shipment) => [shipment.id, shipment]));
    const ordered = ids.map((id) => {
      const shipment = byId.get(id);
      if (!shipment) throw ShippingErrors.shipmentNotFound(`No shipment ${id}`);
      if (shipment.status === 'voided')
        throw ShippingErrors.labelNotAvailable(`The label of shipment ${shipment.trackingNumber} was voided`);
      return shipment;
    });
    if (ordered.every((shipment) => shipment.provider === 'builtin')) {
      const data = ordered.map((shipment) => this.labelData(shipment));
      return format === 'pdf' ? renderLabelsPdf(data) : renderLabelsZpl(data);
    }
    const files: Buffer[] = [];
    // A few downloads at a time: a batch of a hundred hosted labels neither waits on each in turn nor
    // opens a hundred connections to the provider.
    for (let start = 0; start < ordered.length; start += LABEL_DOWNLOADS_AT_ONCE) {
      const chunk = ordered.slice(start, start + LABEL_DOWNLOADS_AT_ONCE);
      files.push(...(await Promise.all(chunk.map((shipment) => this.labelFile(shipment, format)))));
    }
    if (format === 'zpl') return files.map((file) => file.toString('utf8')).join('\n');
    return files.length === 1 ? files[0]! : mergePdfs(files);
  }

  private async labelFile(shipment: Shipment, format: LabelFormat): Promise<Buffer> {
    if (shipment.provider === 'builtin') {
      const data = [this.labelData(shipment)];
      return format === 'pdf' ? renderLabelsPdf(data) : Buffer.from(renderLabelsZpl(data), 'utf8');
    }
    const provider = this.deps.providers.get(shipment.provider);
    if (!provider?.fetchLabel)
      throw ShippingErrors.labelNotAvailable(`No label source for provider ${shipment.provider}`);
    return provider.fetchLabel(
      { providerShipmentId: shipment.providerShipmentId, labelUrls: shipment.labelUrls },
      format,
    );
  }

  /** Voids a label that has not been handed to the carrier; its units can then be shipped again. */
  async void(id: string, actor: Actor): Promise<Shipment> {
    const shipment = await this.get(id);
    if (shipment.status !== 'label_created')
      throw ShippingErrors.cannotVoid(`The shipment is ${shipment.status}`);
    const provider = this.deps.providers.get(shipment.provider);
    if (!provider) throw ShippingErrors.unknownProvider();
    // Two staff voiding at once both reach the provider: the second's call may fail (the label is already being
    // refunded) or its update find nothing. Either way it is told the label was voided meanwhile (409), not a 502.
    const statusNow = async (em: EntityManager) =>
      (await em.execute<{ status: string }[]>(`SELECT status FROM shipment WHERE id = ?`, [id]))[0]?.status;
    const voidedMeanwhile = () => ShippingErrors.cannotVoid('The label was voided meanwhile');
    try {
      await provider.voidLabel(shipment.providerShipmentId);
    } catch (err) {
      if ((await statusNow(this.em.fork())) === 'voided') throw voidedMeanwhile();
      throw err;
    }
    return this.em.transactional(async (em) => {
      const updated = await em.execute<{ id: string }[]>(
        `UPDATE shipment SET status = 'voided', voided_at = now(), updated_at = now(), version = version + 1
          WHERE id = ? AND status = 'label_created' RETURNING id`,
        [id],
      );
      if (!updated.length)
        throw (await statusNow(em)) === 'voided'
          ? voidedMeanwhile()
          : ShippingErrors.cannotVoid('The shipment was handed over meanwhile');
      em.create(TrackingEventSchema, {
        shipment: id,
        provider: shipment.provider,
        externalId: null,
        status: 'voided',
        occurredAt: new Date(),
        location: null,
        description: actor.id ? `Label voided by staff` : 'Label voided',
        source: 'staff',
      });
      recordChange(em, {
        resource: 'shipments',
        ids: [id],
        type: 'updated',
        payload: { event: 'voided', orderId: shipment.orderId },
      });
      await em.flush();
      em.clear();
      return em.findOneOrFail(ShipmentSchema, { id }, { populate: ['lines', 'events', 'recipient'] });
    });
  }

  /**
   * Applies one tracking update in its own transaction: the event joins the shipment's timeline once
   * (unique provider event id), the status moves when the transition table allows it and the event is
   * the newest, and the order follows: shipped when every unit is handed over, delivered when every
   * parcel arrived. Customer e-mails follow from the outbox events ('shipped', 'delivered').
   */
  async applyTracking(
    shipmentRef: { provider: string; trackingNumber: string } | { id: string },
    update: Omit<TrackingUpdate, 'trackingNumber'>,
    source: 'webhook' | 'csv' | 'staff',
    options: ApplyOptions = {},
  ): Promise<ApplyResult | null> {
    return this.em.fork().transactional(async (em) => {
      const where =
        'id' in shipmentRef
          ? { id: shipmentRef.id }
          : { provider: shipmentRef.provider, trackingNumber: shipmentRef.trackingNumber };
      // FOR UPDATE, waiting: concurrent events for one parcel (a carrier's burst, a webhook during a CSV
      // import) apply one after the other. Never SKIP LOCKED: a skipped row reads as an unknown parcel,
      // and the event would be acknowledged and lost.
      const shipment = await em.findOne(ShipmentSchema, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!shipment) return null;
      const inserted = await em.execute<{ id: string }[]>(
        `INSERT INTO tracking_event (id, shipment_id, provider, external_id, status, occurred_at, location, description, source, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (provider, external_id) DO NOTHING RETURNING id`,
        [
          crypto.randomUUID(),
          shipment.id,
          shipment.provider,
          update.eventId,
          update.status,
          update.occurredAt,
          update.location ?? null,
          update.description ?? null,
          source,
        ],
      );
      if (!inserted.length) return { outcome: 'duplicate', shipmentId: shipment.id, status: shipment.status };

      const newest = !shipment.lastEventAt || update.occurredAt >= shipment.lastEventAt;
      const allowed = TRACKING_TRANSITIONS[shipment.status as ShipmentStatus].includes(update.status);
      if (!newest || !allowed) {
        const latestEventAt = shipment.lastEventAt;
        if (newest && shipment.status !== 'voided') shipment.lastEventAt = update.occurredAt;
        await em.flush();
        return {
          outcome: 'recorded',
          shipmentId: shipment.id,
          status: shipment.status,
          notApplied:
            !newest && latestEventAt
              ? { because: 'older', latestEventAt }
              : { because: 'not_allowed', from: shipment.status },
        };
      }
      const wasHandedOver = shipment.handedOverAt !== null;
      shipment.status = update.status;
      shipment.lastEventAt = update.occurredAt;
      if (!wasHandedOver && HANDED_OVER.includes(update.status)) shipment.handedOverAt = update.occurredAt;
      if (update.status === 'delivered') shipment.deliveredAt = update.occurredAt;
      const common = {
        orderId: shipment.orderId,
        number: shipment.orderNumber,
        trackingNumber: shipment.trackingNumber,
        carrier: shipment.carrier,
        trackingUrl: shipment.trackingUrl,
      };
      // A parcel whose first news is that it came back (a CSV import, a lost scan) did leave, but telling
      // the customer now that it "is on its way" would be wrong: the next parcel's e-mail says so (ADR 0047).
      const shipped =
        !wasHandedOver && shipment.handedOverAt !== null && update.status !== 'returned_to_sender';
      // What the customer is e-mailed about (shipped, delivered) says what is in the parcel: one of several
      // parcels is not "your order".
      const contents =
        shipped || update.status === 'delivered' ? await this.parcelContents(em, shipment) : {};
      if (shipped) {
        // Handed over and delivered in one report (this event, or a later one of the same webhook call or file):
        // the order still moves through shipped to delivered, but the customer is told once, that it arrived.
        const deliveryReported = update.status === 'delivered' || options.deliveryReported === true;
        recordChange(em, {
          resource: 'shipments',
          ids: [shipment.id],
          type: 'updated',
          payload: {
            event: 'shipped',
            ...common,
            ...contents,
            ...(deliveryReported ? { deliveryReported: true } : {}),
          },
        });
      }
      recordChange(em, {
        resource: 'shipments',
        ids: [shipment.id],
        type: 'updated',
        payload: {
          event: update.status === 'delivered' ? 'delivered' : 'tracking',
          status: update.status,
          ...common,
          ...(update.status === 'delivered' ? contents : {}),
        },
      });
      await em.flush();
      if (update.status === 'returned_to_sender') {
        // Back in the warehouse: the order takes its units back into "to ship" (ADR 0047).
        const [parcel] = await em.execute<{ units: string }[]>(
          `SELECT coalesce(sum(quantity), 0)::text AS units FROM shipment_line WHERE shipment_id = ?`,
          [shipment.id],
        );
        await this.deps.orders.parcelReturnedToSender(em, shipment.orderId, {
          trackingNumber: shipment.trackingNumber,
          units: Number(parcel?.units ?? 0),
        });
      }
      await this.advanceOrder(em, shipment.orderId);
      return { outcome: 'applied', shipmentId: shipment.id, status: shipment.status };
    });
  }

  /**
   * What a parcel holds, as its e-mails list it (title and units per line), and whether that is only part of
   * the order (the order has units that are not in this parcel: sent before, or still to send).
   */
  private async parcelContents(
    em: EntityManager,
    shipment: Shipment,
  ): Promise<{ items: { title: string; quantity: number }[]; partial: boolean }> {
    const items = await em.execute<{ title: string; quantity: number }[]>(
      `SELECT title, sum(quantity)::int AS quantity FROM shipment_line WHERE shipment_id = ?
        GROUP BY sku, title ORDER BY sku, title`,
      [shipment.id],
    );
    const order = await this.deps.orders.getOrderForFulfilment(em, shipment.orderId);
    const ordered = order?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
    const inParcel = items.reduce((sum, item) => sum + item.quantity, 0);
    return { items: items.map(({ title, quantity }) => ({ title, quantity })), partial: inParcel < ordered };
  }

  /**
   * Order follows its parcels. Mapping (docs/adr): first label → processing (in `create`); every unit in
   * a handed-over shipment → shipped; every unit in a delivered shipment → delivered. Parcels returned to
   * sender count for neither: their units are to ship again (ADR 0047; the order went back to processing).
   */
  private async advanceOrder(em: EntityManager, orderId: string): Promise<void> {
    const order = await this.deps.orders.getOrderForFulfilment(em, orderId);
    if (!order) return;
    const shipped = await em.execute<{ order_line_id: string; handed: string; delivered: string }[]>(
      `SELECT l.order_line_id,
              sum(l.quantity) FILTER (WHERE s.handed_over_at IS NOT NULL)::text AS handed,
              sum(l.quantity) FILTER (WHERE s.status = 'delivered')::text AS delivered
         FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id
        WHERE s.order_id = ? AND s.status NOT IN (${NOT_OUT_SQL}) GROUP BY l.order_line_id`,
      [orderId],
    );
    const byLine = new Map(
      shipped.map((row) => [
        row.order_line_id,
        { handed: Number(row.handed ?? 0), delivered: Number(row.delivered ?? 0) },
      ]),
    );
    const allHanded = order.lines.every((line) => (byLine.get(line.id)?.handed ?? 0) >= line.quantity);
    const allDelivered = order.lines.every((line) => (byLine.get(line.id)?.delivered ?? 0) >= line.quantity);
    const actor: Actor = { kind: 'system' };
    const step = async (to: 'processing' | 'shipped' | 'delivered') => {
      try {
        await this.deps.orders.transition(em, orderId, to, actor);
        return true;
      } catch (err) {
        // A cancelled or refunded order keeps its status; the parcel's timeline is still recorded.
        if (err instanceof AppError && err.code === 'MCART_ERR_ILLEGAL_TRANSITION') return false;
        throw err;
      }
    };
    let status = order.status;
    if (allHanded && (status === 'paid' || status === 'processing' || status === 'partially_refunded')) {
      if (await step('shipped')) status = 'shipped';
    }
    if (allDelivered && status === 'shipped') await step('delivered');
  }
}
