import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { staffToken, useTestApp } from '../app.ts';
import { registerCustomer } from './helpers.ts';

const { app, databaseUrl } = await useTestApp();

const PHONE = '+33 6 12 34 56 78';
const STREET = '42 Rue des Acacias Secretes';
const POSTCODE = 'ZX9 8QW';

/** Every row of every table in the database, as text: what a dump would hold. */
async function dumpEverything(): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const table of tables.rows) {
      const rows = await client.query(`SELECT t::text AS row FROM "${table.schema}"."${table.name}" t`);
      parts.push(...rows.rows.map((r: { row: string }) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('personal data at rest', () => {
  it('no table holds a phone number or an address in clear text, yet staff and the customer read them back', async () => {
    const customer = await registerCustomer(app);
    await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { phone: PHONE },
    });
    const address = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: customer.auth,
      payload: {
        name: 'Claude Monet',
        line1: STREET,
        city: 'Giverny',
        postalCode: POSTCODE,
        country: 'FR',
        phone: PHONE,
      },
    });
    expect(address.statusCode).toBe(201);

    const dump = await dumpEverything();
    expect(dump).toContain(customer.email); // the dump is real: the clear e-mail is there
    for (const secret of [PHONE, STREET, POSTCODE, PHONE.replace(/ /g, ''), 'Acacias'])
      expect(dump).not.toContain(secret);

    const detail = await app.inject({
      url: `/api/admin/customers/${customer.id}`,
      headers: { authorization: await staffToken(app) },
    });
    expect(detail.json()).toMatchObject({
      phone: PHONE,
      addresses: [{ line1: STREET, postalCode: POSTCODE }],
    });
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).json().phone).toBe(PHONE);
  });
});
