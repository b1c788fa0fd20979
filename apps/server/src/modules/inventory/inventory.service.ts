import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DriverException, TransactionPropagation, UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordChange } from '../../platform/outbox.ts';
import { AppError, CommonErrors } from '../../platform/errors.ts';
import { queued } from '../../platform/prepared.ts';
import { InventoryErrors } from './inventory.errors.ts';
import { pgArray, query } from './sql.ts';

export const MOVEMENT_KINDS = [
  'received',
  'adjusted',
  'reserved',
  'released',
  'sold',
  'returned',
  'transfer_out',
  'transfer_in',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const MAX_QUANTITY = 1_000_000;

export interface StockLevel {
  id: string;
  variantId: string;
  locationId: string;
  locationName: string;
  onHand: number;
  reserved: number;
  available: number;
  allowBackorder: boolean;
  lowStockThreshold: number | null;
  updatedAt: Date;
}

export interface StockMovement {
  id: string;
  createdAt: Date;
  variantId: string;
  locationId: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  staffId: string | null;
  orderId: string | null;
  transferId: string | null;
}

export interface StockLocation {
  id: string;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReservationLine {
  variantId: string;
  quantity: number;
}

export interface ShortLine {
  variantId: string;
  requested: number;
  available: number;
}

/** After a change: the level as it is now, to decide whether a low-stock alert fires. */
interface ChangedLevel {
  variant_id: string;
  location_id: string;
  available: number;
  before: number;
  low_stock_threshold: number | null;
}

const LEVEL_COLUMNS = `
  s.variant_id || ':' || s.location_id AS "id", s.variant_id AS "variantId", s.location_id AS "locationId",
  l.name AS "locationName", s.on_hand AS "onHand", s.reserved, s.available, s.allow_backorder AS "allowBackorder",
  p.low_stock_threshold AS "lowStockThreshold", s.updated_at AS "updatedAt"`;
const LEVEL_FROM = `stock_level s JOIN stock_location l ON l.id = s.location_id LEFT JOIN stock_policy p ON p.variant_id = s.variant_id`;
const LOCATION_COLUMNS = `id, code, name, is_default AS "isDefault", active, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * The outbox rows of a stock change, written by the statement that makes the change, so such a statement can
 * travel with its transaction's COMMIT (ADR 0040): one `inventory` event naming the variants, with the given
 * payload (a `?::jsonb` parameter, the statement's last) plus `availabilityChanged`, and a `low_stock` event for
 * each level that fell to or below its threshold. `changed` is a CTE of (variant_id, location_id, available,
 * before, low_stock_threshold). `availabilityChanged` (for the outbox consumers, ADR 0040's profile): whether any
 * level's on_hand - reserved moved; a sale settling its reservation moves none, and the catalog's stock copy
 * skips such events.
 */
export const levelEvents = (changed: string) => `
  level_events AS (
    INSERT INTO outbox_event (resource, ids, type, payload)
    SELECT 'inventory', e.ids, 'updated', e.payload FROM (
      SELECT 0 AS n, array_agg(DISTINCT c.variant_id::text) AS ids,
             ?::jsonb || jsonb_build_object('availabilityChanged', bool_or(c.available IS DISTINCT FROM c.before)) AS payload
        FROM ${changed} c HAVING count(*) > 0
      UNION ALL
      SELECT 1, ARRAY[c.variant_id::text],
             jsonb_build_object('event', 'low_stock', 'locationId', c.location_id, 'available', c.available,
                                'threshold', c.low_stock_threshold)
        FROM ${changed} c
       WHERE c.low_stock_threshold IS NOT NULL AND c.before > c.low_stock_threshold
         AND c.available <= c.low_stock_threshold
    ) e ORDER BY e.n
  )`;

/**
 * A new level's copy of its variant's backorder flag (the CHECK reads it from the row), for an INSERT whose
 * variant id is the `?::uuid` parameter here. The policy row is read FOR SHARE: a concurrent `setPolicy` holds it
 * from its first statement until it commits, so this waits and copies the new flag; or this takes it first, and
 * `setPolicy` waits, then finds (and updates) the new level. A plain read copied the old flag into a level that
 * `setPolicy`'s update had not seen: backorders denied for the variant, yet that location oversold.
 */
const BACKORDER_FLAG = `COALESCE((SELECT allow_backorder FROM stock_policy WHERE variant_id = ?::uuid FOR SHARE), false)`;

/*
 * The reservation: one statement picks a location with enough available stock (the default location
 * first; a backorderable variant is only taken below zero when no active location has enough), reserves with a conditional UPDATE (re-checked by PostgreSQL on the newest row version when
 * another transaction got there first), writes the ledger row and the reservation row. No read-then-write.
 */
const RESERVE_SQL = `
  WITH target AS (
    SELECT s.location_id FROM stock_level s JOIN stock_location l ON l.id = s.location_id
     WHERE s.variant_id = ?::uuid AND l.active AND (s.allow_backorder OR s.available >= ?::int)
     ORDER BY s.available >= ?::int DESC, l.is_default DESC, s.available DESC LIMIT 1
  ), upd AS (
    UPDATE stock_level s SET reserved = s.reserved + ?::int, updated_at = now()
      FROM target t
     WHERE s.variant_id = ?::uuid AND s.location_id = t.location_id AND (s.allow_backorder OR s.on_hand - s.reserved >= ?::int)
    RETURNING s.variant_id, s.location_id, s.on_hand - s.reserved AS available
  ), mv AS (
    INSERT INTO stock_movement (variant_id, location_id, kind, reserved_delta, order_id)
    SELECT variant_id, location_id, 'reserved', ?::int, ?::uuid FROM upd
  ), res AS (
    INSERT INTO stock_reservation (order_id, variant_id, location_id, quantity, expires_at)
    SELECT ?::uuid, variant_id, location_id, ?::int, ?::timestamptz FROM upd
  ), changed AS (
    SELECT u.variant_id, u.location_id, u.available, u.available + ?::int AS before, p.low_stock_threshold
      FROM upd u LEFT JOIN stock_policy p ON p.variant_id = u.variant_id
  ), ${levelEvents('changed')}
  SELECT * FROM changed`;

/** SQLSTATEs RESERVE_ALL_SQL raises (through `mcart_raise`) when it cannot reserve every line. */
const RESERVATION_CONTENDED = 'MCS01';
const OUT_OF_STOCK = 'MCS02';

/*
 * Checkout's one-statement reservation of a whole basket (`reserveAll`). Per variant (lines merged), a
 * location is chosen as in RESERVE_SQL (one with enough available stock before a backorder); the chosen rows are then locked in
 * (variant, location) order by one FOR UPDATE (the LockRows node takes the locks in that sorted order, and
 * the UPDATE only touches rows already locked), so overlapping baskets never deadlock; the conditional
 * UPDATE is re-checked by PostgreSQL on the newest row version. The statement writes the events of what it
 * reserved, and raises when a line was not reserved: contended when a location had been chosen, else out of
 * stock with each short line's best available (ADR 0040).
 */
const RESERVE_ALL_SQL = `
  WITH wanted AS (
    SELECT w.variant_id, w.quantity FROM unnest(?::uuid[], ?::int[]) AS w(variant_id, quantity)
  ), target AS (
    SELECT DISTINCT ON (w.variant_id) w.variant_id, s.location_id, w.quantity
      FROM wanted w JOIN stock_level s ON s.variant_id = w.variant_id JOIN stock_location l ON l.id = s.location_id
     WHERE l.active AND (s.allow_backorder OR s.available >= w.quantity)
     ORDER BY w.variant_id, s.available >= w.quantity DESC, l.is_default DESC, s.available DESC
  ), locked AS (
    SELECT s.variant_id, s.location_id, t.quantity
      FROM stock_level s JOIN target t ON t.variant_id = s.variant_id AND t.location_id = s.location_id
     ORDER BY s.variant_id, s.location_id
       FOR UPDATE OF s
  ), upd AS (
    UPDATE stock_level s SET reserved = s.reserved + k.quantity, updated_at = now()
      FROM locked k
     WHERE s.variant_id = k.variant_id AND s.location_id = k.location_id
       AND (s.allow_backorder OR s.on_hand - s.reserved >= k.quantity)
    RETURNING s.variant_id, s.location_id, s.on_hand - s.reserved AS available, k.quantity
  ), mv AS (
    INSERT INTO stock_movement (variant_id, location_id, kind, reserved_delta, order_id)
    SELECT variant_id, location_id, 'reserved', quantity, ?::uuid FROM upd
  ), res AS (
    INSERT INTO stock_reservation (order_id, variant_id, location_id, quantity, expires_at)
    SELECT ?::uuid, variant_id, location_id, quantity, ?::timestamptz FROM upd
  ), result AS (
    SELECT w.variant_id, w.quantity AS requested, u.location_id, u.available, u.available + u.quantity AS before,
           p.low_stock_threshold, t.variant_id IS NOT NULL AS had_target
      FROM wanted w
      LEFT JOIN upd u ON u.variant_id = w.variant_id
      LEFT JOIN target t ON t.variant_id = w.variant_id
      LEFT JOIN stock_policy p ON p.variant_id = w.variant_id
  ), changed AS (
    SELECT * FROM result WHERE location_id IS NOT NULL
  ), ${levelEvents('changed')}, refused AS (
    SELECT bool_or(r.had_target) AS contended,
           jsonb_agg(jsonb_build_object('variantId', r.variant_id, 'requested', r.requested, 'available', greatest(0, coalesce(
             (SELECT max(s.available) FROM stock_level s JOIN stock_location l ON l.id = s.location_id
               WHERE s.variant_id = r.variant_id AND l.active), 0))) ORDER BY r.variant_id) AS lines
      FROM result r WHERE r.location_id IS NULL
  )
  SELECT r.variant_id, r.location_id, r.available, r.before, r.low_stock_threshold,
         CASE WHEN f.lines IS NULL THEN true
              WHEN f.contended THEN mcart_raise('${RESERVATION_CONTENDED}', 'stock reservation contended', f.lines::text)
              ELSE mcart_raise('${OUT_OF_STOCK}', 'not enough stock', f.lines::text) END AS reserved
    FROM result r CROSS JOIN refused f`;

/*
 * Settles an order's active reservations in one statement. The `locked` CTE first locks the order's stock
 * rows in (variant, location) order: the reservation UPDATE is gated on it (an uncorrelated sub-select,
 * evaluated once before its first row), and the level UPDATE only touches rows already locked. So the lock
 * order is global (levels by id, then the order's own reservations) and concurrent settlements, e.g. a
 * payment racing the expiry job, never deadlock.
 */
const SETTLE_SQL = (status: 'sold' | 'released') => `
  WITH locked AS (
    SELECT s.variant_id FROM stock_level s JOIN stock_reservation r ON r.variant_id = s.variant_id AND r.location_id = s.location_id
     WHERE r.order_id = ?::uuid AND r.status = 'active'
     ORDER BY s.variant_id, s.location_id FOR UPDATE OF s
  ), r AS (
    UPDATE stock_reservation SET status = '${status}', settled_at = now()
     WHERE order_id = ?::uuid AND status = 'active' AND (SELECT count(*) FROM locked) > 0
    RETURNING variant_id, location_id, quantity
  ), lvl AS (
    UPDATE stock_level s SET ${status === 'sold' ? 'on_hand = s.on_hand - r.quantity, ' : ''}reserved = s.reserved - r.quantity, updated_at = now()
      FROM r WHERE s.variant_id = r.variant_id AND s.location_id = r.location_id
    RETURNING s.variant_id, s.location_id, s.on_hand - s.reserved AS available, r.quantity
  ), mv AS (
    INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reserved_delta, order_id)
    SELECT variant_id, location_id, '${status}', ${status === 'sold' ? '-quantity' : '0'}, -quantity, ?::uuid FROM r
  ), changed AS (
    SELECT l.variant_id, l.location_id, l.available, l.available${status === 'sold' ? '' : ' - l.quantity'} AS before, p.low_stock_threshold
      FROM lvl l LEFT JOIN stock_policy p ON p.variant_id = l.variant_id
  ), ${levelEvents('changed')}
  SELECT * FROM changed`;

/** Lines merged per variant, validated, in variant-id order (the global lock order). */
function mergeLines(lines: ReservationLine[]): [string, number][] {
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    assertQuantity(line.quantity, `body/lines/${index}/quantity`);
    const variantId = canonicalId(line.variantId);
    merged.set(variantId, (merged.get(variantId) ?? 0) + line.quantity);
  });
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A uuid as PostgreSQL spells it (lower case). Ids arrive as the caller typed them (the schemas' `uuid`
 * format takes either case) and are compared in JavaScript (the same location twice, a variant on two
 * lines): they are normalised at the service's boundary so an upper-case spelling is the same id.
 */
export function canonicalId(id: string): string {
  return id.toLowerCase();
}

function assertQuantity(quantity: number, path: string): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw InventoryErrors.invalidQuantity(`${path} must be a whole number from 1 to ${MAX_QUANTITY}`, {
      errors: [{ path, message: `must be a whole number from 1 to ${MAX_QUANTITY}` }],
    });
  }
}

function isCheckViolation(err: unknown): boolean {
  return err instanceof DriverException && (err as DriverException & { code?: string }).code === '23514';
}

/** The most stock_level.on_hand (a PostgreSQL int) can hold. */
export const MAX_ON_HAND = 2_147_483_647;

/**
 * A location code another location has in any case (stock_location_code_ci_unique; stock_location_code_unique
 * before migration 20270107000000), as a field error.
 */
function codeTaken(err: unknown): AppError | null {
  if (
    !(err instanceof UniqueConstraintViolationException) ||
    !/stock_location_code_(ci_)?unique/.test(err.message)
  )
    return null;
  return InventoryErrors.locationCodeTaken(undefined, {
    errors: [{ path: 'body/code', message: 'another location has this code' }],
  });
}

/** Two locations made the default at once: the second saw the first's flag only once it had committed. */
const isSecondDefault = (err: unknown) =>
  err instanceof UniqueConstraintViolationException && /stock_location_single_default/.test(err.message);

/**
 * A staff operation's own transaction, or the caller's when it has one: a batch applies its lines in the
 * transaction that also stores its Idempotency-Key answer, without a savepoint (two round trips) per line. A
 * refused line fails the whole batch anyway. A new object per call: MikroORM writes the transaction it found into it.
 */
const ownOrCallers = () => ({ propagation: TransactionPropagation.REQUIRED });

/** numeric_value_out_of_range: an int column would overflow. */
function isOutOfRange(err: unknown): boolean {
  return err instanceof DriverException && (err as DriverException & { code?: string }).code === '22003';
}

export interface StaffActor {
  staffId: string | null;
}

export interface ListParams {
  page: number;
  perPage: number;
  sort?: string | undefined;
  order?: 'ASC' | 'DESC' | undefined;
}

/**
 * Columns `available` (best single active location; a line is reserved from one location) and
 * `"allowBackorder"` for the variant id column `variantId` of the caller's query, so a cart reads its lines,
 * prices and stock in one statement.
 */
export const availabilityColumns = (variantId: string) => `
  COALESCE((SELECT max(s.available) FROM stock_level s JOIN stock_location l ON l.id = s.location_id
             WHERE s.variant_id = ${variantId} AND l.active), 0) AS available,
  COALESCE((SELECT allow_backorder FROM stock_policy WHERE variant_id = ${variantId}), false) AS "allowBackorder"`;

/**
 * Stock: levels per variant and location, the ledger, reservations. Every change of a level writes a
 * stock_movement row and an outbox event ('inventory', ids = variant ids) in the caller's transaction;
 * on_hand = sum(on_hand_delta) and reserved = sum(reserved_delta) per level, always.
 */
export class InventoryService {
  constructor(private readonly em: EntityManager) {}

  // ---------------------------------------------------------------- checkout (inside the order's transaction)

  /**
   * Reserves every line or throws MCART_ERR_OUT_OF_STOCK listing the short lines. Must run inside the
   * order's transaction: the throw rolls back the reservations already taken. Lines are merged per variant
   * and taken in variant-id order, so two overlapping baskets lock rows in the same order and never deadlock.
   */
  async reserve(orderId: string, lines: ReservationLine[], expiresAt: Date): Promise<void> {
    const sorted = mergeLines(lines);
    const short: ShortLine[] = [];
    const events = JSON.stringify({ event: 'reserved', orderId });
    for (const [variantId, quantity] of sorted) {
      let reserved = false;
      // A retry only happens when the chosen location was emptied by a concurrent checkout while another
      // location still has enough: each attempt is itself one safe conditional statement.
      for (let attempt = 0; attempt < 3 && !reserved; attempt++) {
        const rows = await query<ChangedLevel>(this.em, RESERVE_SQL, [
          variantId,
          quantity,
          quantity,
          quantity,
          variantId,
          quantity,
          quantity,
          orderId,
          orderId,
          quantity,
          expiresAt,
          quantity,
          events,
        ]);
        if (rows[0]) {
          reserved = true;
        } else if (!(await this.canReserveSomewhere(variantId, quantity))) {
          break;
        }
      }
      if (!reserved)
        short.push({ variantId, requested: quantity, available: await this.bestAvailable(variantId) });
    }
    if (short.length) {
      throw InventoryErrors.outOfStock(`Not enough stock for ${short.length} item(s)`, { variants: short });
    }
  }

  /**
   * Checkout's fast path: every line in one statement (see RESERVE_ALL_SQL), inside the order's transaction.
   * `reserved`: done. Throws MCART_ERR_OUT_OF_STOCK when a line has no location with enough stock.
   * `contended`: a chosen location was emptied by a concurrent checkout between choice and update. Either way
   * the statement failed, so the caller's transaction is aborted: it rolls back, and after `contended` uses
   * `reserve` (line by line, with retries at other locations) in a new one. Never retried here: a second
   * choice would lock rows out of order.
   */
  async reserveAll(
    orderId: string,
    lines: ReservationLine[],
    expiresAt: Date,
  ): Promise<'reserved' | 'contended'> {
    const { sql, params } = this.reservation(orderId, lines, expiresAt);
    try {
      await query(this.em, sql, params);
      return 'reserved';
    } catch (err) {
      const refused = refusedReservation(err);
      if (refused === 'contended') return 'contended';
      throw refused ?? err;
    }
  }

  /**
   * `reserveAll`'s statement, for a caller that sends it with the COMMIT (`queued`): it writes its own
   * events and raises when it cannot reserve every line, so nobody needs its rows before the commit, and the
   * transaction then fails with an error `refusedReservation` reads.
   */
  reservation(
    orderId: string,
    lines: ReservationLine[],
    expiresAt: Date,
  ): { sql: string; params: unknown[] } {
    const sorted = mergeLines(lines);
    return {
      sql: RESERVE_ALL_SQL,
      params: [
        pgArray(sorted.map(([variantId]) => variantId)),
        `{${sorted.map(([, quantity]) => quantity).join(',')}}`,
        orderId,
        orderId,
        expiresAt,
        JSON.stringify({ event: 'reserved', orderId }),
      ],
    };
  }

  /** Payment received: the order's reservations become sales (on_hand and reserved both go down). Idempotent. */
  async commitReservations(orderId: string): Promise<void> {
    await this.settle('sold', orderId);
  }

  /** Unpaid order cancelled or expired: its reservations are given back. Idempotent. */
  async releaseReservations(orderId: string): Promise<void> {
    await this.settle('released', orderId);
  }

  /**
   * In a transaction the settlement travels with its next statement, at the latest the COMMIT: the order's
   * stock rows (a hot variant's among them) stay locked only while PostgreSQL commits (ADR 0040).
   */
  private async settle(status: 'sold' | 'released', orderId: string): Promise<void> {
    const params = [orderId, orderId, orderId, JSON.stringify({ event: status, orderId })];
    if (this.em.getTransactionContext()) await queued(this.em, SETTLE_SQL(status), params);
    else await query(this.em, SETTLE_SQL(status), params);
  }

  /**
   * Sold goods come back (a return with restock, a cancellation after payment, a refund before shipping):
   * on_hand goes up at the location the sale came from (the default location if unknown). Caller guards
   * against restocking twice.
   *
   * An inactive location takes no stock (nothing there is sold: checkout and the store count active
   * locations only), so goods sold from a location that has been deactivated since are restocked at the
   * default location instead (always active: stock_location_default_is_active), or, should there be none,
   * the first active location. The 'returned' movement is written where the units went, and its reason
   * says so: "<reason> (sold from inactive location <code>, restocked here)".
   *
   * The target location is locked FOR KEY SHARE before the level is written, as `resolveLocation` does, so a
   * concurrent delete of it waits (and then refuses: it has stock) rather than failing the foreign key.
   */
  async restock(
    orderId: string,
    lines: ReservationLine[],
    reason: string,
    staffId: string | null,
  ): Promise<void> {
    const sorted = lines
      .map((line) => ({ ...line, variantId: canonicalId(line.variantId) }))
      .sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
    // The variants first, in id order, as `assertVariant` holds them: a level this creates copies a policy that
    // a concurrent `setPolicy` may be writing.
    if (sorted.length)
      await query(this.em, `SELECT id FROM variant WHERE id = ANY(?::uuid[]) ORDER BY id FOR KEY SHARE`, [
        pgArray(sorted.map((line) => line.variantId)),
      ]);
    for (const line of sorted) {
      assertQuantity(line.quantity, 'body/quantity');
      const rows = await query<ChangedLevel>(
        this.em,
        `WITH sold AS (
           SELECT r.location_id, l.code, l.active FROM stock_reservation r JOIN stock_location l ON l.id = r.location_id
            WHERE r.order_id = ?::uuid AND r.variant_id = ?::uuid AND r.status = 'sold' LIMIT 1
         ), target AS (
           SELECT COALESCE(
             (SELECT location_id FROM sold WHERE active),
             (SELECT id FROM stock_location WHERE active ORDER BY is_default DESC, name, id LIMIT 1)) AS id
         ), loc AS (
           SELECT l.id AS location_id FROM stock_location l JOIN target t ON t.id = l.id FOR KEY SHARE OF l
         ), upd AS (
           INSERT INTO stock_level (variant_id, location_id, on_hand, allow_backorder)
           SELECT ?::uuid, loc.location_id, ?::int, ${BACKORDER_FLAG} FROM loc
           ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()
           RETURNING variant_id, location_id, on_hand - reserved AS available
         ), mv AS (
           INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason, staff_id, order_id)
           SELECT variant_id, location_id, 'returned', ?::int,
                  COALESCE((SELECT left(?::varchar || ' (sold from inactive location ' || s.code || ', restocked here)', 500)
                              FROM sold s WHERE NOT s.active), ?::varchar),
                  ?::uuid, ?::uuid FROM upd
         ), changed AS (
           SELECT variant_id, location_id, available, available - ?::int AS before, NULL::int AS low_stock_threshold FROM upd
         ), ${levelEvents('changed')}
         SELECT * FROM changed`,
        [
          orderId,
          line.variantId,
          line.variantId,
          line.quantity,
          line.variantId,
          line.quantity,
          reason,
          reason,
          staffId,
          orderId,
          line.quantity,
          JSON.stringify({ event: 'returned', orderId }),
        ],
      );
      // Only when no active location was left to take the goods (the default one always is): never silently.
      if (!rows[0]) throw CommonErrors.internal('No active stock location to restock into');
    }
  }

  /** Available now per variant (best single location; a line is reserved from one location). */
  async availability(
    variantIds: string[],
  ): Promise<Map<string, { available: number; allowBackorder: boolean }>> {
    const result = new Map<string, { available: number; allowBackorder: boolean }>();
    if (!variantIds.length) return result;
    const rows = await query<{ variantId: string; available: number; allowBackorder: boolean }>(
      this.em,
      `SELECT v.id AS "variantId", ${availabilityColumns('v.id')} FROM unnest(?::uuid[]) AS v(id)`,
      [pgArray(variantIds)],
    );
    for (const row of rows)
      result.set(row.variantId, { available: Number(row.available), allowBackorder: row.allowBackorder });
    return result;
  }

  // ---------------------------------------------------------------- staff operations

  /** A counted correction (+ or -) with a reason. Cannot take stock below zero or below what is reserved. */
  async adjust(
    input: { variantId: string; locationId?: string | undefined; delta: number; reason: string },
    actor: StaffActor,
  ): Promise<{ movementId: string; level: StockLevel }> {
    if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_QUANTITY) {
      throw InventoryErrors.invalidQuantity('delta must be a non-zero whole number', {
        errors: [
          {
            path: 'body/delta',
            message: `must be a non-zero whole number between -${MAX_QUANTITY} and ${MAX_QUANTITY}`,
          },
        ],
      });
    }
    const reason = input.reason.trim();
    if (!reason)
      throw CommonErrors.validation('A reason is required', {
        errors: [{ path: 'body/reason', message: 'must not be blank' }],
      });
    return this.em.transactional(async (em) => {
      const svc = new InventoryService(em);
      // An inactive location takes no stock (as a transfer's destination); a count may still write stock
      // off there, as a transfer may still move it out, so that a closed location can be emptied.
      const locationId = await svc.resolveLocation(input.locationId, 'body/locationId', input.delta > 0);
      await svc.assertVariant(input.variantId);
      return svc.changeOnHand(
        canonicalId(input.variantId),
        locationId,
        input.delta,
        'adjusted',
        reason,
        actor,
        null,
      );
    }, ownOrCallers());
  }

  /** Goods received at a location (a delivery from a supplier). */
  async receive(
    input: {
      variantId: string;
      locationId?: string | undefined;
      quantity: number;
      reason?: string | undefined;
    },
    actor: StaffActor,
  ): Promise<{ movementId: string; level: StockLevel }> {
    assertQuantity(input.quantity, 'body/quantity');
    return this.em.transactional(async (em) => {
      const svc = new InventoryService(em);
      const locationId = await svc.resolveLocation(input.locationId, 'body/locationId', true);
      await svc.assertVariant(input.variantId);
      return svc.changeOnHand(
        canonicalId(input.variantId),
        locationId,
        input.quantity,
        'received',
        input.reason?.trim() || null,
        actor,
        null,
      );
    }, ownOrCallers());
  }

  /** Moves available (unreserved) stock between two locations; both rows locked in location-id order. */
  async transfer(
    input: {
      variantId: string;
      fromLocationId: string;
      toLocationId: string;
      quantity: number;
      reason?: string | undefined;
    },
    actor: StaffActor,
  ): Promise<{ transferId: string; from: StockLevel; to: StockLevel }> {
    assertQuantity(input.quantity, 'body/quantity');
    // Ids are compared as PostgreSQL compares uuids: an upper-case spelling is the same location.
    const variantId = canonicalId(input.variantId);
    const fromLocationId = canonicalId(input.fromLocationId);
    const toLocationId = canonicalId(input.toLocationId);
    if (fromLocationId === toLocationId) {
      throw InventoryErrors.sameLocation(undefined, {
        errors: [{ path: 'body/toLocationId', message: 'must differ from fromLocationId' }],
      });
    }
    return this.em.transactional(async (em) => {
      const svc = new InventoryService(em);
      // Both locations stay locked against deletion until the transfer commits (see resolveLocation).
      await svc.resolveLocation(fromLocationId, 'body/fromLocationId');
      await svc.resolveLocation(toLocationId, 'body/toLocationId', true);
      await svc.assertVariant(variantId);
      const transferId = randomUUID();
      // Both levels in location order, as checkouts and batches take them, whether they exist or not: an
      // existing one is locked (ON CONFLICT locks it although its WHERE updates nothing), a missing one is
      // inserted in its place (a missing source then has nothing to give: refused below, rolled back).
      await query(
        em,
        `INSERT INTO stock_level AS s (variant_id, location_id, allow_backorder)
         SELECT ?::uuid, l.id, ${BACKORDER_FLAG} FROM unnest(?::uuid[]) AS l(id) ORDER BY l.id
         ON CONFLICT (variant_id, location_id) DO UPDATE SET updated_at = s.updated_at WHERE false`,
        [variantId, variantId, pgArray([fromLocationId, toLocationId])],
      );
      const reason = input.reason?.trim() || null;
      const out = await svc.changeOnHand(
        variantId,
        fromLocationId,
        -input.quantity,
        'transfer_out',
        reason,
        actor,
        transferId,
        true,
      );
      const into = await svc.changeOnHand(
        variantId,
        toLocationId,
        input.quantity,
        'transfer_in',
        reason,
        actor,
        transferId,
      );
      return { transferId, from: out.level, to: into.level };
    }, ownOrCallers());
  }

  /**
   * One conditional statement changes on_hand and writes the ledger row. A decrease only applies while it
   * leaves on_hand >= reserved (>= 0); otherwise nothing is written and the caller gets a clear 409.
   */
  private async changeOnHand(
    variantId: string,
    locationId: string,
    delta: number,
    kind: MovementKind,
    reason: string | null,
    actor: StaffActor,
    transferId: string | null,
    onlyAvailable = false,
  ): Promise<{ movementId: string; level: StockLevel }> {
    const guard = onlyAvailable
      ? `s.on_hand - s.reserved + ?::int >= 0`
      : `s.on_hand + ?::int >= 0 AND (s.allow_backorder OR s.on_hand + ?::int >= s.reserved)`;
    const change =
      delta > 0
        ? {
            sql: `INSERT INTO stock_level (variant_id, location_id, on_hand, allow_backorder)
                  VALUES (?::uuid, ?::uuid, ?::int, ${BACKORDER_FLAG})
                  ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()
                  RETURNING variant_id, location_id, on_hand - reserved AS available`,
            params: [variantId, locationId, delta, variantId],
          }
        : {
            sql: `UPDATE stock_level s SET on_hand = s.on_hand + ?::int, updated_at = now()
                   WHERE s.variant_id = ?::uuid AND s.location_id = ?::uuid AND ${guard}
                  RETURNING s.variant_id, s.location_id, s.on_hand - s.reserved AS available`,
            params: [delta, variantId, locationId, delta, ...(onlyAvailable ? [] : [delta])],
          };
    const rows = await query<{ variant_id: string; location_id: string; available: number }>(
      this.em,
      `WITH upd AS (${change.sql}), mv AS (
         INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason, staff_id, transfer_id)
         SELECT variant_id, location_id, ?::varchar, ?::int, ?::varchar, ?::uuid, ?::uuid FROM upd RETURNING id
       ), changed AS (
         SELECT u.variant_id, u.location_id, u.available, u.available - ?::int AS before, p.low_stock_threshold, (SELECT id FROM mv) AS movement_id
           FROM upd u LEFT JOIN stock_policy p ON p.variant_id = u.variant_id
       ), ${levelEvents('changed')}
       SELECT * FROM changed`,
      [
        ...change.params,
        kind,
        delta,
        reason,
        actor.staffId,
        transferId,
        delta,
        JSON.stringify({ event: kind, ...(transferId ? { transferId } : {}) }),
      ],
    ).catch((err: unknown) => {
      // on_hand is an int column: a receipt past its maximum fails the whole statement (nothing written,
      // and the caller's transaction rolls back), which is the caller's mistake, not a server error.
      if (isOutOfRange(err)) {
        const path = kind === 'adjusted' ? 'body/delta' : 'body/quantity';
        throw InventoryErrors.stockLimit(`A stock level holds at most ${MAX_ON_HAND} units`, {
          errors: [{ path, message: `would take on hand above ${MAX_ON_HAND}` }],
        });
      }
      throw err;
    });
    const row = rows[0] as (ChangedLevel & { movement_id: string }) | undefined;
    if (!row) {
      const level = await this.level(variantId, locationId);
      throw InventoryErrors.belowZero(
        `On hand ${level?.onHand ?? 0}, reserved ${level?.reserved ?? 0}: cannot ${onlyAvailable ? 'move' : 'remove'} ${-delta}`,
        {
          errors: [
            {
              path: onlyAvailable ? 'body/quantity' : 'body/delta',
              message: 'would take stock below zero or below what is reserved',
            },
          ],
        },
      );
    }
    return { movementId: String(row.movement_id), level: (await this.level(variantId, locationId))! };
  }

  /** Backorder and low-stock threshold for a variant. Refuses to deny backorders while stock is oversold. */
  async setPolicy(variantId: string, input: { allowBackorder: boolean; lowStockThreshold: number | null }) {
    return this.em.transactional(async (em) => {
      await new InventoryService(em).assertVariant(variantId, 'params/variantId', 'UPDATE');
      await query(
        em,
        `INSERT INTO stock_policy (variant_id, allow_backorder, low_stock_threshold) VALUES (?::uuid, ?, ?::int)
         ON CONFLICT (variant_id) DO UPDATE SET allow_backorder = EXCLUDED.allow_backorder,
           low_stock_threshold = EXCLUDED.low_stock_threshold, updated_at = now()`,
        [variantId, input.allowBackorder, input.lowStockThreshold],
      );
      try {
        // The variant's levels locked in (variant, location) order first, as checkout, settlements, transfers and
        // batches take them; the UPDATE then only touches rows already locked. A plain UPDATE locked them in scan
        // order (the heap's, say): holding a later location while waiting for an earlier one that a settlement of
        // an order reserving at both held, which then waited for the later one: a deadlock, one side failing.
        await query(
          em,
          `WITH locked AS (
             SELECT s.variant_id, s.location_id FROM stock_level s WHERE s.variant_id = ?::uuid
              ORDER BY s.variant_id, s.location_id FOR UPDATE OF s
           )
           UPDATE stock_level s SET allow_backorder = ? FROM locked k
            WHERE s.variant_id = k.variant_id AND s.location_id = k.location_id`,
          [variantId, input.allowBackorder],
        );
      } catch (err) {
        if (isCheckViolation(err))
          throw InventoryErrors.belowZero(
            'Stock is oversold at a location: receive stock before denying backorders',
          );
        throw err;
      }
      if (input.allowBackorder) {
        // A backorderable variant needs a level row to reserve against, even before any stock arrives.
        await query(
          em,
          `INSERT INTO stock_level (variant_id, location_id, allow_backorder)
           SELECT ?::uuid, id, true FROM stock_location WHERE is_default FOR KEY SHARE ON CONFLICT DO NOTHING`,
          [variantId],
        );
      }
      recordChange(em, {
        resource: 'inventory',
        ids: [variantId],
        type: 'updated',
        payload: { event: 'policy' },
      });
      return { variantId, ...input };
    });
  }

  async getPolicy(
    variantId: string,
  ): Promise<{ variantId: string; allowBackorder: boolean; lowStockThreshold: number | null }> {
    // An unknown variant is a 404, as when setting its policy (not the defaults of a variant that is not there).
    await this.assertVariant(variantId, 'params/variantId');
    const rows = await query<{ allowBackorder: boolean; lowStockThreshold: number | null }>(
      this.em,
      `SELECT allow_backorder AS "allowBackorder", low_stock_threshold AS "lowStockThreshold" FROM stock_policy WHERE variant_id = ?::uuid`,
      [variantId],
    );
    return {
      variantId,
      allowBackorder: rows[0]?.allowBackorder ?? false,
      lowStockThreshold: rows[0]?.lowStockThreshold ?? null,
    };
  }

  // ---------------------------------------------------------------- reads

  async level(variantId: string, locationId: string): Promise<StockLevel | null> {
    const rows = await query<StockLevel>(
      this.em,
      `SELECT ${LEVEL_COLUMNS} FROM ${LEVEL_FROM} WHERE s.variant_id = ?::uuid AND s.location_id = ?::uuid`,
      [variantId, locationId],
    );
    return rows[0] ?? null;
  }

  async levels(
    filters: {
      variantId?: string | undefined;
      locationId?: string | undefined;
      lowStock?: boolean | undefined;
      outOfStock?: boolean | undefined;
    },
    list: ListParams,
  ): Promise<{ data: StockLevel[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.variantId) {
      where.push('s.variant_id = ?::uuid');
      params.push(filters.variantId);
    }
    if (filters.locationId) {
      where.push('s.location_id = ?::uuid');
      params.push(filters.locationId);
    }
    if (filters.lowStock)
      where.push('p.low_stock_threshold IS NOT NULL AND s.available <= p.low_stock_threshold');
    if (filters.outOfStock) where.push('s.available <= 0');
    const sortColumns: Record<string, string> = {
      variantId: 's.variant_id',
      locationId: 's.location_id',
      onHand: 's.on_hand',
      reserved: 's.reserved',
      available: 's.available',
      updatedAt: 's.updated_at',
    };
    const sort = sortColumns[list.sort ?? ''] ?? 's.variant_id';
    const rows = await query<StockLevel & { total: string }>(
      this.em,
      `SELECT ${LEVEL_COLUMNS}, count(*) OVER () AS total FROM ${LEVEL_FROM}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${sort} ${list.order === 'DESC' ? 'DESC' : 'ASC'}, s.variant_id, s.location_id
        LIMIT ?::int OFFSET ?::int`,
      [...params, list.perPage, (list.page - 1) * list.perPage],
    );
    const total = rows[0] ? Number(rows[0].total) : await this.countLevels(where, params, list.page);
    return { data: rows.map(({ total: _total, ...level }) => level), total };
  }

  private async countLevels(where: string[], params: unknown[], page: number): Promise<number> {
    if (page === 1) return 0;
    const rows = await query<{ n: string }>(
      this.em,
      `SELECT count(*) AS n FROM ${LEVEL_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async movements(
    filters: {
      variantId?: string | undefined;
      locationId?: string | undefined;
      orderId?: string | undefined;
      kind?: MovementKind | undefined;
    },
    list: ListParams,
  ): Promise<{ data: StockMovement[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.variantId) {
      where.push('variant_id = ?::uuid');
      params.push(filters.variantId);
    }
    if (filters.locationId) {
      where.push('location_id = ?::uuid');
      params.push(filters.locationId);
    }
    if (filters.orderId) {
      where.push('order_id = ?::uuid');
      params.push(filters.orderId);
    }
    if (filters.kind) {
      where.push('kind = ?');
      params.push(filters.kind);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Ordered by the bigint column, not the text `id` the list answers (as text, 10 sorts before 9).
    const rows = await query<StockMovement>(
      this.em,
      `SELECT id::text, created_at AS "createdAt", variant_id AS "variantId", location_id AS "locationId", kind,
              on_hand_delta AS "onHandDelta", reserved_delta AS "reservedDelta", reason, staff_id AS "staffId",
              order_id AS "orderId", transfer_id AS "transferId"
         FROM stock_movement ${clause} ORDER BY stock_movement.id ${list.order === 'ASC' ? 'ASC' : 'DESC'} LIMIT ?::int OFFSET ?::int`,
      [...params, list.perPage, (list.page - 1) * list.perPage],
    );
    const count = await query<{ n: string }>(
      this.em,
      `SELECT count(*) AS n FROM stock_movement ${clause}`,
      params,
    );
    return { data: rows, total: Number(count[0]?.n ?? 0) };
  }

  // ---------------------------------------------------------------- locations

  async listLocations(): Promise<StockLocation[]> {
    return query<StockLocation>(
      this.em,
      `SELECT ${LOCATION_COLUMNS} FROM stock_location ORDER BY is_default DESC, name`,
    );
  }

  async getLocation(id: string): Promise<StockLocation> {
    const rows = await query<StockLocation>(
      this.em,
      `SELECT ${LOCATION_COLUMNS} FROM stock_location WHERE id = ?::uuid`,
      [id],
    );
    if (!rows[0]) throw InventoryErrors.locationNotFound();
    return rows[0];
  }

  async createLocation(input: {
    code: string;
    name: string;
    active?: boolean | undefined;
  }): Promise<StockLocation> {
    try {
      return await this.em.transactional(async (em) => {
        const rows = await query<StockLocation>(
          em,
          `INSERT INTO stock_location (code, name, active) VALUES (?, ?, ?) RETURNING ${LOCATION_COLUMNS}`,
          [input.code.trim(), input.name.trim(), input.active ?? true],
        );
        recordChange(em, { resource: 'stock-locations', ids: [rows[0]!.id], type: 'created' });
        return rows[0]!;
      });
    } catch (err) {
      throw codeTaken(err) ?? err;
    }
  }

  async updateLocation(
    id: string,
    input: {
      name?: string | undefined;
      code?: string | undefined;
      active?: boolean | undefined;
      isDefault?: boolean | undefined;
      version?: number | undefined;
    },
  ): Promise<StockLocation> {
    // Two locations made the default at once: the one that committed second found the other's flag set only
    // after its own statement's snapshot, and the single-default index refused it. Run again, it sees that
    // default and takes the flag from it, as if the two had come one after the other.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.updateLocationOnce(id, input);
      } catch (err) {
        if (input.isDefault && isSecondDefault(err) && attempt < 3) continue;
        throw codeTaken(err) ?? err;
      }
    }
  }

  private async updateLocationOnce(
    id: string,
    input: Parameters<InventoryService['updateLocation']>[1],
  ): Promise<StockLocation> {
    return this.em.transactional(async (em) => {
      const current = await new InventoryService(em).getLocation(id);
      if (input.version !== undefined && input.version !== current.version)
        throw CommonErrors.staleWrite('Reload the location and apply your change again');
      if (input.isDefault === false && current.isDefault) {
        throw CommonErrors.validation('Choose another default location instead', {
          errors: [{ path: 'body/isDefault', message: 'make another location the default' }],
        });
      }
      if (input.active === false && current.isDefault)
        throw InventoryErrors.locationInUse('The default location cannot be deactivated', {
          errors: [{ path: 'body/active', message: 'make another location the default first' }],
        });
      // The default location receives stock by default and backorders land there, so it must be active
      // (stock_location_default_is_active): refused here, on the field, rather than by the CHECK as a 500.
      if (input.isDefault && !(input.active ?? current.active)) {
        throw CommonErrors.validation('An inactive location cannot be the default', {
          errors:
            input.active === false
              ? [{ path: 'body/active', message: 'the default location must be active' }]
              : [{ path: 'body/isDefault', message: 'activate the location first (active: true)' }],
        });
      }
      if (input.isDefault)
        await query(
          em,
          `UPDATE stock_location SET is_default = false, version = version + 1, updated_at = now() WHERE is_default AND id <> ?::uuid`,
          [id],
        );
      const rows = await query<StockLocation>(
        em,
        // A code that differs only in case from an older location's was kept by migration 20270107000000
        // (code_case_exempt); a new code loses that exemption and is checked like any other.
        `UPDATE stock_location SET name = COALESCE(?, name), code = COALESCE(?, code), active = COALESCE(?, active),
           code_case_exempt = CASE WHEN COALESCE(?, code) = code THEN code_case_exempt END,
           is_default = COALESCE(?, is_default), version = version + 1, updated_at = now()
         WHERE id = ?::uuid AND version = ? RETURNING ${LOCATION_COLUMNS}`,
        [
          input.name?.trim() ?? null,
          input.code?.trim() ?? null,
          input.active ?? null,
          input.code?.trim() ?? null,
          input.isDefault ?? null,
          id,
          current.version,
        ],
      );
      // Changed between the read above and this write (both in this transaction, read committed).
      if (!rows[0]) throw CommonErrors.staleWrite('Reload the location and apply your change again');
      recordChange(em, { resource: 'stock-locations', ids: [id], type: 'updated' });
      if (rows[0].active !== current.active) {
        // Only active locations count as stock for the store (the catalog's copy, checkout): its variants'
        // stock changed, so the catalog copies it again (it follows 'inventory' events).
        const variants = await query<{ variant_id: string }>(
          em,
          `SELECT variant_id FROM stock_level WHERE location_id = ?::uuid`,
          [id],
        );
        if (variants.length)
          recordChange(em, {
            resource: 'inventory',
            ids: variants.map((row) => row.variant_id),
            type: 'updated',
            payload: { event: rows[0].active ? 'location_activated' : 'location_deactivated' },
          });
      }
      return rows[0]!;
    });
  }

  /**
   * Only a location that never held stock can go (the ledger refers to it); otherwise deactivate it. The row
   * is locked FOR UPDATE before the check: a writer of stock there holds it FOR KEY SHARE (`resolveLocation`,
   * `restock`) from before it writes until it commits, so the check runs after such a writer committed (and
   * sees its stock: 409) or the writer waits for this delete and then finds no location (404). Two deletes:
   * the second waits and finds nothing (404).
   */
  async deleteLocation(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const [location] = await query<StockLocation>(
        em,
        `SELECT ${LOCATION_COLUMNS} FROM stock_location WHERE id = ?::uuid FOR UPDATE`,
        [id],
      );
      if (!location) throw InventoryErrors.locationNotFound();
      // A new statement, so a new snapshot (read committed): it sees what a writer that held the lock committed.
      const used = await query<{ used: boolean }>(
        em,
        `SELECT EXISTS (SELECT 1 FROM stock_movement WHERE location_id = ?::uuid) OR EXISTS (SELECT 1 FROM stock_level WHERE location_id = ?::uuid) AS used`,
        [id, id],
      );
      if (location.isDefault)
        throw InventoryErrors.locationInUse(
          'The default location cannot be deleted: make another one the default',
        );
      if (used[0]?.used)
        throw InventoryErrors.locationInUse('The location has stock history: deactivate it instead');
      await query(em, `DELETE FROM stock_location WHERE id = ?::uuid`, [id]);
      recordChange(em, { resource: 'stock-locations', ids: [id], type: 'deleted' });
    });
  }

  async defaultLocationId(): Promise<string> {
    const rows = await query<{ id: string }>(this.em, `SELECT id FROM stock_location WHERE is_default`);
    if (!rows[0]) throw CommonErrors.internal('No default stock location');
    return rows[0].id;
  }

  /**
   * The given location (which must exist, and be active when it receives stock) or the default one, as its
   * stored id (lower case). Must run in the transaction that then writes stock there: the location row stays
   * locked FOR KEY SHARE until that transaction ends, so a concurrent `deleteLocation` (which locks the row
   * FOR UPDATE before checking that it is unused) either waits for this transaction and then finds the stock
   * written here (409 MCART_ERR_LOCATION_IN_USE), or deleted the row first, and this finds no location (404),
   * instead of either side failing on the stock_level foreign key. KEY SHARE does not wait for (nor block)
   * edits of the row's other columns (a rename, the default flag, `active`).
   */
  private async resolveLocation(
    locationId: string | undefined,
    path = 'body/locationId',
    mustBeActive = false,
  ): Promise<string> {
    if (!locationId) return this.lockDefaultLocation();
    const rows = await query<{ id: string; active: boolean }>(
      this.em,
      `SELECT id, active FROM stock_location WHERE id = ?::uuid FOR KEY SHARE`,
      [locationId],
    );
    if (!rows[0])
      throw InventoryErrors.locationNotFound(`No stock location ${locationId}`, {
        errors: [{ path, message: 'unknown location' }],
      });
    if (mustBeActive && !rows[0].active) {
      throw InventoryErrors.locationNotFound('The location is inactive', {
        errors: [{ path, message: 'inactive location' }],
      });
    }
    return rows[0].id;
  }

  /**
   * The default location, locked FOR KEY SHARE as in `resolveLocation`. The default itself is never deleted,
   * but it can lose the flag and then be deleted between this statement's snapshot and its lock: the row is
   * then gone and the next attempt (a new snapshot) finds the new default.
   */
  private async lockDefaultLocation(): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows = await query<{ id: string }>(
        this.em,
        `SELECT id FROM stock_location WHERE is_default FOR KEY SHARE`,
      );
      if (rows[0]) return rows[0].id;
    }
    throw CommonErrors.internal('No default stock location');
  }

  // ---------------------------------------------------------------- internals

  /**
   * Staff write stock for variants of the catalog only: an id that names none (a typo, a script's stale id) is
   * refused rather than booked against nothing, where no screen shows it and the real variant stays short. A
   * deleted variant still counts: its goods may still be on the shelf, to be counted, moved or written off.
   */
  /**
   * The variant exists, and is held FOR KEY SHARE until the transaction ends (FOR UPDATE when `setPolicy` asks):
   * a write that may create a level copies the variant's backorder flag from its policy in a later statement, so
   * it waits for a `setPolicy` still running, and then reads its policy (its first one included, which had no row
   * to wait on); a `setPolicy` waits for such writes, and then sets the flag of the levels they made.
   */
  private async assertVariant(
    variantId: string,
    path = 'body/variantId',
    lock: 'KEY SHARE' | 'UPDATE' = 'KEY SHARE',
  ): Promise<void> {
    const rows = await query<{ id: string }>(
      this.em,
      `SELECT id FROM variant WHERE id = ?::uuid FOR ${lock}`,
      [variantId],
    );
    if (!rows.length)
      throw InventoryErrors.variantNotFound(`No variant ${variantId}`, {
        errors: [{ path, message: 'unknown variant' }],
      });
  }

  private async canReserveSomewhere(variantId: string, quantity: number): Promise<boolean> {
    const rows = await query<{ ok: boolean }>(
      this.em,
      `SELECT EXISTS (SELECT 1 FROM stock_level s JOIN stock_location l ON l.id = s.location_id
                       WHERE s.variant_id = ?::uuid AND l.active AND (s.allow_backorder OR s.available >= ?::int)) AS ok`,
      [variantId, quantity],
    );
    return rows[0]?.ok ?? false;
  }

  private async bestAvailable(variantId: string): Promise<number> {
    const rows = await query<{ available: number | null }>(
      this.em,
      `SELECT max(s.available) AS available FROM stock_level s JOIN stock_location l ON l.id = s.location_id WHERE s.variant_id = ?::uuid AND l.active`,
      [variantId],
    );
    return Math.max(0, Number(rows[0]?.available ?? 0));
  }

  /** One 'inventory' event for the variants changed, plus a low-stock alert for each level that crossed its threshold. */
}

