import { trackingTime } from './tracking-time.ts';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { classifyError } from '../../platform/errors.ts';
import { ShipmentSchema } from './shipment.entity.ts';
import { ShippingErrors } from './shipping.errors.ts';
import { deliveredInBatch, type ApplyResult, type ShippingService } from './shipping.service.ts';
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
  /** The column the reason is about, as the file's header names it (absent when the row as a whole is). */
  field?: string;
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

/** C0 controls but tab and line breaks (a quoted cell may span lines), DEL, C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LINE_BREAK = /\r\n|\r|\n/g;
/** Lines the parser skips before a record: empty, or only spaces and tabs (`trim`), unless tab separates. */
const BLANK_LINES = { tab: /^(?:[ ]*(?:\r\n|\r|\n))*/, other: /^(?:[ \t]*(?:\r\n|\r|\n))*/ };
/** After this many rows in a row fail for an unexpected reason (the database is gone), the rest are not tried. */
const MAX_CONSECUTIVE_FAILURES = 5;

/** A row the import refuses, with its reason: collected into `rejected`, the other rows go on. */
class RowRejected extends Error {
  constructor(
    readonly reason: string,
    readonly value?: string,
    /** The column at fault, as the file's header names it. */
    readonly field?: string,
  ) {
    super(reason);
  }
}

type Logger = Pick<FastifyBaseLogger, 'error'>;

/** A row whose values were read and checked, before its parcel is looked up. */
interface ReadRow {
  trackingNumber: string;
  orderNumber: string;
  location: string | undefined;
  status: TrackingStatus;
  occurredAt: Date;
  /** The parcel the row is about, as the file names it. */
  key: string;
}

/**
 * Parses the file into records, each with the line of the file it starts on (the header is line 1).
 * csv-parse's `info.lines` is the line a record ends on, and counts a CRLF inside a quoted cell as two lines,
 * so the start line is counted here from `info.bytes` (where each record ends, its line break included).
 */
