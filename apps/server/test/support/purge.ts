/**
 * What the retention purges' tests share (ADR 0046): raw SQL on an app, an EntityManager that counts the
 * statements a purge sends, and running a purge as the scheduler would (its pg-boss schedule, then one job to
 * completion) on an app built with jobs on.
 */
import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';

export const sql = <T = Record<string, unknown>>(
  on: FastifyInstance,
  query: string,
  params: unknown[] = [],
) => (on.orm.em.fork() as EntityManager).execute<T[]>(query, params);

/** The app's EntityManager, counting the statements a purge sends through it. */
export function countingStatements(on: FastifyInstance) {
  const connection = on.orm.em.fork().getConnection();
  const statements: string[] = [];
  const em = {
    getConnection: () => ({
      execute: (query: string, params: unknown[]) => {
        statements.push(query);
        return connection.execute(query, params);
      },
    }),
  } as unknown as EntityManager;
  return { em, statements };
}

/** Asserts the job's hourly schedule, then sends it once and waits until pg-boss reports it completed. */
export async function runScheduledPurge(on: FastifyInstance, name: string, cron: string): Promise<void> {
  await on.ready();
  const [schedule] = await sql<{ cron: string }>(on, `SELECT cron FROM pgboss.schedule WHERE name = ?`, [
    name,
  ]);
  expect(schedule).toEqual({ cron });
  const jobId = await on.jobs.send(name, {});
  const deadline = Date.now() + 40_000;
  for (;;) {
    const [job] = await sql<{ state: string }>(on, `SELECT state FROM pgboss.job WHERE id = ?`, [jobId]);
    if (job?.state === 'completed') return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} (state: ${job?.state})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
