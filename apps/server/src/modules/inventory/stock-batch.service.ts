import { randomUUID } from 'node:crypto';
import { TransactionPropagation } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, CommonErrors, type FieldError } from '../../platform/errors.ts';
import { InventoryErrors } from './inventory.errors.ts';
import {
  canonicalId,
  levelEvents,
  MAX_ON_HAND,
  MAX_QUANTITY,
  type StaffActor,
  type StockLevel,
} from './inventory.service.ts';
import { pgArray, query } from './sql.ts';

export interface BatchLine {
  variantId: string;
  quantity: number;
}

export interface AdjustmentLine {
  variantId: string;
  delta: number;
}

/** SQLSTATE the batch statement raises (through `mcart_raise`) when a line cannot be applied. */
const LINE_REFUSED = 'MCS03';

/** One level a batch changes: a line's receipt or adjustment, or either half of a line's transfer. */
interface Change {
  line: number;
  variantId: string;
  locationId: string;
  delta: number;
  kind: 'received' | 'adjusted' | 'transfer_out' | 'transfer_in';
  transferId: string | null;
}

/** A refused change, as the batch statement describes it in its error's DETAIL. */
interface Refused {
  line: number;
  delta: number;
  kind: Change['kind'];
  onHand: number;
  reserved: number;
}

/** A changed level as the batch statement answers it: the level, and the ledger row of its change. */
type Applied = StockLevel & { line: number; kind: Change['kind']; movementId: string };

/**
 * Decreases apply only while they leave on_hand >= 0 and >= reserved (unless the level takes backorders), or,
 * for a transfer's source, while they leave available >= 0: the single-line rules of InventoryService.
 * (Increases only while on_hand stays an int: APPLY_SQL.) `EXCLUDED.on_hand` is the change, `s` the level.
 */
const GUARD = {
  adjust: `s.on_hand + EXCLUDED.on_hand >= 0 AND (s.allow_backorder OR s.on_hand + EXCLUDED.on_hand >= s.reserved)`,
  available: `s.on_hand - s.reserved + EXCLUDED.on_hand >= 0`,
};

/*
 * A batch's changes in one statement. Policies of the variants that gain stock are read FOR SHARE first (a new
 * level copies the backorder flag; setPolicy holds its row, then its levels, in that order too); then one upsert
 * takes every level of the batch in (variant, location) order, as checkout's reservation locks them: an existing
 * level is locked (ON CONFLICT locks it even when its WHERE refuses the change) and changed when the rule allows,
 * a missing one is inserted in its place in that order. (Existing levels used to be locked first and new ones
 * inserted after: a level created meanwhile by another session was then locked out of order, and deadlocked with a
 * checkout or a single-line transfer holding it.) The upsert's proposed row carries the change as its on_hand (the
 * CHECK passes: a decrease's proposal takes backorders); a decrease that inserted a level (none existed) is refused.
 * The statement writes a ledger row per change (reason, staff, transfer), the events, and answers each level as it
 * now is; when a change did not apply it raises LINE_REFUSED with the refused changes in DETAIL, so nothing of the
 * batch is written.
 */
