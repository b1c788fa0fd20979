import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rfc3339Timestamp } from '../src/platform/db.ts';
import { prepared } from '../src/platform/prepared.ts';
import { staffToken, useTestApp } from './app.ts';

const { app } = await useTestApp();
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

describe('timestamps', () => {
  it('come out of raw SQL on the ORM connection as RFC 3339, microseconds kept', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const [row] = await prepared<{ at: string; none: string | null }>(
      em,
      `SELECT '2026-11-27 01:15:46.020745+00'::timestamptz AS at, NULL::timestamptz AS none`,
    );
    expect(row!.at).toBe('2026-11-27T01:15:46.020745+00:00');
    expect(row!.none).toBeNull();
    const [executed] = await em.execute<{ at: string }[]>(`SELECT now() AS at`);
    expect(executed!.at).toMatch(RFC3339);
    expect(Math.abs(Date.parse(executed!.at) - Date.now())).toBeLessThan(60_000);
  });

  it('are RFC 3339 in API answers built from raw SQL', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/admin/stock-locations',
      headers: { authorization: await staffToken(app) },
    });
    expect(response.statusCode).toBe(200);
    const [location] = response.json<{ data: { createdAt: string; updatedAt: string }[] }>().data;
    expect(location!.createdAt).toMatch(RFC3339);
    expect(location!.updatedAt).toMatch(RFC3339);
  });

  it('leaves values PostgreSQL writes in other forms alone', () => {
    expect(rfc3339Timestamp('infinity')).toBe('infinity');
    expect(rfc3339Timestamp('0044-03-15 12:00:00+00 BC')).toBe('0044-03-15 12:00:00+00 BC');
    expect(rfc3339Timestamp('2026-01-02 03:04:05+05:30')).toBe('2026-01-02T03:04:05+05:30');
  });
});
