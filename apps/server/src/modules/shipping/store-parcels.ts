import { prepared } from '../../platform/prepared.ts';
import type { ShippingPort } from '../orders/index.ts';
import type { ShipmentStatus } from './shipment.entity.ts';

interface ParcelRow {
  id: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string | null;
  status: Exclude<ShipmentStatus, 'voided'>;
  /** RFC 3339 text, as raw SQL returns timestamps (platform/db.ts). */
  handed_over_at: string | null;
  delivered_at: string | null;
  items: { sku: string; title: string; quantity: number }[];
}

/**
 * A shopper's parcels, column by column: the label (rendered files, the carrier account's hosted links), the
 * postage paid, the provider's ids and the recipient snapshot never leave this context. Each parcel's units
 * come in the same statement (one round trip for any number of parcels).
 */
const PARCELS_OF_ORDER = `
  SELECT s.id, s.carrier, s.tracking_number, NULLIF(s.tracking_url, '') AS tracking_url, s.status,
         s.handed_over_at, s.delivered_at,
         COALESCE((SELECT json_agg(json_build_object('sku', l.sku, 'title', l.title, 'quantity', l.quantity)
                                   ORDER BY l.sku, l.title)
                     FROM shipment_line l WHERE l.shipment_id = s.id), '[]'::json) AS items
    FROM shipment s
   WHERE s.order_id = ?::uuid AND s.status <> 'voided'
   ORDER BY s.created_at, s.id`;

/** The same form as every other time in the API (`2026-12-07T10:00:00.000Z`). */
const iso = (time: string | null) => (time === null ? null : new Date(time).toISOString());

/** The orders context's ShippingPort: what the store's order page shows of an order's parcels. */
export const storeParcels: ShippingPort = {
  async parcelsOf(em, orderId) {
    const rows = await prepared<ParcelRow>(em, PARCELS_OF_ORDER, [orderId]);
    return rows.map((row) => ({
      id: row.id,
      carrier: row.carrier,
      trackingNumber: row.tracking_number,
      trackingUrl: row.tracking_url,
      status: row.status,
      // Shipped = handed over to the carrier (its first event), as the order's own `shipped` (ADR 0012).
      shippedAt: iso(row.handed_over_at),
      deliveredAt: iso(row.delivered_at),
      items: row.items,
    }));
  },
};