const APPLY_SQL = (guard: string) => `
  WITH wanted AS (
    SELECT * FROM unnest(?::int[], ?::uuid[], ?::uuid[], ?::int[], ?::varchar[], ?::uuid[])
      AS w(line, variant_id, location_id, delta, kind, transfer_id)
  ), policy AS (
    SELECT p.variant_id, p.allow_backorder FROM stock_policy p
     WHERE p.variant_id IN (SELECT variant_id FROM wanted WHERE delta > 0)
     ORDER BY p.variant_id FOR SHARE OF p
  ), ups AS (
    INSERT INTO stock_level AS s (variant_id, location_id, on_hand, allow_backorder)
    SELECT w.variant_id, w.location_id, w.delta, w.delta < 0 OR COALESCE(p.allow_backorder, false)
      FROM wanted w LEFT JOIN policy p ON p.variant_id = w.variant_id
     WHERE (SELECT count(*) FROM policy) >= 0
     ORDER BY w.variant_id, w.location_id
    ON CONFLICT (variant_id, location_id) DO UPDATE
       SET on_hand = s.on_hand + EXCLUDED.on_hand, updated_at = now()
     WHERE CASE WHEN EXCLUDED.on_hand > 0 THEN s.on_hand::bigint + EXCLUDED.on_hand <= ${MAX_ON_HAND} ELSE ${guard} END
    RETURNING s.variant_id, s.location_id, s.on_hand, s.reserved, s.allow_backorder, s.updated_at
  ), upd AS (
    -- A decrease leaves on_hand >= 0 (GUARD): one below zero inserted a level that did not exist.
    SELECT u.* FROM ups u JOIN wanted w ON w.variant_id = u.variant_id AND w.location_id = u.location_id
     WHERE w.delta > 0 OR u.on_hand >= 0
  ), locked AS (
    -- The refused levels as they are now (each already locked by the upsert, so this waits for nobody).
    SELECT s.variant_id, s.location_id, s.on_hand, s.reserved FROM stock_level s
     WHERE (s.variant_id, s.location_id) IN (SELECT variant_id, location_id FROM wanted)
       AND (SELECT count(*) FROM ups) >= 0
       FOR UPDATE OF s
  ), mv AS (
    INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason, staff_id, transfer_id)
    SELECT w.variant_id, w.location_id, w.kind, w.delta, ?::varchar, ?::uuid, w.transfer_id
      FROM upd u JOIN wanted w ON w.variant_id = u.variant_id AND w.location_id = u.location_id
     ORDER BY w.variant_id, w.location_id
    RETURNING id, variant_id, location_id
  ), changed AS (
    SELECT u.*, w.line, w.kind, u.on_hand - u.reserved AS available, u.on_hand - u.reserved - w.delta AS before,
           p.low_stock_threshold, m.id AS movement_id
      FROM upd u JOIN wanted w ON w.variant_id = u.variant_id AND w.location_id = u.location_id
      JOIN mv m ON m.variant_id = u.variant_id AND m.location_id = u.location_id
      LEFT JOIN stock_policy p ON p.variant_id = u.variant_id
  ), ${levelEvents('changed')}, refused AS (
    SELECT jsonb_agg(jsonb_build_object('line', w.line, 'delta', w.delta, 'kind', w.kind,
             'onHand', COALESCE(k.on_hand, 0), 'reserved', COALESCE(k.reserved, 0))
             ORDER BY w.variant_id, w.location_id) AS lines
      FROM wanted w
      LEFT JOIN locked k ON k.variant_id = w.variant_id AND k.location_id = w.location_id
     WHERE NOT EXISTS (SELECT 1 FROM changed c WHERE c.variant_id = w.variant_id AND c.location_id = w.location_id)
  )
  SELECT c.line, c.kind, c.movement_id::text AS "movementId",
         c.variant_id || ':' || c.location_id AS "id", c.variant_id AS "variantId", c.location_id AS "locationId",
         l.name AS "locationName", c.on_hand AS "onHand", c.reserved, c.available,
         c.allow_backorder AS "allowBackorder", c.low_stock_threshold AS "lowStockThreshold", c.updated_at AS "updatedAt"
    FROM refused f
    LEFT JOIN changed c ON f.lines IS NULL
    LEFT JOIN stock_location l ON l.id = c.location_id
   WHERE f.lines IS NULL OR mcart_raise('${LINE_REFUSED}', 'stock batch line refused', f.lines::text)`;

/*
 * Before any stock row is locked: the locations named (or the default one), locked FOR KEY SHARE until the batch
 * commits as `InventoryService.resolveLocation` does, and the batch's variants, held FOR KEY SHARE in id order as
 * `InventoryService.assertVariant` holds them (a concurrent `setPolicy` is waited for, so the next statement copies
 * the policy it wrote into new levels), answering those the catalog does not know.
 */
