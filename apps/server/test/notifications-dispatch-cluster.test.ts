import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';

/*
 * The `mail-dispatch` outbox consumer turns each queued e-mail into a `mail.send` job. A consumer is one
 * cursor for the cluster, taken by whichever instance gets to it: an instance with MCART_JOBS=off must not
 * be one of them, or it moves the cursor past e-mails it cannot queue (they then wait for the sweep).
 */
const database = await createTestDatabase();
const instances: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of instances.reverse()) await app.close();
  await database.drop();
});

async function startInstance(jobs: 'on' | 'off'): Promise<FastifyInstance> {
  const app = await buildApp(await testConfig(database.url, { MCART_JOBS: jobs }));
  instances.push(app);
  await app.ready();
  return app;
}

const sql = <T>(app: FastifyInstance, query: string, params: unknown[] = []) =>
  (app.orm.em.fork() as EntityManager).execute<T[]>(query, params);
const cursor = async (app: FastifyInstance, consumer: string) =>
  (
    await sql<{ position: string }>(app, `SELECT position FROM outbox_cursor WHERE consumer = ?`, [consumer])
  )[0]?.position;
const sendJobs = (app: FastifyInstance, mailId: string) =>
  sql<{ id: string }>(app, `SELECT id FROM pgboss.job WHERE name = 'mail.send' AND data->>'id' = ?`, [
    mailId,
  ]);

describe('mail dispatch with instances that run no jobs', () => {
  it('leaves the consumer to the instances with jobs: an e-mail committed meanwhile gets its job', async () => {
    // An instance with jobs has run (the consumer's cursor exists), and is gone (restarting, say).
    const withJobs = await startInstance('on');
    expect(await cursor(withJobs, 'mail-dispatch')).toBeDefined();
    await withJobs.close();
    instances.splice(instances.indexOf(withJobs), 1);

    const withoutJobs = await startInstance('off');
    const dispatchBefore = await cursor(withoutJobs, 'mail-dispatch');
    const notificationsBefore = await cursor(withoutJobs, 'notifications');
    await (withoutJobs.orm.em.fork() as EntityManager).transactional(async (em) => {
      withoutJobs.mailer.queue(em, {
        template: 'password-reset',
        to: 'ann@example.test',
        data: { resetUrl: 'https://shop.test/r/1' },
        dedupeKey: 'dispatch-1',
      });
    });
    const [mail] = await sql<{ id: string }>(
      withoutJobs,
      `SELECT id FROM outgoing_mail WHERE dedupe_key = 'dispatch-1'`,
    );
    await withoutJobs.outbox.drain();
    // It ran its other consumers past the e-mail's event, but left the dispatch cursor where it was.
    expect(await cursor(withoutJobs, 'notifications')).not.toBe(notificationsBefore);
    expect(await cursor(withoutJobs, 'mail-dispatch')).toBe(dispatchBefore);

    // The next instance with jobs takes the e-mail from there and queues its job at once.
    const again = await startInstance('on');
    await again.outbox.drain();
    expect(await sendJobs(again, mail!.id)).toHaveLength(1);
  });
});
