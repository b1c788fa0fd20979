import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { createOrm } from '../../platform/db.ts';
import { StaffService } from '../identity/staff.service.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { InventoryService, MAX_ON_HAND } from './inventory.service.ts';
import { query } from './sql.ts';
import type { CommittedEvent } from '../../platform/outbox.ts';

// Concurrency below is real: every attempt is its own transaction on the pool's connections.
const { app } = await useTestApp();
const auth = await staffToken(app);
const fork = () => app.orm.em.fork() as EntityManager;
const catalog = commerceFixtures(app, auth);
const newVariants = (n: number) => catalog.unstockedVariants(n);
const newVariant = async () => (await newVariants(1))[0]!;

async function levelsOf(variantId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/admin/inventory/levels?variantId=${variantId}`,
    headers: { authorization: auth },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{
    data: { variantId: string; locationId: string; onHand: number; reserved: number; available: number }[];
    total: number;
  }>();
}

async function adjust(body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/api/admin/inventory/adjustments',
    headers: { authorization: auth },
    payload: body,
  });
}

/** Ledger sums per level must equal the level's columns: the invariant the whole module keeps. */
async function ledgerMismatches(): Promise<unknown[]> {
  return query(
    fork(),
    `SELECT s.variant_id, s.location_id, s.on_hand, s.reserved, m.on_hand AS ledger_on_hand, m.reserved AS ledger_reserved
       FROM stock_level s
       FULL JOIN (SELECT variant_id, location_id, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved
                    FROM stock_movement GROUP BY variant_id, location_id) m
         ON m.variant_id = s.variant_id AND m.location_id = s.location_id
      WHERE s.on_hand IS DISTINCT FROM m.on_hand OR s.reserved IS DISTINCT FROM m.reserved`,
  );
}

async function movementCount(variantId: string): Promise<number> {
  const rows = await query<{ n: string }>(
    fork(),
    `SELECT count(*) AS n FROM stock_movement WHERE variant_id = ?::uuid`,
    [variantId],
  );
  return Number(rows[0]!.n);
}

describe('stock adjustments and levels (admin API)', () => {
  it('adjusts the default location when no location is given and shows the level', async () => {
    const variantId = await newVariant();
    const response = await adjust({ variantId, delta: 12, reason: 'initial count' });
    expect(response.statusCode).toBe(201);
    const levels = await levelsOf(variantId);
    expect(levels.total).toBe(1);
    expect(levels.data[0]).toMatchObject({ variantId, onHand: 12, reserved: 0, available: 12 });
    expect((await adjust({ variantId, delta: -2, reason: 'damaged' })).statusCode).toBe(201);
    expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 10, available: 10 });

    const movements = await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/movements?variantId=${variantId}`,
      headers: { authorization: auth },
    });
    expect(
      movements
        .json()
        .data.map((m: { kind: string; onHandDelta: number; reason: string }) => [
          m.kind,
          m.onHandDelta,
          m.reason,
        ]),
    ).toEqual([
      ['adjusted', -2, 'damaged'],
      ['adjusted', 12, 'initial count'],
    ]);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refuses bad input with clear errors and leaves the ledger untouched', async () => {
    const variantId = await newVariant();
    await adjust({ variantId, delta: 5, reason: 'count' });
    const before = await movementCount(variantId);

    const fractional = await adjust({ variantId, delta: 1.5, reason: 'x' });
    expect(fractional.statusCode).toBe(400);
    expect(fractional.json().code).toBe('MCART_ERR_VALIDATION');
    const zero = await adjust({ variantId, delta: 0, reason: 'x' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].path).toBe('body/delta');
    const noReason = await adjust({ variantId, delta: 1, reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    const belowZero = await adjust({ variantId, delta: -6, reason: 'lost' });
    expect(belowZero.statusCode).toBe(409);
    expect(belowZero.json().code).toBe('MCART_ERR_STOCK_BELOW_ZERO');
    const unknownLocation = await adjust({ variantId, locationId: randomUUID(), delta: 1, reason: 'x' });
    expect(unknownLocation.statusCode).toBe(404);
    expect(unknownLocation.json().code).toBe('MCART_ERR_LOCATION_NOT_FOUND');
    const negativeReceipt = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/receipts',
      headers: { authorization: auth },
      payload: { variantId, quantity: -3 },
    });
    expect(negativeReceipt.statusCode).toBe(400);
    const levels = await levelsOf(variantId);
    const sameLocation = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/transfers',
      headers: { authorization: auth },
      payload: {
        variantId,
        fromLocationId: levels.data[0]!.locationId,
        toLocationId: levels.data[0]!.locationId,
        quantity: 1,
      },
    });
    expect(sameLocation.statusCode).toBe(400);
    expect(sameLocation.json().code).toBe('MCART_ERR_SAME_LOCATION');

    expect(await movementCount(variantId)).toBe(before);
    expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 5 });
  });

  it("lists a variant's movements newest first by number, across a change in the ids' digit count", async () => {
    const variantId = await newVariant();
    // Move the ledger's sequence just below the next power of ten, so the movements below cross it (9… → 10…).
    const em = fork();
    const [sequence] = await query<{ last: string }>(
      em,
      `SELECT last_value::text AS last FROM stock_movement_id_seq`,
    );
    const last = sequence!.last;
    const below = 10n ** BigInt(last.length) - 3n;
    if (below > BigInt(last))
      await query(em, `SELECT setval('stock_movement_id_seq', ?::bigint)`, [below.toString()]);
    for (let i = 0; i < 6; i++)
      expect((await adjust({ variantId, delta: 1, reason: `count ${i}` })).statusCode).toBe(201);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/movements?variantId=${variantId}&perPage=50`,
      headers: { authorization: auth },
    });
    expect(listed.statusCode).toBe(200);
    const ids = listed.json<{ data: { id: string; reason: string }[] }>().data.map((m) => BigInt(m.id));
    expect(ids).toHaveLength(6);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });

  it('receives and transfers stock between locations, with history', async () => {
    const variantId = await newVariant();
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/stock-locations',
      headers: { authorization: auth },
      payload: { code: 'east', name: 'East depot' },
    });
    expect(created.statusCode).toBe(201);
    const east = created.json<{ id: string }>().id;
    const receipt = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/receipts',
      headers: { authorization: auth },
      payload: { variantId, quantity: 20, reason: 'PO-7' },
    });
    expect(receipt.statusCode).toBe(201);
    const main = receipt.json<{ level: { locationId: string } }>().level.locationId;
    const transfer = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/transfers',
      headers: { authorization: auth },
      payload: { variantId, fromLocationId: main, toLocationId: east, quantity: 8 },
    });
    expect(transfer.statusCode).toBe(201);
    expect(transfer.json()).toMatchObject({ from: { onHand: 12 }, to: { onHand: 8, locationId: east } });
    const tooMuch = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/transfers',
      headers: { authorization: auth },
      payload: { variantId, fromLocationId: east, toLocationId: main, quantity: 9 },
    });
    expect(tooMuch.statusCode).toBe(409);
    const atEast = await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/levels?locationId=${east}`,
      headers: { authorization: auth },
    });
    expect(atEast.json().data).toEqual([expect.objectContaining({ variantId, onHand: 8 })]);
    // A location with history cannot be deleted (the ledger refers to it): deactivate instead.
    const remove = await app.inject({
      method: 'DELETE',
      url: `/api/admin/stock-locations/${east}`,
      headers: { authorization: auth },
    });
    expect(remove.statusCode).toBe(409);
    const deactivate = await app.inject({
      method: 'PATCH',
      url: `/api/admin/stock-locations/${east}`,
      headers: { authorization: auth },
      payload: { active: false },
    });
    expect(deactivate.json()).toMatchObject({ active: false, version: 2 });
    // An edit made from what another member saw before that change is refused, and changes nothing.
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/admin/stock-locations/${east}`,
      headers: { authorization: auth },
      payload: { name: 'East depot (old tab)', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'MCART_ERR_STALE_WRITE' });
    const current = await app.inject({
      method: 'PATCH',
      url: `/api/admin/stock-locations/${east}`,
      headers: { authorization: auth },
      payload: { name: 'East depot', version: 2 },
    });
    expect(current.json()).toMatchObject({ name: 'East depot', active: false, version: 3 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('checks permissions: 401 without a token, 403 for a role without inventory:write', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/admin/inventory/levels' })).statusCode).toBe(401);
    await new StaffService(fork()).create({
      email: 'support@mcart.test',
      password: 'support password 123',
      role: 'support',
    });
    const support = await staffToken(app, { email: 'support@mcart.test', password: 'support password 123' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/adjustments',
      headers: { authorization: support },
      payload: { variantId: randomUUID(), delta: 1, reason: 'x' },
    });
    expect(response.statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/admin/inventory/levels',
          headers: { authorization: support },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('reservations', () => {
  const reserve = (variants: { variantId: string; quantity: number }[], orderId = randomUUID()) =>
    fork()
      .transactional((em) =>
        new InventoryService(em).reserve(orderId, variants, new Date(Date.now() + 60_000)),
      )
      .then(
        () => ({ ok: true as const, orderId }),
        (err: { code?: string }) => ({ ok: false as const, code: err.code, orderId }),
      );

  it('never oversells: 50 units, 200 concurrent attempts on separate connections', async () => {
    const variantId = await newVariant();
    await adjust({ variantId, delta: 50, reason: 'count' });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => reserve([{ variantId, quantity: 1 }])),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect(results.filter((r) => !r.ok).every((r) => r.code === 'MCART_ERR_OUT_OF_STOCK')).toBe(true);
    expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 50, reserved: 50, available: 0 });

    // Half are paid (sold), half released: stock ends at 25 on hand, nothing reserved, ledger agrees.
    const won = results.filter((r) => r.ok);
    await Promise.all(
      won.map((r, i) =>
        fork().transactional((em) =>
          i % 2
            ? new InventoryService(em).commitReservations(r.orderId)
            : new InventoryService(em).releaseReservations(r.orderId),
        ),
      ),
    );
    // Settling twice changes nothing (idempotent): the figures below are after a second settlement.
    await fork().transactional((em) => new InventoryService(em).commitReservations(won[1]!.orderId));
    expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 25, reserved: 0, available: 25 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('overlapping multi-line baskets in any order never deadlock nor oversell', async () => {
    const [a, b, c] = (await newVariants(3)) as [string, string, string];
    for (const variantId of [a, b, c]) await adjust({ variantId, delta: 30, reason: 'count' });
    const baskets = Array.from({ length: 120 }, (_, i) => {
      const lines = [
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 1 },
        { variantId: c, quantity: 1 },
      ];
      return i % 2 ? lines.reverse() : i % 3 ? [lines[1]!, lines[2]!, lines[0]!] : lines;
    });
    const results = await Promise.all(baskets.map((lines) => reserve(lines)));
    const failures = results.filter((r) => !r.ok);
    expect(failures.every((r) => r.code === 'MCART_ERR_OUT_OF_STOCK')).toBe(true);
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    for (const variantId of [a, b, c])
      expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 30, reserved: 30, available: 0 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('a short line rolls back the whole basket and names what is short', async () => {
    const [plenty, scarce] = (await newVariants(2)) as [string, string];
    await adjust({ variantId: plenty, delta: 10, reason: 'count' });
    await adjust({ variantId: scarce, delta: 1, reason: 'count' });
    const error = await fork()
      .transactional((em) =>
        new InventoryService(em).reserve(
          randomUUID(),
          [
            { variantId: plenty, quantity: 2 },
            { variantId: scarce, quantity: 3 },
          ],
          new Date(),
        ),
      )
      .catch((err: { code: string; extra: unknown }) => err);
    expect(error).toMatchObject({
      code: 'MCART_ERR_OUT_OF_STOCK',
      extra: { variants: [{ variantId: scarce, requested: 3, available: 1 }] },
    });
    expect((await levelsOf(plenty)).data[0]).toMatchObject({ reserved: 0 });
  });

  /** Checkout's way: the whole basket in one statement; when contended, rolled back and redone line by line. */
  const contended = new Error('contended');
  const reserveAll = (variants: { variantId: string; quantity: number }[], orderId = randomUUID()) =>
    fork()
      .transactional(async (em) => {
        const outcome = await new InventoryService(em).reserveAll(
          orderId,
          variants,
          new Date(Date.now() + 60_000),
        );
        if (outcome === 'contended') throw contended;
      })
      .then(
        () => ({ ok: true as const, orderId, retried: false }),
        async (err: { code?: string }) => {
          if (err !== contended) return { ok: false as const, code: err.code, orderId, retried: false };
          const again = await reserve(variants, orderId);
          return { ...again, retried: true };
        },
      );

  it('reserves a whole basket in one statement: overlapping baskets never deadlock nor oversell', async () => {
    const [a, b, c] = (await newVariants(3)) as [string, string, string];
    for (const variantId of [a, b, c]) await adjust({ variantId, delta: 30, reason: 'count' });
    const baskets = Array.from({ length: 120 }, (_, i) => {
      const lines = [
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 1 },
        { variantId: c, quantity: 1 },
      ];
      return i % 2 ? lines.reverse() : i % 3 ? [lines[1]!, lines[2]!, lines[0]!] : lines;
    });
    const results = await Promise.all(baskets.map((lines) => reserveAll(lines)));
    expect(results.filter((r) => !r.ok).every((r) => r.code === 'MCART_ERR_OUT_OF_STOCK')).toBe(true);
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    for (const variantId of [a, b, c])
      expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 30, reserved: 30, available: 0 });
    expect(await ledgerMismatches()).toEqual([]);

    // One ledger row and one reservation per line of a successful basket, merged per variant.
    const { orderId } = await reserveAll([
      { variantId: c, quantity: 1 },
      { variantId: c, quantity: 1 },
    ]).then(async (r) => {
      expect(r).toMatchObject({ ok: false, code: 'MCART_ERR_OUT_OF_STOCK' });
      await adjust({ variantId: c, delta: 2, reason: 'count' });
      return reserveAll([
        { variantId: c, quantity: 1 },
        { variantId: c, quantity: 1 },
      ]);
    });
    const [reservation] = await query<{ n: string; quantity: number }>(
      fork(),
      `SELECT count(*) AS n, sum(quantity)::int AS quantity FROM stock_reservation WHERE order_id = ?::uuid`,
      [orderId],
    );
    expect(reservation).toMatchObject({ n: '1', quantity: 2 });
  });

  it('a whole-basket reservation names the short lines and keeps nothing', async () => {
    const [plenty, scarce] = (await newVariants(2)) as [string, string];
    await adjust({ variantId: plenty, delta: 10, reason: 'count' });
    await adjust({ variantId: scarce, delta: 1, reason: 'count' });
    const result = await reserveAll([
      { variantId: plenty, quantity: 2 },
      { variantId: scarce, quantity: 3 },
    ]);
    expect(result).toMatchObject({ ok: false, code: 'MCART_ERR_OUT_OF_STOCK', retried: false });
    const error = await fork()
      .transactional((em) =>
        new InventoryService(em).reserveAll(
          randomUUID(),
          [
            { variantId: scarce, quantity: 3 },
            { variantId: plenty, quantity: 2 },
          ],
          new Date(),
        ),
      )
      .catch((err: { code: string; extra: unknown }) => err);
    expect(error).toMatchObject({
      code: 'MCART_ERR_OUT_OF_STOCK',
      extra: { variants: [{ variantId: scarce, requested: 3, available: 1 }] },
    });
    expect((await levelsOf(plenty)).data[0]).toMatchObject({ reserved: 0 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('backorders only when the variant allows it; low stock raises an alert event', async () => {
    const variantId = await newVariant();
    await adjust({ variantId, delta: 5, reason: 'count' });
    expect((await reserve([{ variantId, quantity: 6 }])).ok).toBe(false);

    const events: CommittedEvent[] = [];
    app.outbox.onCommitted((batch) => events.push(...batch));
    const policy = await app.inject({
      method: 'PUT',
      url: `/api/admin/inventory/policies/${variantId}`,
      headers: { authorization: auth },
      payload: { allowBackorder: false, lowStockThreshold: 3 },
    });
    expect(policy.statusCode).toBe(200);
    expect((await reserve([{ variantId, quantity: 2 }])).ok).toBe(true); // 5 -> 3 available: crosses the threshold
    // Listeners hear of committed events shortly after the commit (the outbox's promise, not the instant).
    await app.outbox.drain();
    await expect
      .poll(() =>
        events.some(
          (event) =>
            event.resource === 'inventory' &&
            event.ids.length === 1 &&
            event.ids[0] === variantId &&
            event.payload?.event === 'low_stock' &&
            event.payload.available === 3 &&
            event.payload.threshold === 3,
        ),
      )
      .toBe(true);
    const low = await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/low-stock?variantId=${variantId}`,
      headers: { authorization: auth },
    });
    expect(low.json().total).toBe(1);
    // Low but not out: the low-stock list's outOfStock filter leaves it out (it was ignored).
    const lowAndEmpty = () =>
      app.inject({
        method: 'GET',
        url: `/api/admin/inventory/low-stock?variantId=${variantId}&outOfStock=true`,
        headers: { authorization: auth },
      });
    expect((await lowAndEmpty()).json().total).toBe(0);

    await app.inject({
      method: 'PUT',
      url: `/api/admin/inventory/policies/${variantId}`,
      headers: { authorization: auth },
      payload: { allowBackorder: true, lowStockThreshold: 3 },
    });
    expect((await reserve([{ variantId, quantity: 10 }])).ok).toBe(true);
    expect((await levelsOf(variantId)).data[0]).toMatchObject({ onHand: 5, reserved: 12, available: -7 });
    expect((await lowAndEmpty()).json().total).toBe(1);
    // Denying backorders while oversold would break the invariant: refused.
    const deny = await app.inject({
      method: 'PUT',
      url: `/api/admin/inventory/policies/${variantId}`,
      headers: { authorization: auth },
      payload: { allowBackorder: false, lowStockThreshold: null },
    });
    expect(deny.statusCode).toBe(409);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('locations, policies and limits', () => {
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: auth },
      ...(payload ? { payload: payload as object } : {}),
    });
  const newLocation = async (active = true) => {
    const response = await admin('POST', '/api/admin/stock-locations', {
      code: `loc-${randomUUID().slice(0, 8)}`,
      name: 'Test depot',
      active,
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; version: number }>();
  };
  const deactivate = async (id: string) =>
    expect(
      (await admin('PATCH', `/api/admin/stock-locations/${id}`, { active: false })).json(),
    ).toMatchObject({
      active: false,
    });

  /**
   * Runs `work` in a transaction that stays open, its row locks held, until `commit` is called: the other
   * side of a race is then sent and seen waiting for those locks before the first side commits.
   */
  async function heldOpen(work: (svc: InventoryService) => Promise<unknown>) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let done!: () => void;
    const worked = new Promise<void>((resolve) => (done = resolve));
    const committed = fork().transactional(async (em) => {
      await work(new InventoryService(em));
      done();
      await released;
    });
    await Promise.race([worked, committed]);
    return {
      commit: async () => {
        release();
        await committed;
      },
    };
  }
  /** Waits until `n` statements of this test's database wait for a lock. */
  const waitingForLocks = (n: number) =>
    expect
      .poll(
        async () =>
          (
            await query<{ n: number }>(
              fork(),
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            )
          )[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(n);

  it('a location deleted while a receipt there is being written waits for it, then answers 409 (in use)', async () => {
    const variantId = await newVariant();
    const location = await newLocation();
    const receipt = await heldOpen((svc) =>
      svc.receive({ variantId, locationId: location.id, quantity: 3 }, { staffId: null }),
    );
    // inject() sends only once awaited: Promise.resolve starts it now.
    const removing = Promise.resolve(admin('DELETE', `/api/admin/stock-locations/${location.id}`));
    try {
      await waitingForLocks(1);
    } finally {
      await receipt.commit();
    }
    const removed = await removing;
    // Not a 500 from the stock_level foreign key: the delete saw the receipt's stock once it committed.
    expect(removed.statusCode, removed.body).toBe(409);
    expect(removed.json()).toMatchObject({ code: 'MCART_ERR_LOCATION_IN_USE' });
    expect((await admin('GET', `/api/admin/stock-locations/${location.id}`)).statusCode).toBe(200);
    expect((await levelsOf(variantId)).data).toEqual([
      expect.objectContaining({ locationId: location.id, onHand: 3 }),
    ]);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('receipts and transfers into a location being deleted wait for the delete, then answer 404 and write nothing', async () => {
    const variantId = await newVariant();
    expect((await adjust({ variantId, delta: 5, reason: 'count' })).statusCode).toBe(201);
    const main = (await levelsOf(variantId)).data[0]!.locationId;
    const before = await movementCount(variantId);
    const location = await newLocation();
    const deletion = await heldOpen((svc) => svc.deleteLocation(location.id));
    const receiving = Promise.resolve(
      admin('POST', '/api/admin/inventory/receipts', { variantId, locationId: location.id, quantity: 1 }),
    );
    const moving = Promise.resolve(
      admin('POST', '/api/admin/inventory/transfers/batch', {
        fromLocationId: main,
        toLocationId: location.id,
        lines: [{ variantId, quantity: 2 }],
      }),
    );
    try {
      await waitingForLocks(2);
    } finally {
      await deletion.commit();
    }
    const [received, moved] = await Promise.all([receiving, moving]);
    expect(received.statusCode, received.body).toBe(404);
    expect(received.json()).toMatchObject({
      code: 'MCART_ERR_LOCATION_NOT_FOUND',
      errors: [{ path: 'body/locationId', message: 'unknown location' }],
    });
    expect(moved.statusCode, moved.body).toBe(404);
    expect(moved.json()).toMatchObject({
      code: 'MCART_ERR_LOCATION_NOT_FOUND',
      errors: [{ path: 'body/toLocationId', message: 'unknown location' }],
    });
    expect((await admin('GET', `/api/admin/stock-locations/${location.id}`)).statusCode).toBe(404);
    expect(await movementCount(variantId)).toBe(before);
    expect((await levelsOf(variantId)).data).toEqual([
      expect.objectContaining({ locationId: main, onHand: 5 }),
    ]);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refuses a blank location name or adjustment reason on its field, on create and rename alike', async () => {
    const created = await admin('POST', '/api/admin/stock-locations', {
      code: `blank-${randomUUID().slice(0, 8)}`,
      name: '   ',
    });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/name', message: 'must not be blank' }],
    });
    const location = await newLocation();
    const renamed = await admin('PATCH', `/api/admin/stock-locations/${location.id}`, { name: ' \t ' });
    expect(renamed.statusCode, renamed.body).toBe(400);
    expect(renamed.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/name', message: 'must not be blank' }],
    });
    // One line: a line break would print a line of its own on labels and pick lists.
    const broken = await admin('PATCH', `/api/admin/stock-locations/${location.id}`, {
      name: 'North\nDepot',
    });
    expect(broken.statusCode, broken.body).toBe(400);
    expect(broken.json().errors).toEqual([
      { path: 'body/name', message: 'must not hold line breaks, tabs or other control characters' },
    ]);
    // Nothing changed; a name with spaces around it is kept, trimmed.
    expect((await admin('GET', `/api/admin/stock-locations/${location.id}`)).json()).toMatchObject({
      name: 'Test depot',
      version: 1,
    });
    const spaced = await admin('PATCH', `/api/admin/stock-locations/${location.id}`, { name: '  North  ' });
    expect(spaced.json()).toMatchObject({ name: 'North', version: 2 });

    const variantId = await newVariant();
    const single = await adjust({ variantId, delta: 1, reason: '  ' });
    const batch = await admin('POST', '/api/admin/inventory/adjustments/batch', {
      reason: '  ',
      lines: [{ variantId, delta: 1 }],
    });
    for (const refused of [single, batch]) {
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/reason', message: 'must not be blank' }],
      });
    }
    expect(await movementCount(variantId)).toBe(0);
  });

  it('refuses a reason with line breaks or control characters on its field, in every stock write, writing nothing', async () => {
    const variantId = await newVariant();
    expect((await adjust({ variantId, delta: 5, reason: 'count' })).statusCode).toBe(201);
    const main = (await levelsOf(variantId)).data[0]!.locationId;
    const other = await newLocation();
    const before = await movementCount(variantId);
    const forged = 'PO-7\n2026-12-01 adjusted -5 by owner: theft';
    const attempts = [
      admin('POST', '/api/admin/inventory/adjustments', { variantId, delta: 1, reason: forged }),
      admin('POST', '/api/admin/inventory/receipts', { variantId, quantity: 1, reason: 'PO-7\u001b[2K' }),
      admin('POST', '/api/admin/inventory/transfers', {
        variantId,
        fromLocationId: main,
        toLocationId: other.id,
        quantity: 1,
        reason: 'move\rback',
      }),
      admin('POST', '/api/admin/inventory/receipts/batch', {
        reason: forged,
        lines: [{ variantId, quantity: 1 }],
      }),
      admin('POST', '/api/admin/inventory/adjustments/batch', {
        reason: 'count\u2028recount',
        lines: [{ variantId, delta: 1 }],
      }),
      admin('POST', '/api/admin/inventory/transfers/batch', {
        fromLocationId: main,
        toLocationId: other.id,
        reason: 'tab\there',
        lines: [{ variantId, quantity: 1 }],
      }),
    ];
    for (const refused of await Promise.all(attempts)) {
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [
          { path: 'body/reason', message: 'must not hold line breaks, tabs or other control characters' },
        ],
      });
    }
    expect(await movementCount(variantId)).toBe(before);
    // A one-line reason is taken as before, trimmed; an optional one may be left blank.
    expect(
      (
        await admin('POST', '/api/admin/inventory/receipts', { variantId, quantity: 1, reason: '  PO-7  ' })
      ).json(),
    ).toMatchObject({ level: { onHand: 6 } });
    expect(
      (await admin('POST', '/api/admin/inventory/receipts', { variantId, quantity: 1, reason: '  ' }))
        .statusCode,
    ).toBe(201);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refuses a variant the catalog does not know, on its field, in every stock write, writing nothing', async () => {
    const known = await newVariant();
    expect((await adjust({ variantId: known, delta: 5, reason: 'count' })).statusCode).toBe(201);
    const main = (await levelsOf(known)).data[0]!.locationId;
    const other = await newLocation();
    const unknown = randomUUID();
    const refusedOn = async (response: Awaited<ReturnType<typeof admin>>, path: string) => {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VARIANT_NOT_FOUND',
        errors: [{ path, message: 'unknown variant' }],
      });
    };
    await refusedOn(
      await admin('POST', '/api/admin/inventory/adjustments', {
        variantId: unknown,
        delta: 3,
        reason: 'count',
      }),
      'body/variantId',
    );
    await refusedOn(
      await admin('POST', '/api/admin/inventory/receipts', { variantId: unknown, quantity: 3 }),
      'body/variantId',
    );
    await refusedOn(
      await admin('POST', '/api/admin/inventory/transfers', {
        variantId: unknown,
        fromLocationId: main,
        toLocationId: other.id,
        quantity: 1,
      }),
      'body/variantId',
    );
    await refusedOn(
      await admin('POST', '/api/admin/inventory/receipts/batch', {
        lines: [
          { variantId: known, quantity: 1 },
          { variantId: unknown, quantity: 1 },
        ],
      }),
      'body/lines/1/variantId',
    );
    await refusedOn(
      await admin('PUT', `/api/admin/inventory/policies/${unknown}`, {
        allowBackorder: true,
        lowStockThreshold: 2,
      }),
      'params/variantId',
    );
    // Nothing booked against nothing, and the batch's known line rolled back with it.
    expect((await levelsOf(unknown)).total).toBe(0);
    expect(await movementCount(unknown)).toBe(0);
    expect((await levelsOf(known)).data[0]).toMatchObject({ onHand: 5 });
    // Nor is a policy read for it: 404, not the defaults of a variant that is not there.
    await refusedOn(await admin('GET', `/api/admin/inventory/policies/${unknown}`), 'params/variantId');
    // A deleted variant is still the catalog's: what is left of it on the shelf can be written off.
    await query(fork(), `UPDATE variant SET deleted_at = now() WHERE id = ?::uuid`, [known]);
    expect((await adjust({ variantId: known, delta: -5, reason: 'discontinued' })).statusCode).toBe(201);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('compares location ids case-insensitively: the same location in upper case is refused, another one moves', async () => {
    const variantId = await newVariant();
    const location = await newLocation();
    expect((await adjust({ variantId, locationId: location.id, delta: 5, reason: 'count' })).statusCode).toBe(
      201,
    );
    const before = await movementCount(variantId);
    const same = await admin('POST', '/api/admin/inventory/transfers', {
      variantId,
      fromLocationId: location.id,
      toLocationId: location.id.toUpperCase(),
      quantity: 2,
    });
    expect(same.statusCode, same.body).toBe(400);
    expect(same.json()).toMatchObject({
      code: 'MCART_ERR_SAME_LOCATION',
      errors: [{ path: 'body/toLocationId' }],
    });
    expect(await movementCount(variantId)).toBe(before);
    expect((await levelsOf(variantId)).data).toEqual([
      expect.objectContaining({ locationId: location.id, onHand: 5 }),
    ]);
    // Ids in upper case are the same ids: a real transfer so spelt lands on the levels as stored.
    const other = await newLocation();
    const moved = await admin('POST', '/api/admin/inventory/transfers', {
      variantId: variantId.toUpperCase(),
      fromLocationId: location.id.toUpperCase(),
      toLocationId: other.id.toUpperCase(),
      quantity: 2,
    });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({
      from: { variantId, locationId: location.id, onHand: 3 },
      to: { variantId, locationId: other.id, onHand: 2 },
    });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('clears a low-stock threshold with null, and keeps 0 as 0', async () => {
    const variantId = await newVariant();
    const put = (lowStockThreshold: number | null) =>
      admin('PUT', `/api/admin/inventory/policies/${variantId}`, {
        allowBackorder: false,
        lowStockThreshold,
      });
    expect((await put(3)).json()).toMatchObject({ lowStockThreshold: 3 });
    const cleared = await put(null);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ lowStockThreshold: null });
    expect((await admin('GET', `/api/admin/inventory/policies/${variantId}`)).json()).toMatchObject({
      lowStockThreshold: null,
    });
    // A variant at 0 with no threshold is not low stock.
    await adjust({ variantId, delta: 1, reason: 'count' });
    await adjust({ variantId, delta: -1, reason: 'count' });
    expect((await admin('GET', `/api/admin/inventory/low-stock?variantId=${variantId}`)).json().total).toBe(
      0,
    );
    expect((await put(0)).json()).toMatchObject({ lowStockThreshold: 0 });
    expect((await put(-1)).statusCode).toBe(400);
  });

  it('an inactive location takes no stock: receipts, adjustments and batches are refused like transfers', async () => {
    const variantId = await newVariant();
    const location = await newLocation();
    expect((await adjust({ variantId, locationId: location.id, delta: 4, reason: 'count' })).statusCode).toBe(
      201,
    );
    await deactivate(location.id);
    const before = await movementCount(variantId);
    const refusals = [
      await admin('POST', '/api/admin/inventory/receipts', {
        variantId,
        locationId: location.id,
        quantity: 5,
      }),
      await adjust({ variantId, locationId: location.id, delta: 5, reason: 'count' }),
      await admin('POST', '/api/admin/inventory/receipts/batch', {
        locationId: location.id,
        lines: [{ variantId, quantity: 5 }],
      }),
      await admin('POST', '/api/admin/inventory/adjustments/batch', {
        locationId: location.id,
        reason: 'count',
        lines: [{ variantId, delta: 5 }],
      }),
    ];
    for (const [i, refused] of refusals.entries()) {
      expect(refused.statusCode, `request ${i}: ${refused.body}`).toBe(404);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_LOCATION_NOT_FOUND',
        errors: [{ path: 'body/locationId', message: 'inactive location' }],
      });
    }
    expect(await movementCount(variantId)).toBe(before);
    // What is still there can be written off (or moved out), so a closed location can be emptied.
    const writeOff = await adjust({ variantId, locationId: location.id, delta: -4, reason: 'damaged' });
    expect(writeOff.statusCode).toBe(201);
    expect(writeOff.json()).toMatchObject({ level: { onHand: 0 } });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it("the store counts only active locations' stock, as checkout does", async () => {
    const fx = commerceFixtures(app, auth);
    const product = await fx.product([1500], null);
    const variantId = product.variants[0]!.id;
    const location = await newLocation();
    const received = await admin('POST', '/api/admin/inventory/receipts', {
      variantId,
      locationId: location.id,
      quantity: 5,
    });
    expect(received.statusCode).toBe(201);
    const inStock = async () => {
      await app.outbox.drain();
      await app.outbox.drain(); // and what the stock consumer wrote in turn
      const response = await app.inject({ method: 'GET', url: `/api/store/products/${product.id}` });
      return response.json<{ inStock: boolean }>().inStock;
    };
    await expect.poll(inStock).toBe(true);
    await deactivate(location.id);
    await expect.poll(inStock).toBe(false);
    const cart = await fx.cart();
    const add = await fx.add(cart, variantId, 1);
    expect(add.statusCode).toBe(409);
  });

  it('refuses an inactive default location with a field error instead of a 500', async () => {
    const inactive = await newLocation(false);
    const makeDefault = await admin('PATCH', `/api/admin/stock-locations/${inactive.id}`, {
      isDefault: true,
    });
    expect(makeDefault.statusCode).toBe(400);
    expect(makeDefault.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/isDefault', message: expect.any(String) }],
    });
    const active = await newLocation();
    const both = await admin('PATCH', `/api/admin/stock-locations/${active.id}`, {
      active: false,
      isDefault: true,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION', errors: [{ path: 'body/active' }] });
    // Nothing changed: the default stays where it was, both locations as they were.
    const defaults = (await admin('GET', '/api/admin/stock-locations')).json<{
      data: { id: string; isDefault: boolean; active: boolean; version: number }[];
    }>().data;
    expect(defaults.filter((l) => l.isDefault)).toHaveLength(1);
    expect(defaults.find((l) => l.id === inactive.id)).toMatchObject({
      isDefault: false,
      active: false,
      version: 1,
    });
    expect(defaults.find((l) => l.id === active.id)).toMatchObject({
      isDefault: false,
      active: true,
      version: 1,
    });
  });

  it('refuses a code another location has on the code field, on create and rename; the default is not deletable', async () => {
    const taken = `loc-${randomUUID().slice(0, 8)}`;
    expect(
      (await admin('POST', '/api/admin/stock-locations', { code: taken, name: 'First' })).statusCode,
    ).toBe(201);
    const other = await newLocation();
    const again = await admin('POST', '/api/admin/stock-locations', { code: taken, name: 'Second' });
    const renamed = await admin('PATCH', `/api/admin/stock-locations/${other.id}`, {
      code: taken,
      name: 'Renamed',
    });
    for (const refused of [again, renamed]) {
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_LOCATION_CODE_TAKEN',
        errors: [{ path: 'body/code', message: expect.any(String) }],
      });
    }
    expect((await admin('GET', `/api/admin/stock-locations/${other.id}`)).json()).toMatchObject({
      name: 'Test depot',
      version: other.version,
    });
    const defaultId = await new InventoryService(fork()).defaultLocationId();
    const deleted = await admin('DELETE', `/api/admin/stock-locations/${defaultId}`);
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().detail).toMatch(/default/);
  });

  it('a code another location has in another case is taken: refused on the code field, on create and rename', async () => {
    const code = `Case-${randomUUID().slice(0, 8)}`;
    const first = await admin('POST', '/api/admin/stock-locations', { code, name: 'Main' });
    expect(first.statusCode).toBe(201);
    const other = await newLocation();
    const created = await admin('POST', '/api/admin/stock-locations', {
      code: code.toLowerCase(),
      name: 'Lower',
    });
    const renamed = await admin('PATCH', `/api/admin/stock-locations/${other.id}`, {
      code: code.toUpperCase(),
    });
    for (const refused of [created, renamed]) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_LOCATION_CODE_TAKEN',
        errors: [{ path: 'body/code', message: expect.any(String) }],
      });
    }
    // The location itself may change the case of its own code.
    const recased = await admin('PATCH', `/api/admin/stock-locations/${first.json().id}`, {
      code: code.toUpperCase(),
    });
    expect([recased.statusCode, recased.json().code]).toEqual([200, code.toUpperCase()]);
  });

  it('two locations made the default at once: both succeed, one after the other, and one default remains', async () => {
    const original = await new InventoryService(fork()).defaultLocationId();
    const [first, second] = [await newLocation(), await newLocation()];
    // The first switch has unset the old default and set its own flag, and has not committed yet.
    const held = await heldOpen((svc) => svc.updateLocation(first.id, { isDefault: true }));
    const racing = admin('PATCH', `/api/admin/stock-locations/${second.id}`, {
      isDefault: true,
      version: second.version,
    });
    await waitingForLocks(1);
    await held.commit();
    const answer = await racing;
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ id: second.id, isDefault: true });
    const locations = (await admin('GET', '/api/admin/stock-locations')).json<{
      data: { id: string; isDefault: boolean }[];
    }>().data;
    expect(locations.filter((l) => l.isDefault).map((l) => l.id)).toEqual([second.id]);
    expect(
      (await admin('PATCH', `/api/admin/stock-locations/${original}`, { isDefault: true })).statusCode,
    ).toBe(200);
  });

  it('refuses a receipt past the largest on-hand a level can hold, writing nothing', async () => {
    const variantId = await newVariant();
    const em = fork();
    const locationId = await new InventoryService(em).defaultLocationId();
    // Near the maximum, ledger included (no route gets there in a test's time: a receipt is at most 1,000,000).
    const start = MAX_ON_HAND - 10;
    await query(
      em,
      `WITH lvl AS (INSERT INTO stock_level (variant_id, location_id, on_hand) VALUES (?::uuid, ?::uuid, ?::int) RETURNING variant_id)
       INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason) SELECT variant_id, ?::uuid, 'received', ?::int, 'test' FROM lvl`,
      [variantId, locationId, start, locationId, start],
    );
    const receipt = await admin('POST', '/api/admin/inventory/receipts', { variantId, quantity: 11 });
    expect(receipt.statusCode).toBe(409);
    expect(receipt.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_LIMIT',
      errors: [{ path: 'body/quantity', message: expect.any(String) }],
    });
    const batch = await admin('POST', '/api/admin/inventory/receipts/batch', {
      lines: [
        { variantId: await newVariant(), quantity: 1 },
        { variantId, quantity: 11 },
      ],
    });
    expect(batch.statusCode).toBe(409);
    expect(batch.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_LIMIT',
      errors: [{ path: 'body/lines/1/quantity' }],
    });
    const adjusted = await adjust({ variantId, delta: 11, reason: 'count' });
    expect(adjusted.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_LIMIT',
      errors: [{ path: 'body/delta' }],
    });
    expect((await levelsOf(variantId)).data).toEqual([expect.objectContaining({ onHand: start })]);
    expect(await movementCount(variantId)).toBe(1);
    expect(
      (await admin('POST', '/api/admin/inventory/receipts', { variantId, quantity: 10 })).statusCode,
    ).toBe(201);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('a backorder takes a location that has the stock before going below zero at the default one', async () => {
    const variantId = await newVariant();
    const location = await newLocation();
    const policy = await admin('PUT', `/api/admin/inventory/policies/${variantId}`, {
      allowBackorder: true,
      lowStockThreshold: null,
    });
    expect(policy.statusCode).toBe(200);
    await adjust({ variantId, locationId: location.id, delta: 5, reason: 'count' });
    const expires = new Date(Date.now() + 60_000);
    await fork().transactional((em) =>
      new InventoryService(em).reserve(randomUUID(), [{ variantId, quantity: 3 }], expires),
    );
    expect(
      await fork().transactional((em) =>
        new InventoryService(em).reserveAll(randomUUID(), [{ variantId, quantity: 2 }], expires),
      ),
    ).toBe('reserved');
    const levels = (await levelsOf(variantId)).data;
    expect(levels.find((l) => l.locationId === location.id)).toMatchObject({
      onHand: 5,
      reserved: 5,
      available: 0,
    });
    expect(levels.find((l) => l.locationId !== location.id)).toMatchObject({ onHand: 0, reserved: 0 });
    // Only once no location has enough does the default location go below zero.
    await fork().transactional((em) =>
      new InventoryService(em).reserve(randomUUID(), [{ variantId, quantity: 1 }], expires),
    );
    expect((await levelsOf(variantId)).data.find((l) => l.locationId !== location.id)).toMatchObject({
      reserved: 1,
      available: -1,
    });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('backorders denied while a receipt opens a new location: that location does not oversell either', async () => {
    const variantId = await newVariant();
    const put = (allowBackorder: boolean) =>
      admin('PUT', `/api/admin/inventory/policies/${variantId}`, { allowBackorder, lowStockThreshold: null });
    expect((await put(true)).statusCode).toBe(200);
    expect((await adjust({ variantId, delta: 2, reason: 'count' })).statusCode).toBe(201);
    const location = await newLocation();
    // Backorders are denied in a transaction still open when the first receipt at the new location is sent.
    const denying = await heldOpen((svc) =>
      svc.setPolicy(variantId, { allowBackorder: false, lowStockThreshold: null }),
    );
    const receiving = Promise.resolve(
      admin('POST', '/api/admin/inventory/receipts', { variantId, locationId: location.id, quantity: 1 }),
    );
    let answered = false;
    void receiving.then(() => (answered = true));
    try {
      // Either the receipt waits for the policy (as it should), or it went through with the old flag.
      await expect
        .poll(
          async () =>
            answered ||
            (
              await query<{ n: number }>(
                fork(),
                `SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
              )
            )[0]!.n === 1,
          { timeout: 10_000 },
        )
        .toBe(true);
    } finally {
      await denying.commit();
    }
    expect((await receiving).statusCode).toBe(201);
    expect((await levelsOf(variantId)).data.find((l) => l.locationId === location.id)).toMatchObject({
      onHand: 1,
      allowBackorder: false,
    });
    // Two units at the default location, one there, no backorders: five cannot be reserved anywhere.
    const reserving = fork()
      .transactional((em) =>
        new InventoryService(em).reserveAll(
          randomUUID(),
          [{ variantId, quantity: 5 }],
          new Date(Date.now() + 60_000),
        ),
      )
      .catch((err: { code?: string }) => err.code);
    expect(await reserving).toBe('MCART_ERR_OUT_OF_STOCK');
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('goods coming back (restock)', () => {
  const fx = commerceFixtures(app, auth);
  const address = {
    name: 'Rhea Stock',
    line1: '3 Shelf Row',
    city: 'Binsworth',
    region: 'NY',
    postalCode: '10001',
    country: 'US',
  };
  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
  const newLocation = async () => {
    const created = await admin('POST', '/api/admin/stock-locations', {
      code: `side-${randomUUID().slice(0, 8)}`,
      name: 'Side depot',
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<{ id: string; code: string }>();
  };
  const deactivate = async (id: string) =>
    expect(
      (await admin('PATCH', `/api/admin/stock-locations/${id}`, { active: false })).json(),
    ).toMatchObject({
      active: false,
    });

  /**
   * A paid order of `quantity` units of each variant, each variant's stock only at the given location (so
   * the sale is reserved and sold from there). The stock there is sold out afterwards.
   */
  async function paidOrder(
    customer: { auth: string },
    sales: { variantId: string; locationId: string; quantity: number }[],
  ) {
    const cartId = await fx.cart(customer.auth);
    for (const { variantId, locationId, quantity } of sales) {
      expect(
        (await admin('POST', '/api/admin/inventory/receipts', { variantId, locationId, quantity }))
          .statusCode,
      ).toBe(201);
      expect((await fx.add(cartId, variantId, quantity, customer.auth)).statusCode).toBe(200);
    }
    const placed = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { authorization: customer.auth, 'idempotency-key': randomUUID() },
      payload: {
        email: 'rhea@example.com',
        shippingAddress: address,
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json<{ order: { id: string } }>().order.id;
    for (const { variantId, locationId } of sales)
      expect((await levelsOf(variantId)).data.find((l) => l.locationId === locationId)).toMatchObject({
        onHand: 0,
        reserved: 0,
      });
    return orderId;
  }

  const returnedMovements = async (orderId: string) =>
    (await admin('GET', `/api/admin/inventory/movements?orderId=${orderId}&kind=returned`)).json<{
      data: { variantId: string; locationId: string; onHandDelta: number; reason: string }[];
    }>().data;

  it('a return received after its location was deactivated is restocked at the default location, and the ledger says why', async () => {
    const customer = await fx.customer();
    const variantId = (await fx.product([2_000], null)).variants[0]!.id;
    const side = await newLocation();
    const main = await new InventoryService(fork()).defaultLocationId();
    const orderId = await paidOrder(customer, [{ variantId, locationId: side.id, quantity: 2 }]);
    for (const status of ['shipped', 'delivered'])
      expect((await admin('POST', `/api/admin/orders/${orderId}/transition`, { status })).statusCode).toBe(
        200,
      );
    // The side warehouse closes (sold out): an inactive location takes no stock.
    await deactivate(side.id);

    const order = (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ lines: { id: string }[] }>();
    const asked = await app.inject({
      method: 'POST',
      url: `/api/store/orders/${orderId}/return-requests`,
      headers: { authorization: customer.auth },
      payload: { lines: [{ orderLineId: order.lines[0]!.id, quantity: 2 }], reason: 'damaged' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const requestId = asked.json<{ id: string }>().id;
    expect((await admin('POST', `/api/admin/return-requests/${requestId}/approve`, {})).statusCode).toBe(200);
    const received = await admin('POST', `/api/admin/return-requests/${requestId}/receive`, {
      restock: true,
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', restocked: true });

    // The units are where they can be sold again: the default location, nothing at the closed one.
    const levels = (await levelsOf(variantId)).data;
    expect(levels.find((l) => l.locationId === side.id)).toMatchObject({ onHand: 0 });
    expect(levels.find((l) => l.locationId === main)).toMatchObject({ onHand: 2, available: 2 });
    expect(await returnedMovements(orderId)).toEqual([
      expect.objectContaining({
        variantId,
        locationId: main,
        onHandDelta: 2,
        reason: expect.stringContaining(`sold from inactive location ${side.code}, restocked here`),
      }),
    ]);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('a paid order cancelled after its location was deactivated restocks there no more; active locations still get theirs back', async () => {
    const customer = await fx.customer();
    const product = await fx.product([1_500, 2_500], null);
    const [closing, staying] = [product.variants[0]!.id, product.variants[1]!.id];
    const [closed, open] = [await newLocation(), await newLocation()];
    const main = await new InventoryService(fork()).defaultLocationId();
    const orderId = await paidOrder(customer, [
      { variantId: closing, locationId: closed.id, quantity: 2 },
      { variantId: staying, locationId: open.id, quantity: 1 },
    ]);
    await deactivate(closed.id);

    const cancelled = await admin('POST', `/api/admin/orders/${orderId}/cancel`, { reason: 'changed mind' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });

    const closingLevels = (await levelsOf(closing)).data;
    expect(closingLevels.find((l) => l.locationId === closed.id)).toMatchObject({ onHand: 0 });
    expect(closingLevels.find((l) => l.locationId === main)).toMatchObject({ onHand: 2 });
    // Sold from a location still active: back where it came from, as before.
    expect((await levelsOf(staying)).data).toEqual([
      expect.objectContaining({ locationId: open.id, onHand: 1, available: 1 }),
    ]);
    const movements = await returnedMovements(orderId);
    expect(movements).toHaveLength(2);
    expect(movements.find((m) => m.variantId === closing)).toMatchObject({
      locationId: main,
      onHandDelta: 2,
      reason: `order cancelled (sold from inactive location ${closed.code}, restocked here)`,
    });
    expect(movements.find((m) => m.variantId === staying)).toMatchObject({
      locationId: open.id,
      onHandDelta: 1,
      reason: 'order cancelled',
    });
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('the location code migration on a database that already holds codes differing only in case', () => {
  it('migrates without failing, keeps every code, and checks every new or changed code', async () => {
    const database = await createTestDatabase();
    const orm = await createOrm({ url: database.url, poolMax: 2, entities: [] });
    const em = () => orm.em.fork() as EntityManager;
    const sql = <T>(text: string, params: unknown[] = []) => query<T>(em(), text, params);
    try {
      await orm.getMigrator().down({ migrations: ['Migration20270107000000LocationCodeCaseInsensitive'] });
      await sql(
        `INSERT INTO stock_location (code, name, created_at) VALUES
           ('EAST', 'East', now() - interval '3 days'), ('east', 'East too', now() - interval '2 days'),
           ('East', 'East three', now() - interval '1 day'), ('WEST', 'West', now())`,
      );
      await orm.getMigrator().up();
      expect(
        await sql(
          `SELECT code, code_case_exempt AS exempt FROM stock_location WHERE lower(code) IN ('east', 'west') ORDER BY created_at`,
        ),
      ).toEqual([
        { code: 'EAST', exempt: null },
        { code: 'east', exempt: 'east' },
        { code: 'East', exempt: 'East' },
        { code: 'WEST', exempt: null },
      ]);
      const svc = new InventoryService(em());
      const taken = (work: Promise<unknown>) =>
        work.then(
          () => 'written',
          (err: { code?: string }) => err.code,
        );
      expect(await taken(svc.createLocation({ code: 'eAsT', name: 'New' }))).toBe(
        'MCART_ERR_LOCATION_CODE_TAKEN',
      );
      expect(await taken(svc.createLocation({ code: 'west', name: 'New' }))).toBe(
        'MCART_ERR_LOCATION_CODE_TAKEN',
      );
      // A kept location still changes; once its code changes it is held like any other.
      const [lower] = await sql<{ id: string }>(`SELECT id FROM stock_location WHERE code = 'east'`);
      expect(await taken(svc.updateLocation(lower!.id, { name: 'Still east' }))).toBe('written');
      expect(await taken(svc.updateLocation(lower!.id, { code: 'east-2' }))).toBe('written');
      expect(await taken(svc.updateLocation(lower!.id, { code: 'east' }))).toBe(
        'MCART_ERR_LOCATION_CODE_TAKEN',
      );
      // And down again: the exact-case constraint comes back.
      await orm.getMigrator().down({ migrations: ['Migration20270107000000LocationCodeCaseInsensitive'] });
      await orm.getMigrator().up();
    } finally {
      await orm.close(true);
      await database.drop();
    }
  }, 90_000);
});