const RESOLVE_SQL = `
  WITH loc AS (
    SELECT id, active, is_default FROM stock_location
     WHERE id = ANY(?::uuid[]) OR (?::boolean AND is_default) FOR KEY SHARE
  ), known AS MATERIALIZED (
    SELECT v.id FROM variant v WHERE v.id = ANY(?::uuid[]) ORDER BY v.id FOR KEY SHARE
  )
  SELECT (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'active', active, 'isDefault', is_default)), '[]')
            FROM loc) AS locations,
         (SELECT COALESCE(array_agg(w.id::text), '{}') FROM unnest(?::uuid[]) AS w(id)
           WHERE w.id NOT IN (SELECT id FROM known)) AS unknown`;

/**
 * Several lines of stock work as one unit (a delivery scanned item by item, a counted shelf, a cart of
 * goods moved to another warehouse): every line is applied in one transaction, or none is, under the
 * single-line rules of InventoryService (each change conditional on the level, one ledger row per change).
 * The batch is two statements whatever its size (ADR 0033): one resolves the locations and checks the
 * variants, taking no stock lock; one locks the levels in (variant, location) order, as checkouts do, and
 * applies every line. So a batch holds its stock rows for that statement and the COMMIT only, not for a few
 * round trips per line. A failing line's field errors name it: `body/lines/<i>/quantity`.
 */
export class StockBatchService {
  constructor(private readonly em: EntityManager) {}

