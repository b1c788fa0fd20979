import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { recordStatements } from '../../../test/support/statements.ts';
import { StaffService } from '../identity/staff.service.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { MAX_ON_HAND } from './inventory.service.ts';
import { query } from './sql.ts';

const { app } = await useTestApp();
const auth = await staffToken(app);
const fork = () => app.orm.em.fork() as EntityManager;
const catalog = commerceFixtures(app, auth);
const newVariants = (n: number) => catalog.unstockedVariants(n);
const newVariant = async () => (await newVariants(1))[0]!;

const post = (url: string, payload: unknown, authorization = auth, key?: string) =>
  app.inject({
    method: 'POST',
    url,
    headers: { authorization, ...(key ? { 'idempotency-key': key } : {}) },
    payload: payload as object,
  });

async function onHand(variantId: string, locationId?: string): Promise<number> {
  const rows = await query<{ n: number }>(
    fork(),
    `SELECT COALESCE(sum(on_hand), 0)::int AS n FROM stock_level WHERE variant_id = ?::uuid
       AND (?::uuid IS NULL OR location_id = ?::uuid)`,
    [variantId, locationId ?? null, locationId ?? null],
  );
  return rows[0]!.n;
}

async function movements(variantIds: string[]): Promise<number> {
  const rows = await query<{ n: number }>(
    fork(),
    `SELECT count(*)::int AS n FROM stock_movement WHERE variant_id = ANY (?::uuid[])`,
    [`{${variantIds.join(',')}}`],
  );
  return rows[0]!.n;
}

