import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const SHIPMENT_STATUSES = [
  'label_created',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
  'voided',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/**
 * A parcel for some or all lines of an order. `orderId` is a plain id (the orders context owns orders).
 * The recipient address is a sealed snapshot: the label must show what was bought, even if the order's
 * address is corrected later.
 */
export const ShipmentSchema = defineEntity({
  name: 'Shipment',
  tableName: 'shipment',
  properties: {
    ...baseProperties,
    orderId: p.uuid().index(),
    orderNumber: p.string().length(64),
    provider: p.string().length(32),
    providerShipmentId: p.string().length(128),
    carrier: p.string().length(64),
    service: p.string().length(64),
    trackingNumber: p.string().length(64),
    trackingUrl: p.string().length(500),
    status: p.enum([...SHIPMENT_STATUSES]).default('label_created'),
    weightGrams: p.integer(),
    lengthMm: p.integer(),
    widthMm: p.integer(),
    heightMm: p.integer(),
    rateAmount: p.integer().nullable(),
    rateCurrency: p.string().length(3).nullable(),
    recipient: p.text().lazy(true, false),
    labelUrls: p.json<Partial<Record<'pdf' | 'zpl', string>>>().default('{}'),
    createdBy: p.uuid().nullable(),
    handedOverAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    voidedAt: p.datetime().nullable(),
    lastEventAt: p.datetime().nullable(),
    version: p.integer().version(),
    lines: () => p.oneToMany(ShipmentLineSchema).mappedBy('shipment'),
    events: () => p.oneToMany(TrackingEventSchema).mappedBy('shipment'),
  },
});
export type Shipment = InferEntity<typeof ShipmentSchema>;

export const ShipmentLineSchema = defineEntity({
  name: 'ShipmentLine',
  tableName: 'shipment_line',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    shipment: () => p.manyToOne(ShipmentSchema),
    orderLineId: p.uuid(),
    variantId: p.uuid().nullable(),
    sku: p.string().length(64),
    title: p.string().length(255),
    quantity: p.integer(),
  },
});
export type ShipmentLine = InferEntity<typeof ShipmentLineSchema>;

export const TRACKING_EVENT_SOURCES = ['label', 'webhook', 'csv', 'staff'] as const;

/** One step of a shipment's timeline. `(provider, externalId)` is unique: a replayed webhook is a no-op. */
export const TrackingEventSchema = defineEntity({
  name: 'TrackingEvent',
  tableName: 'tracking_event',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    shipment: () => p.manyToOne(ShipmentSchema),
    provider: p.string().length(32),
    externalId: p.string().length(200).nullable(),
    status: p.enum([...SHIPMENT_STATUSES]),
    occurredAt: p.datetime(),
    location: p.string().length(200).nullable(),
    description: p.string().length(500).nullable(),
    source: p.enum([...TRACKING_EVENT_SOURCES]),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type TrackingEvent = InferEntity<typeof TrackingEventSchema>;
