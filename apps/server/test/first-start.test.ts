import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';

describe('first start', () => {
  it('creates one owner and one demo catalogue when two instances start together on an empty database', async () => {
    const database = await createTestDatabase();
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    afterAll(async () => {
      await db.end();
      await database.drop();
    });
    const owners: string[] = [];
    const config = await testConfig(database.url, {
      MCART_SEED: 'on',
      MCART_ADMIN_EMAIL: '',
      MCART_ADMIN_PASSWORD: '',
    });
    config.onOwnerCreated = (owner) => owners.push(owner.email);

    const apps = await Promise.all([buildApp(config), buildApp(config)]);
    try {
      const staff = await db.query(`SELECT email, role FROM staff`);
      expect(staff.rows).toEqual([{ email: 'admin@mcart.local', role: 'owner' }]);
      expect(owners).toEqual(['admin@mcart.local']);
      const products = await db.query<{ count: string }>(`SELECT count(*) FROM product`);
      expect(Number(products.rows[0]!.count)).toBeGreaterThan(0);
      const dupes = await db.query<{ count: string }>(
        `SELECT count(*) FROM (SELECT sku FROM variant GROUP BY sku HAVING count(*) > 1) d`,
      );
      expect(dupes.rows[0]!.count).toBe('0');
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });
});
