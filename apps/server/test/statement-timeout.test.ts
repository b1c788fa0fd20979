import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from './app.ts';
import { commerceFixtures } from '../src/modules/cart/test-helpers.ts';

/*
 * DATABASE_STATEMENT_TIMEOUT_MS: a statement that runs (or waits) longer is cancelled by PostgreSQL, and the
 * request is answered 503 with a stable code, nothing written. Here the statement waits on a row another
 * session holds locked, which is what a stuck request looks like from inside.
 */
const { app, databaseUrl } = await useTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
const auth = await staffToken(app);
const holder = new pg.Client({ connectionString: databaseUrl });
await holder.connect();
afterAll(() => holder.end());

const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

describe('the statement timeout', () => {
  it('is set on both request pools', async () => {
    const orm = await app.orm.em.fork().getConnection().execute('SHOW statement_timeout');
    const read = await app.readPool.query('SHOW statement_timeout');
    expect(orm[0]).toEqual({ statement_timeout: '300ms' });
    expect(read.rows[0]).toEqual({ statement_timeout: '300ms' });
  });

  it('answers 503 MCART_ERR_TIMEOUT for a statement that runs too long, and writes nothing', async () => {
    const product = await commerceFixtures(app, auth).product([1000], 5);
    const variantId = product.variants[0]!.id;

    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM stock_level WHERE variant_id = $1 FOR UPDATE', [variantId]);
    const stuck = await admin('POST', '/api/admin/inventory/adjustments', {
      variantId,
      delta: 7,
      reason: 'count',
    });
    await holder.query('ROLLBACK');

    expect(stuck.statusCode).toBe(503);
    expect(stuck.headers['content-type']).toContain('application/problem+json');
    expect(stuck.headers['retry-after']).toBe('5');
    expect(stuck.json()).toMatchObject({ status: 503, code: 'MCART_ERR_TIMEOUT' });
    const levels = await admin('GET', `/api/admin/inventory/levels?variantId=${variantId}`);
    expect(levels.json<{ data: { onHand: number }[] }>().data.map((level) => level.onHand)).toEqual([5]);
  });
});
