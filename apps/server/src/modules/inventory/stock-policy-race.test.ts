import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { InventoryService } from './inventory.service.ts';
import { StockBatchService } from './stock-batch.service.ts';
import { query } from './sql.ts';

/*
 * A variant's first backorder policy and a stock write that creates one of its levels, at the same time: the new
 * level copies the policy's flag, and there was no policy row to wait on, so the level could keep the old flag
 * (backorders refused at that location although the variant takes them). Both now hold the variant row first
 * (setPolicy FOR UPDATE, the writes FOR KEY SHARE), so one waits for the other and the flag is the policy's.
 */
const { app } = await useTestApp();
const auth = await staffToken(app);
const fork = () => app.orm.em.fork() as EntityManager;
const catalog = commerceFixtures(app, auth);

async function newLocation(): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/stock-locations',
    headers: { authorization: auth },
    payload: { code: `race-${randomUUID().slice(0, 8)}`, name: 'Race depot' },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

/** Runs `work` in a transaction left open until `commit` is called. */
async function heldOpen(work: (em: EntityManager) => Promise<unknown>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let done!: () => void;
  const worked = new Promise<void>((resolve) => (done = resolve));
  const committed = fork().transactional(async (em) => {
    await work(em);
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

/** Sessions of this database waiting on a lock. */
const lockWaiters = async () =>
  (
    await query<{ n: number }>(
      fork(),
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    )
  )[0]!.n;

async function flags(variantId: string, locationId: string) {
  const [row] = await query<{ policy: boolean; level: boolean }>(
    fork(),
    `SELECT p.allow_backorder AS policy, s.allow_backorder AS level FROM stock_policy p, stock_level s
      WHERE p.variant_id = ?::uuid AND s.variant_id = p.variant_id AND s.location_id = ?::uuid`,
    [variantId, locationId],
  );
  return row;
}

const allowBackorders = (em: EntityManager, variantId: string) =>
  new InventoryService(em).setPolicy(variantId, { allowBackorder: true, lowStockThreshold: null });

describe("a variant's first backorder policy while one of its levels is created", () => {
  it('the policy first: a receipt that creates a level waits for it, and copies it', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    const locationId = await newLocation();
    const policy = await heldOpen((em) => allowBackorders(em, variantId));
    const receiving = fork().transactional((em) =>
      new InventoryService(em).receive({ variantId, locationId, quantity: 1 }, { staffId: null }),
    );
    await expect.poll(lockWaiters, { timeout: 5_000 }).toBeGreaterThan(0);
    await policy.commit();
    await receiving;
    expect(await flags(variantId, locationId)).toEqual({ policy: true, level: true });
  });

  it('the receipt first: the policy waits for it, and sets the level it created', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    const locationId = await newLocation();
    const receipt = await heldOpen((em) =>
      new InventoryService(em).receive({ variantId, locationId, quantity: 1 }, { staffId: null }),
    );
    const setting = fork().transactional((em) => allowBackorders(em, variantId));
    await expect.poll(lockWaiters, { timeout: 5_000 }).toBeGreaterThan(0);
    await receipt.commit();
    await setting;
    expect(await flags(variantId, locationId)).toEqual({ policy: true, level: true });
  });

  it('the policy first: a batch receipt waits for it, and copies it', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    const locationId = await newLocation();
    const policy = await heldOpen((em) => allowBackorders(em, variantId));
    const receiving = new StockBatchService(fork()).receive(
      { locationId, lines: [{ variantId, quantity: 1 }] },
      { staffId: null },
    );
    await expect.poll(lockWaiters, { timeout: 5_000 }).toBeGreaterThan(0);
    await policy.commit();
    await receiving;
    expect(await flags(variantId, locationId)).toEqual({ policy: true, level: true });
  });
});
