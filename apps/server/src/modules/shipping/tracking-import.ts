import { trackingTime } from './tracking-time.ts';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ShipmentSchema } from './shipment.entity.ts';
import { ShippingErrors } from './shipping.errors.ts';
import type { ApplyResult, ShippingService } from './shipping.service.ts';
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

interface RowNote {
  row: number;
  reason: string;
  value?: string;
}

/**
 * What an import did, row by row. `imported` rows joined a shipment's timeline; of those, `applied` ones
 * moved the shipment (and its order), `recorded` ones did not (an older event than the shipment's latest,
 * or a move its status does not allow) and are listed in `notApplied` with the reason, so that staff do not
 * take "imported" for "the parcel is now delivered".
 */
export interface ImportReport {
  rows: number;
  imported: number;
  applied: number;
  recorded: number;
  duplicates: number;
  rejected: RowNote[];
  notApplied: RowNote[];
}

/** Windows-1252's 0x80-0x9F (Excel's "CSV" on a Western Windows); Node's decoder reads them as C1 controls. */
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * The file's text whatever Excel saved: UTF-8 (with or without BOM), UTF-16 ("Unicode text") or, when the
 * bytes are not UTF-8, Windows-1252 ("CSV" on Western Windows: Köln must not become K\ufffdln in a timeline).
 */
export function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let text = '';
    for (const byte of bytes)
      text += byte >= 0x80 && byte <= 0x9f ? CP1252_80_9F[byte - 0x80]! : String.fromCharCode(byte);
    return text;
  }
}

/**
 * The field separator, from the header line: a comma, or the semicolon Excel writes where the decimal
 * separator is a comma (most of Europe), or a tab ("Unicode text", copy-paste from a spreadsheet).
 */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const header = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char]++;
  }
  const best = (Object.keys(counts) as (keyof typeof counts)[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ',';
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
  const text = decodeCsv(csv);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      skip_empty_lines: true,
      relax_column_count: true,
      // A stray quote inside a field (Fred "the hub" Depot) is kept as text, not a reason to refuse the file.
      relax_quotes: true,
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

  const report: ImportReport = {
    rows: rows.length,
    imported: 0,
    applied: 0,
    recorded: 0,
    duplicates: 0,
    rejected: [],
    notApplied: [],
  };
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
    else {
      report.imported++;
      if (result.outcome === 'applied') report.applied++;
      else {
        report.recorded++;
        report.notApplied.push({
          row: line,
          reason: whyNotApplied(result, status),
          value: trackingNumber || orderNumber,
        });
      }
    }
  }
  return report;
}

function whyNotApplied(result: ApplyResult, status: TrackingStatus): string {
  const why = result.notApplied;
  if (why?.because === 'older')
    return `older than the shipment's latest event (${why.latestEventAt.toISOString()}): kept in its timeline, status stays ${result.status}`;
  if (result.status === 'voided') return 'the shipment was voided: kept in its timeline only';
  return `the shipment is ${result.status}; ${status} cannot follow: kept in its timeline only`;
}