function parseRecords(text: string): { record: string[]; line: number }[] {
  const bytes = Buffer.from(text, 'utf8');
  const delimiter = detectDelimiter(text);
  const blankLines = delimiter === '\t' ? BLANK_LINES.tab : BLANK_LINES.other;
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(bytes, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      // A stray quote inside a field (Fred "the hub" Depot) is kept as text, not a reason to refuse the file.
      relax_quotes: true,
      trim: true,
      to: MAX_IMPORT_ROWS + 2,
      info: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (err) {
    throw ShippingErrors.badCsv((err as Error).message);
  }
  const lineBreaks = (from: number, to: number) =>
    bytes.toString('utf8', from, to).match(LINE_BREAK)?.length ?? 0;
  let offset = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  return parsed.map(({ record, info }) => {
    const skipped = blankLines.exec(bytes.toString('utf8', offset, info.bytes))![0];
    const start = offset + Buffer.byteLength(skipped);
    line += lineBreaks(offset, start);
    const at = line;
    line += lineBreaks(start, info.bytes);
    offset = info.bytes;
    return { record, line: at };
  });
}

/**
 * Staff upload of carrier tracking exports. Every row stands alone: good rows are applied (each in its
 * own transaction, through the same path as webhooks), bad rows are reported with their line in the file.
 * A row's event id is a hash of its content, so importing the same file twice has no second effect.
 * A row that fails for an unexpected reason is logged and reported as rejected; the other rows go on.
 */
export async function importTrackingCsv(
  csv: Buffer,
  em: EntityManager,
  service: ShippingService,
  log: Logger,
): Promise<ImportReport> {
  const text = decodeCsv(csv);
  const [head, ...rows] = parseRecords(text);
  if (!head) throw ShippingErrors.badCsv('The file is empty');
  if (rows.length > MAX_IMPORT_ROWS) throw ShippingErrors.badCsv(`At most ${MAX_IMPORT_ROWS} rows per file`);
  const header = head.record;
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
  const note = (line: number, reason: string, value?: string, field?: string): RowNote => ({
    row: line,
    ...(field ? { field } : {}),
    reason,
    ...(value ? { value: value.slice(0, 100) } : {}),
  });
  /** The header of a column found (`columns`), for a row note. */
  const fieldOf = (at: number) => (at >= 0 ? header[at] : undefined);
  // Read every row first (no database): a parcel whose newest row in the file is its delivery was handed over
  // and delivered as far as the customer can know; its earlier rows send no "has shipped" e-mail (ADR 0012).
  const read = rows.map(({ record }) => {
    try {
      return readRow(record);
    } catch (err) {
      if (err instanceof RowRejected) return err;
      throw err;
    }
  });
  const delivered = deliveredInBatch(
    read.filter((row): row is ReadRow => !(row instanceof RowRejected)),
    (row) => row.key,
  );
  let failures = 0;
  for (const [index, { line }] of rows.entries()) {
    if (failures >= MAX_CONSECUTIVE_FAILURES) {
      for (const rest of rows.slice(index))
        report.rejected.push(
          note(
            rest.line,
            'not tried: the import stopped after repeated server errors; import the file again later',
          ),
        );
      break;
    }
    try {
      await importRow(read[index]!, line);
      failures = 0;
    } catch (err) {
      // A refusal of the row's values (ours, or the database's: a value out of range) is the row's fault.
      const refused = err instanceof RowRejected ? undefined : classifyError(err);
      if (err instanceof RowRejected) {
        report.rejected.push(note(line, err.reason, err.value, err.field));
        failures = 0;
      } else if (refused && !refused.unexpected && refused.appError.status < 500) {
        report.rejected.push(note(line, refused.appError.detail ?? refused.appError.title));
        failures = 0;
      } else {
        // Not this row's fault as far as anyone knows: a bug or the database. Said in the log, not hidden.
        log.error({ err, row: line }, 'tracking import: a row failed unexpectedly');
        report.rejected.push(note(line, 'could not be imported because of a server error (logged)'));
        failures++;
      }
    }
  }
  return report;

  /** A row's values, checked; its key names the parcel (tracking number, or order number) within the file. */
  function readRow(row: string[]) {
    const cell = (at: number) => {
      const value = at >= 0 ? (row[at] ?? '').trim() : '';
      const control = CONTROL_CHARACTER.exec(value);
      if (control) {
        const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        throw new RowRejected(
          `control character U+${code} in column "${header[at]}"`,
          value.replace(CONTROL_CHARACTERS, '\ufffd'),
          header[at],
        );
      }
      return value;
    };
    const rawStatus = cell(columns.status);
    const rawTime = cell(columns.time);
    const trackingNumber = cell(columns.tracking).toUpperCase().replace(/\s+/g, '');
    const orderNumber = cell(columns.order);
    const location = cell(columns.location) || undefined;

    const status = STATUS_ALIASES[rawStatus.toLowerCase().replace(/[\s-]+/g, '_')];
    if (!status || !(TRACKING_STATUSES as readonly string[]).includes(status))
      throw new RowRejected('unknown status', rawStatus, fieldOf(columns.status));
    const occurredAt = trackingTime(rawTime);
    if (!(occurredAt instanceof Date))
      throw new RowRejected(occurredAt.reason, rawTime, fieldOf(columns.time));
    if (!trackingNumber && !orderNumber)
      throw new RowRejected(
        'no tracking number or order number',
        undefined,
        fieldOf(columns.tracking) ?? fieldOf(columns.order),
      );
    // With both, both: a row whose order number is not its parcel's is refused (importRow), and must not make
    // the parcel's other rows take its delivery for reported (no "has shipped" e-mail, and no "delivered" either).
    const key = trackingNumber
      ? `tracking:${trackingNumber}${orderNumber ? ` order:${orderNumber.toUpperCase()}` : ''}`
      : `order:${orderNumber}`;
    return { trackingNumber, orderNumber, location, status, occurredAt, key };
  }

  async function importRow(read: ReadRow | RowRejected, line: number): Promise<void> {
    if (read instanceof RowRejected) throw read;
    const { trackingNumber, orderNumber, location, status, occurredAt } = read;
    // One of the two is there (readRow): the tracking number when both are.
    let shipmentId: string;
    if (trackingNumber) {
      const matches = await em.find(ShipmentSchema, { trackingNumber }, { fields: ['id', 'orderNumber'] });
      if (matches.length !== 1)
        throw new RowRejected(
          matches.length ? 'tracking number matches several shipments' : 'unknown tracking number',
          trackingNumber,
          fieldOf(columns.tracking),
        );
      // A row that names both must name one parcel: an order number that is not the parcel's (another order's,
      // or none MCart knows) says the row is wrong, and which of the two is cannot be told. Applied, it would move
      // a parcel of another order than the file says (and e-mail its customer); refused, staff correct the row.
      if (orderNumber && orderNumber.toUpperCase() !== matches[0]!.orderNumber.toUpperCase())
        throw new RowRejected(
          `the tracking number is a parcel of order ${matches[0]!.orderNumber}, not of this order number`,
          orderNumber,
          fieldOf(columns.order),
        );
      shipmentId = matches[0]!.id;
    } else {
      const matches = await em.find(
        ShipmentSchema,
        { orderNumber, status: { $ne: 'voided' } },
        { fields: ['id'] },
      );
      if (matches.length !== 1)
        throw new RowRejected(
          matches.length
            ? 'the order has several shipments: give the tracking number'
            : 'no shipment for this order number',
          orderNumber,
          fieldOf(columns.order),
        );
      shipmentId = matches[0]!.id;
    }
    const eventId = `csv:${createHash('sha256')
      .update(JSON.stringify([shipmentId, status, occurredAt.toISOString(), location ?? '']))
      .digest('hex')
      .slice(0, 40)}`;
    const result = await service.applyTracking(
      { id: shipmentId },
      { eventId, status, occurredAt, location: location?.slice(0, 200), description: undefined },
      'csv',
      { deliveryReported: delivered.has(read.key) },
    );
    if (!result) throw new RowRejected('unknown shipment', trackingNumber || orderNumber);
    if (result.outcome === 'duplicate') report.duplicates++;
    else {
      report.imported++;
      if (result.outcome === 'applied') report.applied++;
      else {
        report.recorded++;
        report.notApplied.push(note(line, whyNotApplied(result, status), trackingNumber || orderNumber));
      }
    }
  }
}

function whyNotApplied(result: ApplyResult, status: TrackingStatus): string {
  const why = result.notApplied;
  if (why?.because === 'older')
    return `older than the shipment's latest event (${why.latestEventAt.toISOString()}): kept in its timeline, status stays ${result.status}`;
  if (result.status === 'voided') return 'the shipment was voided: kept in its timeline only';
  return `the shipment is ${result.status}; ${status} cannot follow: kept in its timeline only`;
}
