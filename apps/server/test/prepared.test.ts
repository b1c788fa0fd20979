import { describe, expect, it } from 'vitest';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { numberPlaceholders, prepared } from '../src/platform/prepared.ts';
import { useTestApp } from './app.ts';

const { app } = await useTestApp();
const fork = () => app.orm.em.fork() as EntityManager;

describe('prepared statements', () => {
  it('number ? placeholders outside literals, quoted names and comments', () => {
    expect(numberPlaceholders(`SELECT ?, '?', "a?b", x ? y -- what?\n, ?::int, \\?`)).toEqual({
      text: `SELECT $1, '?', "a?b", x $2 y -- what?\n, $3::int, ?`,
      placeholders: 3,
    });
  });

  it('bind values (null for undefined) and refuse a wrong number of them', async () => {
    const [row] = await prepared<{ a: number; b: string | null; c: string }>(
      fork(),
      `SELECT ?::int AS a, ?::text AS b, '?' AS c`,
      [41, undefined],
    );
    expect(row).toEqual({ a: 41, b: null, c: '?' });
    await expect(prepared(fork(), `SELECT ?::int AS a`, [1, 2])).rejects.toThrow(/Expected 1 bindings/);
  });

  it("run on the transaction's own connection, and roll back with it", async () => {
    await prepared(fork(), `CREATE TABLE IF NOT EXISTS prepared_probe (id int PRIMARY KEY)`);
    await expect(
      fork().transactional(async (tx) => {
        await prepared(tx, `INSERT INTO prepared_probe (id) VALUES (?)`, [1]);
        const seen = await prepared<{ n: string }>(tx, `SELECT count(*) AS n FROM prepared_probe`);
        expect(seen[0]!.n).toBe('1');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await prepared<{ n: string }>(fork(), `SELECT count(*) AS n FROM prepared_probe`);
    expect(after[0]!.n).toBe('0');
  });

  it("turn database errors into MikroORM's exceptions", async () => {
    await prepared(fork(), `INSERT INTO prepared_probe (id) VALUES (?)`, [7]);
    await expect(prepared(fork(), `INSERT INTO prepared_probe (id) VALUES (?)`, [7])).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });
});