/** Demo stock on first start: every catalog variant gets stock at the default location. */
export async function seedDemoStock(em: EntityManager, perVariant: number): Promise<number> {
  return em.transactional(async (tx) => {
    const [{ exists } = { exists: false }] = await query<{ exists: boolean }>(
      tx,
      `SELECT to_regclass('variant') IS NOT NULL AS exists`,
    );
    if (!exists) return 0;
    const [{ any } = { any: true }] = await query<{ any: boolean }>(
      tx,
      `SELECT EXISTS (SELECT 1 FROM stock_level) AS any`,
    );
    if (any) return 0;
    const rows = await query<{ variant_id: string }>(
      tx,
      `WITH loc AS (SELECT id FROM stock_location WHERE is_default), lvl AS (
         INSERT INTO stock_level (variant_id, location_id, on_hand) SELECT v.id, loc.id, ?::int FROM variant v, loc
         RETURNING variant_id, location_id
       ), mv AS (
         INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason)
         SELECT variant_id, location_id, 'received', ?::int, 'demo stock' FROM lvl
       ) SELECT variant_id FROM lvl`,
      [perVariant, perVariant],
    );
    if (rows.length)
      recordChange(tx, {
        resource: 'inventory',
        ids: rows.map((r) => r.variant_id),
        type: 'updated',
        payload: { event: 'received' },
      });
    return rows.length;
  });
}

/**
 * What a failed reservation statement (RESERVE_ALL_SQL) means: `contended`, the out-of-stock error naming the
 * short lines, or null for any other error.
 */
export function refusedReservation(err: unknown): 'contended' | AppError | null {
  const { code, detail } = (err ?? {}) as { code?: string; detail?: string };
  if (code === RESERVATION_CONTENDED) return 'contended';
  if (code !== OUT_OF_STOCK) return null;
  const short = JSON.parse(detail || '[]') as ShortLine[];
  return InventoryErrors.outOfStock(`Not enough stock for ${short.length} item(s)`, { variants: short });
}
