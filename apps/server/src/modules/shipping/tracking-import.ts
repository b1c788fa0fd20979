import { trackingTime } from './tracking-time.ts';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ShipmentSchema } from './shipment.entity.ts';
import { ShippingErrors } from './shipping.errors.ts';
import type { ShippingService } from './shipping.service.ts';
import { TRACKING_STATUSES, type TrackingStatus } from './providers/provider.ts';

export const MAX_IMPORT_ROWS = 5_000;

const STATUS_ALIASES: Record<string, TrackingStatus> = {
  in_transit: 'in_transit',
  intransit: 'in_transit',
  accepted: 'in_transit',
  picked_up: 'in_transit',
  shipped: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  exception: 'exception',
  failed_attempt: 'exception',
  returned_to_sender: 'returned_to_sender',
  returned: 'returned_to_sender',
};

const normalizeHeader = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/([a-z])([A-Z])/g, '$1_$2');
const HEADERS = {
  tracking: ['tracking_number', 'trackingnumber', 'tracking', 'tracking_no'],
  order: ['order_number', 'ordernumber', 'order', 'order_no'],
  status: ['status'],
  time: ['time', 'occurred_at', 'timestamp', 'date', 'datetime'],
  location: ['location', 'place'],
} as const;

export interface ImportReport {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: { row: number; reason: string; value?: string }[];
}

/**
 * Staff upload of carrier tracking exports. Every row stands alone: good rows are applied (each in its
 * own transaction, through the same path as webhooks), bad rows are reported with their line number.
 * A row's event id is a hash of its content, so importing the same file twice has no second effect.
 */
export async function importTrackingCsv(
  csv: Buffer,
  em: EntityManager,
  service: ShippingService,
): Promise<ImportReport> {
  let records: string[][];
  try {
    records = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to: MAX_IMPORT_ROWS + 2,
    }) as string[][];
  } catch (err) {
    throw ShippingErrors.badCsv((err as Error).message);
  }
  const [header, ...rows] = records;
  if (!header) throw ShippingErrors.badCsv('The file is empty');
  if (rows.length > MAX_IMPORT_ROWS) throw ShippingErrors.badCsv(`At most ${MAX_IMPORT_ROWS} rows per file`);
  const names = header.map((name) => normalizeHeader(name).replace(/_/g, '_'));
  const column = (aliases: readonly string[]) =>
    names.findIndex((name) => aliases.includes(name) || aliases.includes(name.replace(/_/g, '')));
  const columns = {
    tracking: column(HEADERS.tracking),
    order: column(HEADERS.order),
    status: column(HEADERS.status),
    time: column(HEADERS.time),
    location: column(HEADERS.location),
  };
  const missing = [
    ...(columns.tracking < 0 && columns.order < 0 ? ['tracking_number or order_number'] : []),
    ...(columns.status < 0 ? ['status'] : []),
    ...(columns.time < 0 ? ['time'] : []),
  ];
  if (missing.length)
    throw ShippingErrors.badCsv(
      `Missing column(s): ${missing.join(', ')}. Header found: ${header.join(', ')}`,
    );

  const report: ImportReport = { rows: rows.length, imported: 0, duplicates: 0, rejected: [] };
  for (const [index, row] of rows.entries()) {
    const line = index + 2; // 1-based, after the header
    const cell = (at: number) => (at >= 0 ? (row[at] ?? '').trim() : '');
    const reject = (reason: string, value?: string) =>
      report.rejected.push({ row: line, reason, ...(value ? { value: value.slice(0, 100) } : {}) });

    const rawStatus = cell(columns.status);
    const status = STATUS_ALIASES[rawStatus.toLowerCase().replace(/[\s-]+/g, '_')];
    if (!status || !(TRACKING_STATUSES as readonly string[]).includes(status)) {
      reject('unknown status', rawStatus);
      continue;
    }
    const rawTime = cell(columns.time);
    const occurredAt = trackingTime(rawTime);
    if (!(occurredAt instanceof Date)) {
      reject(occurredAt.reason, rawTime);
      continue;
    }
    const trackingNumber = cell(columns.tracking).toUpperCase().replace(/\s+/g, '');
    const orderNumber = cell(columns.order);
    let shipmentId: string | undefined;
    if (trackingNumber) {
      const matches = await em.find(ShipmentSchema, { trackingNumber }, { fields: ['id'] });
      if (matches.length !== 1) {
        reject(
          matches.length ? 'tracking number matches several shipments' : 'unknown tracking number',
          trackingNumber,
        );
        continue;
      }
      shipmentId = matches[0]!.id;
    } else if (orderNumber) {
      const matches = await em.find(
        ShipmentSchema,
        { orderNumber, status: { $ne: 'voided' } },
        { fields: ['id'] },
      );
      if (matches.length !== 1) {
        reject(
          matches.length
            ? 'the order has several shipments: give the tracking number'
            : 'no shipment for this order number',
          orderNumber,
        );
        continue;
      }
      shipmentId = matches[0]!.id;
    } else {
      reject('no tracking number or order number');
      continue;
    }
    const location = cell(columns.location) || undefined;
    const eventId = `csv:${createHash('sha256')
      .update(JSON.stringify([shipmentId, status, occurredAt.toISOString(), location ?? '']))
      .digest('hex')
      .slice(0, 40)}`;
    const result = await service.applyTracking(
      { id: shipmentId },
      { eventId, status, occurredAt, location: location?.slice(0, 200), description: undefined },
      'csv',
    );
    if (!result) reject('unknown shipment', trackingNumber || orderNumber);
    else if (result.outcome === 'duplicate') report.duplicates++;
    else report.imported++;
  }
  return report;
}