async function location(code: string): Promise<string> {
  const created = await post('/api/admin/stock-locations', { code, name: `Depot ${code}` });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

describe('stock batches (several lines, all or nothing)', () => {
  it('receives several variants in one request and answers each line with its new level', async () => {
    const [a, b] = (await newVariants(2)) as [string, string];
    const response = await post('/api/admin/inventory/receipts/batch', {
      reason: 'PO-42',
      lines: [
        { variantId: a, quantity: 5 },
        { variantId: b, quantity: 2 },
      ],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ lines: { variantId: string; level: { onHand: number } }[] }>();
    // Answered in the request's order, whatever order the lines were applied in.
    expect(body.lines.map((line) => [line.variantId, line.level.onHand])).toEqual([
      [a, 5],
      [b, 2],
    ]);
    const ledger = await query<{ kind: string; reason: string; staff_id: string | null }>(
      fork(),
      `SELECT kind, reason, staff_id FROM stock_movement WHERE variant_id = ?::uuid`,
      [a],
    );
    expect(ledger).toEqual([{ kind: 'received', reason: 'PO-42', staff_id: expect.any(String) }]);
  });

  it('adjusts with one reason; a line that would go below zero rolls back every line and is named', async () => {
    const [a, b] = (await newVariants(2)) as [string, string];
    await post('/api/admin/inventory/receipts/batch', {
      lines: [
        { variantId: a, quantity: 3 },
        { variantId: b, quantity: 3 },
      ],
    });
    const before = await movements([a, b]);
    const refused = await post('/api/admin/inventory/adjustments/batch', {
      reason: 'shelf count',
      lines: [
        { variantId: a, delta: -1 },
        { variantId: b, delta: -4 },
      ],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_BELOW_ZERO',
      line: 1,
      // On the line's own field: an adjustment line has a delta, not a quantity.
      errors: [{ path: 'body/lines/1/delta' }],
    });
    expect(await onHand(a)).toBe(3);
    expect(await onHand(b)).toBe(3);
    expect(await movements([a, b])).toBe(before);

    const done = await post('/api/admin/inventory/adjustments/batch', {
      reason: 'shelf count',
      lines: [
        { variantId: a, delta: -1 },
        { variantId: b, delta: 4 },
      ],
    });
    expect(done.statusCode).toBe(201);
    expect([await onHand(a), await onHand(b)]).toEqual([2, 7]);
  });

  it('refuses bad batches before writing anything', async () => {
    const a = await newVariant();
    const twice = await post('/api/admin/inventory/receipts/batch', {
      lines: [
        { variantId: a, quantity: 1 },
        { variantId: a, quantity: 2 },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/lines/1/variantId' }],
    });
    const cases: [string, unknown][] = [
      ['/api/admin/inventory/receipts/batch', { lines: [] }],
      ['/api/admin/inventory/receipts/batch', { lines: [{ variantId: a, quantity: 1.5 }] }],
      ['/api/admin/inventory/receipts/batch', { lines: [{ variantId: a, quantity: -2 }] }],
      ['/api/admin/inventory/adjustments/batch', { lines: [{ variantId: a, delta: 1 }] }],
      ['/api/admin/inventory/adjustments/batch', { reason: 'x', lines: [{ variantId: a, delta: 0 }] }],
    ];
    for (const [url, payload] of cases) {
      const response = await post(url, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const unknown = await post('/api/admin/inventory/receipts/batch', {
      locationId: randomUUID(),
      lines: [{ variantId: a, quantity: 1 }],
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: 'MCART_ERR_LOCATION_NOT_FOUND',
      errors: [{ path: 'body/locationId' }],
    });
    expect(await movements([a])).toBe(0);
  });

  it('a variant named twice in different cases is one variant: refused before writing, in every kind of batch', async () => {
    const a = await newVariant();
    const from = await location(`cf-${a.slice(0, 6)}`);
    const to = await location(`ct-${a.slice(0, 6)}`);
    expect(
      (await post('/api/admin/inventory/receipts', { variantId: a, locationId: from, quantity: 5 }))
        .statusCode,
    ).toBe(201);
    const before = await movements([a]);
    const twice = [
      await post('/api/admin/inventory/receipts/batch', {
        lines: [
          { variantId: a, quantity: 1 },
          { variantId: a.toUpperCase(), quantity: 1 },
        ],
      }),
      await post('/api/admin/inventory/adjustments/batch', {
        reason: 'shelf count',
        lines: [
          { variantId: a.toUpperCase(), delta: -1 },
          { variantId: a, delta: -1 },
        ],
      }),
      await post('/api/admin/inventory/transfers/batch', {
        fromLocationId: from,
        toLocationId: to,
        lines: [
          { variantId: a, quantity: 1 },
          { variantId: a.toUpperCase(), quantity: 1 },
        ],
      }),
    ];
    for (const [i, refused] of twice.entries()) {
      expect(refused.statusCode, `batch ${i}: ${refused.body}`).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/lines/1/variantId', message: 'repeats line 1' }],
      });
    }
    expect(await movements([a])).toBe(before);
    expect(await onHand(a, from)).toBe(5);

    // Alone, an upper-case id is the variant as stored: answered and booked under its stored id.
    const received = await post('/api/admin/inventory/receipts/batch', {
      locationId: from,
      lines: [{ variantId: a.toUpperCase(), quantity: 2 }],
    });
    expect(received.statusCode, received.body).toBe(201);
    expect(received.json().lines).toEqual([
      expect.objectContaining({ variantId: a, level: expect.objectContaining({ variantId: a, onHand: 7 }) }),
    ]);
  });

  it('a batch transfer to its own location, either id in upper case, is refused as the same location', async () => {
    const a = await newVariant();
    const from = await location(`sf-${a.slice(0, 6)}`);
    await post('/api/admin/inventory/receipts', { variantId: a, locationId: from, quantity: 3 });
    const before = await movements([a]);
    for (const [fromLocationId, toLocationId] of [
      [from.toUpperCase(), from],
      [from, from.toUpperCase()],
    ]) {
      const same = await post('/api/admin/inventory/transfers/batch', {
        fromLocationId,
        toLocationId,
        lines: [{ variantId: a, quantity: 1 }],
      });
      expect(same.statusCode, same.body).toBe(400);
      expect(same.json()).toMatchObject({
        code: 'MCART_ERR_SAME_LOCATION',
        errors: [{ path: 'body/toLocationId' }],
      });
    }
    expect(await movements([a])).toBe(before);
    expect(await onHand(a, from)).toBe(3);
  });

  it('transfers several variants; same location and short stock come back on their fields', async () => {
    const [a, b] = (await newVariants(2)) as [string, string];
    const from = await location(`bf-${a.slice(0, 6)}`);
    const to = await location(`bt-${a.slice(0, 6)}`);
    await post('/api/admin/inventory/receipts/batch', {
      locationId: from,
      lines: [
        { variantId: a, quantity: 10 },
        { variantId: b, quantity: 1 },
      ],
    });
    const same = await post('/api/admin/inventory/transfers/batch', {
      fromLocationId: from,
      toLocationId: from,
      lines: [{ variantId: a, quantity: 1 }],
    });
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({
      code: 'MCART_ERR_SAME_LOCATION',
      errors: [{ path: 'body/toLocationId' }],
    });

    const short = await post('/api/admin/inventory/transfers/batch', {
      fromLocationId: from,
      toLocationId: to,
      lines: [
        { variantId: a, quantity: 4 },
        { variantId: b, quantity: 2 },
      ],
    });
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({ errors: [{ path: 'body/lines/1/quantity' }] });
    expect(await onHand(a, to)).toBe(0);
    expect(await onHand(a, from)).toBe(10);

    const moved = await post('/api/admin/inventory/transfers/batch', {
      fromLocationId: from,
      toLocationId: to,
      reason: 'rebalance',
      lines: [
        { variantId: a, quantity: 4 },
        { variantId: b, quantity: 1 },
      ],
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json().lines).toEqual([
      expect.objectContaining({
        variantId: a,
        from: expect.objectContaining({ onHand: 6 }),
        to: expect.objectContaining({ onHand: 4 }),
      }),
      expect.objectContaining({
        variantId: b,
        from: expect.objectContaining({ onHand: 0 }),
        to: expect.objectContaining({ onHand: 1 }),
      }),
    ]);
    // The ledger still adds up to the levels.
    const mismatches = await query(
      fork(),
      `SELECT s.variant_id FROM stock_level s
         JOIN (SELECT variant_id, location_id, sum(on_hand_delta)::int AS on_hand FROM stock_movement GROUP BY 1, 2) m
           ON m.variant_id = s.variant_id AND m.location_id = s.location_id
        WHERE s.variant_id = ANY (?::uuid[]) AND s.on_hand <> m.on_hand`,
      [`{${a},${b}}`],
    );
    expect(mismatches).toEqual([]);
  });

  it('needs inventory:write: support is refused, warehouse may', async () => {
    for (const role of ['support', 'warehouse'] as const) {
      await new StaffService(fork()).create({
        email: `${role}-batch@mcart.test`,
        password: `${role} password 123`,
        role,
      });
    }
    const token = (role: string) =>
      staffToken(app, { email: `${role}-batch@mcart.test`, password: `${role} password 123` });
    const body = { lines: [{ variantId: await newVariant(), quantity: 1 }] };
    expect((await post('/api/admin/inventory/receipts/batch', body, await token('support'))).statusCode).toBe(
      403,
    );
    expect(
      (await post('/api/admin/inventory/receipts/batch', body, await token('warehouse'))).statusCode,
    ).toBe(201);
  });

  it('an Idempotency-Key books a batch once: a retry replays the first answer, another body is 422', async () => {
    const [a, b] = (await newVariants(2)) as [string, string];
    const depot = await location(`idem-${randomUUID().slice(0, 8)}`);
    const receipt = { reason: 'PO-77', lines: [{ variantId: a, quantity: 4 }] };
    const key = randomUUID();
    const first = await post('/api/admin/inventory/receipts/batch', receipt, auth, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The clerk clicks "Book" again after the answer was lost: nothing more is booked.
    const retry = await post('/api/admin/inventory/receipts/batch', receipt, auth, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect([await onHand(a), await movements([a])]).toEqual([4, 1]);

    // The same key with other lines is refused, and books nothing.
    const other = await post(
      '/api/admin/inventory/receipts/batch',
      { reason: 'PO-77', lines: [{ variantId: a, quantity: 5 }] },
      auth,
      key,
    );
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'MCART_ERR_IDEMPOTENCY_MISMATCH' });
    expect(await onHand(a)).toBe(4);

    // Adjustments and transfers replay the same way.
    const adjustment = { reason: 'count', lines: [{ variantId: a, delta: -1 }] };
    const transfer = { toLocationId: depot, lines: [{ variantId: a, quantity: 1 }] };
    const adjustKey = randomUUID();
    const transferKey = randomUUID();
    const adjusted = await post('/api/admin/inventory/adjustments/batch', adjustment, auth, adjustKey);
    const defaultLocation = adjusted.json<{ lines: { level: { locationId: string } }[] }>().lines[0]!.level
      .locationId;
    const moved = await post(
      '/api/admin/inventory/transfers/batch',
      { ...transfer, fromLocationId: defaultLocation },
      auth,
      transferKey,
    );
    expect([adjusted.statusCode, moved.statusCode]).toEqual([201, 201]);
    const adjustedAgain = await post('/api/admin/inventory/adjustments/batch', adjustment, auth, adjustKey);
    const movedAgain = await post(
      '/api/admin/inventory/transfers/batch',
      { ...transfer, fromLocationId: defaultLocation },
      auth,
      transferKey,
    );
    expect([adjustedAgain.json(), movedAgain.json()]).toEqual([adjusted.json(), moved.json()]);
    expect([adjustedAgain.headers['idempotent-replayed'], movedAgain.headers['idempotent-replayed']]).toEqual(
      ['true', 'true'],
    );
    expect([await onHand(a, defaultLocation), await onHand(a, depot), await movements([a])]).toEqual([
      2, 1, 4,
    ]);

    // Without a key every request books, as before.
    const plain = { lines: [{ variantId: b, quantity: 2 }] };
    const once = await post('/api/admin/inventory/receipts/batch', plain);
    const twice = await post('/api/admin/inventory/receipts/batch', plain);
    expect([once.statusCode, twice.statusCode]).toEqual([201, 201]);
    expect(twice.headers['idempotent-replayed']).toBeUndefined();
    expect(await onHand(b)).toBe(4);
  });

  it('the single-line receipt, adjustment and transfer honour an Idempotency-Key as the batches do', async () => {
    const variant = await newVariant();
    const depot = await location(`one-${randomUUID().slice(0, 8)}`);
    const receipt = { variantId: variant, quantity: 3, reason: 'PO-9' };
    const key = randomUUID();
    const first = await post('/api/admin/inventory/receipts', receipt, auth, key);
    const again = await post('/api/admin/inventory/receipts', receipt, auth, key);
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      'true',
    ]);
    expect(again.json()).toEqual(first.json());
    expect([await onHand(variant), await movements([variant])]).toEqual([3, 1]);
    const other = await post('/api/admin/inventory/receipts', { ...receipt, quantity: 4 }, auth, key);
    expect([other.statusCode, other.json().code]).toEqual([422, 'MCART_ERR_IDEMPOTENCY_MISMATCH']);

    const from = first.json<{ level: { locationId: string } }>().level.locationId;
    const adjustment = { variantId: variant, delta: -1, reason: 'broken' };
    const transfer = { variantId: variant, fromLocationId: from, toLocationId: depot, quantity: 1 };
    const [adjustKey, transferKey] = [randomUUID(), randomUUID()];
    for (let i = 0; i < 2; i++) {
      const adjusted = await post('/api/admin/inventory/adjustments', adjustment, auth, adjustKey);
      const moved = await post('/api/admin/inventory/transfers', transfer, auth, transferKey);
      expect([adjusted.statusCode, moved.statusCode]).toEqual([201, 201]);
    }
    expect([await onHand(variant, from), await onHand(variant, depot), await movements([variant])]).toEqual([
      1, 1, 4,
    ]);
    // A refused change keeps nothing: the same key books once the cause is fixed.
    const refusedKey = randomUUID();
    const refused = await post(
      '/api/admin/inventory/adjustments',
      { ...adjustment, delta: -5 },
      auth,
      refusedKey,
    );
    expect(refused.statusCode).toBe(409);
    const fixed = await post('/api/admin/inventory/adjustments', adjustment, auth, refusedKey);
    expect([fixed.statusCode, fixed.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect(await onHand(variant, from)).toBe(0);
  });

  it("one staff member's Idempotency-Key never replays another's batch", async () => {
    await new StaffService(fork()).create({
      email: 'clerk-idem@mcart.test',
      password: 'clerk password 123',
      role: 'warehouse',
    });
    const clerk = await staffToken(app, { email: 'clerk-idem@mcart.test', password: 'clerk password 123' });
    const variant = await newVariant();
    const body = { lines: [{ variantId: variant, quantity: 3 }] };
    const key = 'shared-key-1';
    const mine = await post('/api/admin/inventory/receipts/batch', body, auth, key);
    const theirs = await post('/api/admin/inventory/receipts/batch', body, clerk, key);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json()).not.toEqual(mine.json());
    expect(await onHand(variant)).toBe(6);
    const [staffIds] = await query<{ ids: string[] }>(
      fork(),
      `SELECT array_agg(DISTINCT staff_id::text) AS ids FROM stock_movement WHERE variant_id = ?::uuid`,
      [variant],
    );
    expect(staffIds!.ids).toHaveLength(2);
  });

  it('a batch of 50 lines holds its stock rows for two round trips (its statement and the COMMIT), not a few per line', async () => {
    const variants = await newVariants(50);
    const from = await location(`rt-${randomUUID().slice(0, 8)}`);
    const to = await location(`rt-${randomUUID().slice(0, 8)}`);
    const batches: [string, object][] = [
      [
        'receipts',
        { locationId: from, reason: 'PO', lines: variants.map((variantId) => ({ variantId, quantity: 5 })) },
      ],
      [
        'receipts',
        { locationId: from, reason: 'PO', lines: variants.map((variantId) => ({ variantId, quantity: 5 })) },
      ],
      [
        'adjustments',
        { locationId: from, reason: 'count', lines: variants.map((variantId) => ({ variantId, delta: -1 })) },
      ],
      [
        'transfers',
        {
          fromLocationId: from,
          toLocationId: to,
          lines: variants.map((variantId) => ({ variantId, quantity: 2 })),
        },
      ],
    ];
    for (const [kind, body] of batches) {
      const { result, statements } = await recordStatements(() =>
        post(`/api/admin/inventory/${kind}/batch`, body, auth, randomUUID()),
      );
      expect(result.statusCode, result.body).toBe(201);
      const locking = statements.findIndex((statement) => /stock_level/.test(statement));
      const commit = statements.findIndex((statement) => /(^|; )COMMIT/.test(statement));
      // Was 4 per line (9 per transfer line): 200 round trips, 450 for a transfer, with the first line's rows locked.
      expect(commit - locking + 1, `${kind}: ${statements.join('\n')}`).toBe(2);
      expect(statements.length, kind).toBeLessThanOrEqual(8);
    }
    expect([await onHand(variants[0]!, from), await onHand(variants[49]!, to)]).toEqual([7, 2]);
    expect(await movements(variants)).toBe(50 * 5);
  });

  it('a refused line among many is named, whatever refuses it, and nothing of the batch is written', async () => {
    const [a, b, c] = (await newVariants(3)) as [string, string, string];
    const depot = await location(`rf-${randomUUID().slice(0, 8)}`);
    await post('/api/admin/inventory/receipts/batch', {
      locationId: depot,
      lines: [
        { variantId: a, quantity: 3 },
        { variantId: b, quantity: 3 },
      ],
    });
    const before = await movements([a, b, c]);
    // c has no level at the depot: nothing to count down.
    const missing = await post('/api/admin/inventory/adjustments/batch', {
      locationId: depot,
      reason: 'count',
      lines: [
        { variantId: a, delta: -1 },
        { variantId: b, delta: 2 },
        { variantId: c, delta: -1 },
      ],
    });
    expect(missing.statusCode, missing.body).toBe(409);
    expect(missing.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_BELOW_ZERO',
      line: 2,
      detail: 'Line 3: On hand 0, reserved 0: cannot remove 1',
      errors: [{ path: 'body/lines/2/delta' }],
    });
    // A receipt past what a level holds: the stock limit, on that line's quantity.
    await query(
      fork(),
      `UPDATE stock_level SET on_hand = ?::int WHERE variant_id = ?::uuid AND location_id = ?::uuid`,
      [MAX_ON_HAND - 1, b, depot],
    );
    const full = await post('/api/admin/inventory/receipts/batch', {
      locationId: depot,
      lines: [
        { variantId: c, quantity: 1 },
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 2 },
      ],
    });
    expect(full.statusCode, full.body).toBe(409);
    expect(full.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_LIMIT',
      line: 2,
      errors: [{ path: 'body/lines/2/quantity' }],
    });
    // A transfer of more than is available: on the line's quantity, with what the level holds.
    await query(
      fork(),
      `UPDATE stock_level SET on_hand = 3 WHERE variant_id = ?::uuid AND location_id = ?::uuid`,
      [b, depot],
    );
    const other = await location(`rf-${randomUUID().slice(0, 8)}`);
    const short = await post('/api/admin/inventory/transfers/batch', {
      fromLocationId: depot,
      toLocationId: other,
      lines: [
        { variantId: b, quantity: 1 },
        { variantId: a, quantity: 4 },
      ],
    });
    expect(short.statusCode, short.body).toBe(409);
    expect(short.json()).toMatchObject({
      code: 'MCART_ERR_STOCK_BELOW_ZERO',
      line: 1,
      detail: 'Line 2: On hand 3, reserved 0: cannot move 4',
      errors: [{ path: 'body/lines/1/quantity' }],
    });
    expect(await movements([a, b, c])).toBe(before);
    expect([await onHand(a, depot), await onHand(b, depot), await onHand(c), await onHand(b, other)]).toEqual(
      [3, 3, 0, 0],
    );
    const events = await query<{ n: number }>(
      fork(),
      `SELECT count(*)::int AS n FROM outbox_event WHERE resource = 'inventory' AND ids && ?::text[]
         AND payload->>'event' IN ('adjusted', 'received', 'transfer')`,
      [`{${a},${b},${c}}`],
    );
    // The first receipt's one event for both lines; the refused batches wrote none.
    expect(events[0]!.n).toBe(1);
  });
});