  async receive(
    input: { locationId?: string | undefined; reason?: string | undefined; lines: BatchLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; movementId: string; level: StockLevel }[]> {
    const lines = normalised(input.lines);
    lines.forEach((line, index) => assertLineQuantity(line.quantity, index));
    return this.em.transactional(async (em) => {
      const [locationId] = await resolve(em, lines, [
        { id: input.locationId, path: 'body/locationId', mustBeActive: true },
      ]);
      const applied = await apply(
        em,
        lines.map((line, index) => change(index, line.variantId, locationId!, line.quantity, 'received')),
        'adjust',
        input.reason?.trim() || null,
        actor,
        'received',
      );
      return lines.map((line, index) => onlyChange(line.variantId, applied, index));
    }, callers());
  }

  async adjust(
    input: { locationId?: string | undefined; reason: string; lines: AdjustmentLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; movementId: string; level: StockLevel }[]> {
    const lines = normalised(input.lines);
    lines.forEach((line, index) => {
      if (!Number.isInteger(line.delta) || line.delta === 0 || Math.abs(line.delta) > MAX_QUANTITY)
        throw onLine(
          InventoryErrors.invalidQuantity('delta must be a non-zero whole number', {
            errors: [
              {
                path: 'body/delta',
                message: `must be a non-zero whole number between -${MAX_QUANTITY} and ${MAX_QUANTITY}`,
              },
            ],
          }),
          index,
        );
    });
    const reason = input.reason.trim();
    if (!reason)
      throw CommonErrors.validation('A reason is required', {
        errors: [{ path: 'body/reason', message: 'must not be blank' }],
      });
    return this.em.transactional(async (em) => {
      // An inactive location takes no stock; a count may still write stock off there (InventoryService.adjust).
      const [locationId] = await resolve(em, lines, [
        { id: input.locationId, path: 'body/locationId', mustBeActive: lines.some((line) => line.delta > 0) },
      ]);
      const applied = await apply(
        em,
        lines.map((line, index) => change(index, line.variantId, locationId!, line.delta, 'adjusted')),
        'adjust',
        reason,
        actor,
        'adjusted',
      );
      return lines.map((line, index) => onlyChange(line.variantId, applied, index));
    }, callers());
  }

  async transfer(
    input: { fromLocationId: string; toLocationId: string; reason?: string | undefined; lines: BatchLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; transferId: string; from: StockLevel; to: StockLevel }[]> {
    const lines = normalised(input.lines);
    lines.forEach((line, index) => assertLineQuantity(line.quantity, index));
    const fromLocationId = canonicalId(input.fromLocationId);
    const toLocationId = canonicalId(input.toLocationId);
    if (fromLocationId === toLocationId) {
      throw InventoryErrors.sameLocation(undefined, {
        errors: [{ path: 'body/toLocationId', message: 'must differ from fromLocationId' }],
      });
    }
    return this.em.transactional(async (em) => {
      await resolve(em, lines, [
        { id: fromLocationId, path: 'body/fromLocationId', mustBeActive: false },
        { id: toLocationId, path: 'body/toLocationId', mustBeActive: true },
      ]);
      const transferIds = lines.map(() => randomUUID());
      const changes = lines.flatMap((line, index) => [
        change(index, line.variantId, fromLocationId, -line.quantity, 'transfer_out', transferIds[index]!),
        change(index, line.variantId, toLocationId, line.quantity, 'transfer_in', transferIds[index]!),
      ]);
      const applied = await apply(em, changes, 'available', input.reason?.trim() || null, actor, 'transfer');
      return lines.map((line, index) => {
        const [out, into] = (['transfer_out', 'transfer_in'] as const).map((kind) =>
          applied.find((row) => row.line === index && row.kind === kind)!,
        );
        return {
          variantId: line.variantId,
          transferId: transferIds[index]!,
          from: level(out!),
          to: level(into!),
        };
      });
    }, callers());
  }
}

/**
 * The lines with their variant ids as PostgreSQL spells them (one variant spelled in two cases is one variant:
 * PostgreSQL compares uuids, not strings), a variant on two lines refused on the second.
 */
function normalised<L extends { variantId: string }>(given: L[]): L[] {
  const lines = given.map((line) => ({ ...line, variantId: canonicalId(line.variantId) }));
  const seen = new Map<string, number>();
  const duplicates: FieldError[] = [];
  lines.forEach((line, index) => {
    if (seen.has(line.variantId))
      duplicates.push({
        path: `body/lines/${index}/variantId`,
        message: `repeats line ${seen.get(line.variantId)! + 1}`,
      });
    else seen.set(line.variantId, index);
  });
  if (duplicates.length)
    throw CommonErrors.validation('A variant may appear on one line only', { errors: duplicates });
  return lines;
}

function assertLineQuantity(quantity: number, index: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
    throw onLine(
      InventoryErrors.invalidQuantity(`body/quantity must be a whole number from 1 to ${MAX_QUANTITY}`, {
        errors: [{ path: 'body/quantity', message: `must be a whole number from 1 to ${MAX_QUANTITY}` }],
      }),
      index,
    );
}

/** In the caller's transaction when it has one (the one that stores the batch's Idempotency-Key answer). */
const callers = () => ({ propagation: TransactionPropagation.REQUIRED });

const change = (
  line: number,
  variantId: string,
  locationId: string,
  delta: number,
  kind: Change['kind'],
  transferId: string | null = null,
): Change => ({ line, variantId, locationId, delta, kind, transferId });

/** Lines are refused in variant-id order (the order they used to be applied in): the first one is answered. */
const byVariant = (a: { variantId: string }, b: { variantId: string }) =>
  a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0;

/**
 * The locations' ids (the default one's for a location not named), each locked FOR KEY SHARE, or the error of
 * the first location that is unknown (or inactive where it must take stock); then the first line, in variant
 * order, whose variant the catalog does not know (404 on its `variantId`). The default location can lose its
 * flag (and then be deleted) between this statement's snapshot and its lock: asked again, it finds the new one.
 */
async function resolve(
  em: EntityManager,
  lines: { variantId: string }[],
  wanted: { id: string | undefined; path: string; mustBeActive: boolean }[],
): Promise<string[]> {
  const named = wanted.flatMap((location) => (location.id ? [canonicalId(location.id)] : []));
  const needsDefault = wanted.some((location) => !location.id);
  for (let attempt = 0; ; attempt++) {
    const [row] = await query<{
      locations: { id: string; active: boolean; isDefault: boolean }[];
      unknown: string[];
    }>(em, RESOLVE_SQL, [
      pgArray(named),
      needsDefault,
      pgArray(lines.map((line) => line.variantId)),
      pgArray(lines.map((line) => line.variantId)),
    ]);
    const found = row!.locations;
    const fallback = found.find((location) => location.isDefault);
    if (needsDefault && !fallback) {
      if (attempt < 2) continue;
      throw CommonErrors.internal('No default stock location');
    }
    const ids = wanted.map(({ id, path, mustBeActive }) => {
      const location = id ? found.find((candidate) => candidate.id === canonicalId(id)) : fallback;
      if (!location)
        throw InventoryErrors.locationNotFound(`No stock location ${id}`, {
          errors: [{ path, message: 'unknown location' }],
        });
      if (mustBeActive && !location.active)
        throw InventoryErrors.locationNotFound('The location is inactive', {
          errors: [{ path, message: 'inactive location' }],
        });
      return location.id;
    });
    const unknown = new Set(row!.unknown);
    const first = lines
      .map((line, index) => ({ ...line, index }))
      .sort(byVariant)
      .find((line) => unknown.has(line.variantId));
    if (first)
      throw onLine(
        InventoryErrors.variantNotFound(`No variant ${first.variantId}`, {
          errors: [{ path: 'body/variantId', message: 'unknown variant' }],
        }),
        first.index,
      );
    return ids;
  }
}

/** Applies every change in one statement (APPLY_SQL), or refuses the batch on its first refused line. */
async function apply(
  em: EntityManager,
  given: Change[],
  guard: keyof typeof GUARD,
  reason: string | null,
  actor: StaffActor,
  event: string,
): Promise<Applied[]> {
  const changes = [...given].sort(
    (a, b) => byVariant(a, b) || (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0),
  );
  const ints = (values: number[]) => `{${values.join(',')}}`;
  try {
    return await query<Applied>(em, APPLY_SQL(GUARD[guard]), [
      ints(changes.map((c) => c.line)),
      pgArray(changes.map((c) => c.variantId)),
      pgArray(changes.map((c) => c.locationId)),
      ints(changes.map((c) => c.delta)),
      pgArray(changes.map((c) => c.kind)),
      pgArray(changes.map((c) => c.transferId ?? 'NULL')),
      reason,
      actor.staffId,
      JSON.stringify({ event }),
    ]);
  } catch (err) {
    const { code, detail } = (err ?? {}) as { code?: string; detail?: string };
    if (code !== LINE_REFUSED) throw err;
    const [first] = JSON.parse(detail || '[]') as Refused[];
    throw onLine(refusal(first!, guard === 'available'), first!.line);
  }
}

/** What InventoryService answers for one refused change, on the line's own field (before `onLine`). */
function refusal(refused: Refused, move: boolean): AppError {
  const path = refused.kind === 'adjusted' ? 'body/delta' : 'body/quantity';
  if (refused.delta > 0)
    return InventoryErrors.stockLimit(`A stock level holds at most ${MAX_ON_HAND} units`, {
      errors: [{ path, message: `would take on hand above ${MAX_ON_HAND}` }],
    });
  return InventoryErrors.belowZero(
    `On hand ${refused.onHand}, reserved ${refused.reserved}: cannot ${move ? 'move' : 'remove'} ${-refused.delta}`,
    { errors: [{ path, message: 'would take stock below zero or below what is reserved' }] },
  );
}

function level(row: Applied): StockLevel {
  const { line: _line, kind: _kind, movementId: _movementId, ...rest } = row;
  return rest;
}

function onlyChange(
  variantId: string,
  applied: Applied[],
  index: number,
): { variantId: string; movementId: string; level: StockLevel } {
  const row = applied.find((candidate) => candidate.line === index)!;
  return { variantId, movementId: row.movementId, level: level(row) };
}

/**
 * The single-line error, its line fields' paths moved under the line, each to the field the line has
 * (`quantity`, an adjustment's `delta`, `variantId`); location paths stay where they are.
 */
function onLine(err: AppError, index: number): AppError {
  const lineFields = ['body/quantity', 'body/delta', 'body/variantId'];
  const linePath = (path: string) =>
    lineFields.includes(path) ? `body/lines/${index}/${path.slice('body/'.length)}` : path;
  const errors = err.errors?.map((error) => ({ ...error, path: linePath(error.path) }));
  const lineScoped = errors?.some((error) => error.path.startsWith('body/lines/')) ?? false;
  return new AppError(
    err.code,
    err.status,
    err.title,
    lineScoped ? `Line ${index + 1}: ${err.detail ?? err.title}` : err.detail,
    errors,
    { ...(err.extra ?? {}), ...(lineScoped ? { line: index } : {}) },
  );
}
