import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { BACKUP_JOB } from '../src/platform/backup/index.ts';
import { testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';

/*
 * pg-boss keeps queue options and cron schedules in the database, shared by every instance: several
 * instances (MCART_JOBS on) started one after the other on one database, as a rolling restart does, and the
 * configuration of the one that starts last is what the cluster runs with.
 */
const database = await createTestDatabase();
const instances: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of instances.reverse()) await app.close();
  await database.drop();
});

async function startInstance(env: Record<string, string>): Promise<FastifyInstance> {
  const app = await buildApp(await testConfig(database.url, { MCART_JOBS: 'on', ...env }));
  instances.push(app);
  await app.ready();
  return app;
}

const sql = <T>(app: FastifyInstance, query: string, params: unknown[] = []) =>
  (app.orm.em.fork() as EntityManager).execute<T[]>(query, params);

interface QueueRow {
  name: string;
  policy: string;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  expire_seconds: number;
}
const queues = async (app: FastifyInstance) =>
  Object.fromEntries(
    (
      await sql<QueueRow>(
        app,
        `SELECT name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds FROM pgboss.queue
          WHERE name IN ('mail.send', 'mail.sweep', ?)`,
        [BACKUP_JOB],
      )
    ).map(({ name, ...options }) => [name, options]),
  );
const schedules = async (app: FastifyInstance) =>
  Object.fromEntries(
    (await sql<{ name: string; cron: string }>(app, `SELECT name, cron FROM pgboss.schedule`)).map(
      ({ name, cron }) => [name, cron],
    ),
  );

describe('job settings across instances on one database', () => {
  it('updates an existing queue with the options of the instance that starts last', async () => {
    const first = await startInstance({ MAIL_RETRY_DELAY_SECONDS: '7' });
    const mailSend = { policy: 'standard', retry_limit: 8, retry_backoff: true, expire_seconds: 120 };
    expect((await queues(first))['mail.send']).toEqual({ ...mailSend, retry_delay: 7 });

    const second = await startInstance({ MAIL_RETRY_DELAY_SECONDS: '11' });
    expect(await queues(second)).toEqual({
      'mail.send': { ...mailSend, retry_delay: 11 },
      // Options a definition leaves out are written too (the platform's defaults), and each definition's
      // policy, retry limit and expiry are its own.
      'mail.sweep': {
        policy: 'standard',
        retry_limit: 5,
        retry_delay: 5,
        retry_backoff: true,
        expire_seconds: 900,
      },
      [BACKUP_JOB]: {
        policy: 'singleton',
        retry_limit: 0,
        retry_delay: 5,
        retry_backoff: true,
        expire_seconds: 6 * 3600,
      },
    });

    // A job the first instance sends now gets the cluster's options, not the ones it started with.
    const id = await first.jobs.send('mail.send', { id: randomUUID() }, { startAfter: 3600 });
    const [job] = await sql<{ retry_delay: number }>(
      first,
      `SELECT retry_delay FROM pgboss.job WHERE id = ?`,
      [id],
    );
    expect(job).toEqual({ retry_delay: 11 });
  });

  it('removes the backup schedule an earlier instance set when one starts with BACKUP_CRON=off', async () => {
    const scheduled = await startInstance({ BACKUP_CRON: '15 3 * * *' });
    const before = await schedules(scheduled);
    expect(before).toMatchObject({ [BACKUP_JOB]: '15 3 * * *', 'mail.sweep': '* * * * *' });

    await startInstance({ BACKUP_CRON: 'off' });
    // Gone for the whole cluster (the first instance still runs), and only that one: the others stay.
    const { [BACKUP_JOB]: _backup, ...others } = before;
    expect(await schedules(scheduled)).toEqual(others);

    // And turned on again by the next start that has it.
    const on = await startInstance({ BACKUP_CRON: '45 4 * * *' });
    expect(await schedules(on)).toMatchObject({ [BACKUP_JOB]: '45 4 * * *' });
  });
});
