import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildApp } from '../src/app.ts';
import { MAIL_SEND_BATCH } from '../src/modules/notifications/index.ts';
import { staffToken, testConfig, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';
import { decodeQuotedPrintable, startSmtpServer } from './support/smtp.ts';

/**
 * Customer e-mail through the real pipeline: an order event → the notifications outbox consumer queues
 * the e-mail in its transaction → the dispatch consumer sends a pg-boss job → the job delivers it to a
 * real SMTP server. pg-boss runs against the test database (MCART_JOBS on).
 */
const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const RETRY_DELAY_SECONDS = 2;
const env = {
  MCART_JOBS: 'on',
  SMTP_URL: smtp.url,
  MAIL_FROM: 'Corner Shop <shop@corner.test>',
  STORE_NAME: 'Corner Shop',
  MAIL_RETRY_DELAY_SECONDS: String(RETRY_DELAY_SECONDS),
};
const { app, config, databaseUrl } = await useTestApp(env);
await app.ready();

const em = () => app.orm.em.fork() as EntityManager;
interface JobRow {
  id: string;
  state: string;
  retry_count: number;
  retry_delay: number;
  retry_backoff: boolean;
  waited_seconds: number;
}
const jobsFor = (mailId: string) =>
  em().execute<JobRow[]>(
    `SELECT id, state, retry_count, retry_delay, retry_backoff,
            extract(epoch FROM started_on - created_on)::float AS waited_seconds
       FROM pgboss.job WHERE name = 'mail.send' AND data->>'id' = ? ORDER BY created_on`,
    [mailId],
  );
const mailRow = async (to: string) => {
  const rows = await em().execute<
    { id: string; status: string; attempts: number; last_error: string | null; envelope: string }[]
  >(
    `SELECT id, status, attempts, last_error, envelope FROM outgoing_mail
      WHERE template = 'order-confirmation' ORDER BY created_at`,
  );
  // The recipient is encrypted in the row.
  const row = rows.find((candidate) => app.cipher.decryptJson<{ to: string }>(candidate.envelope).to === to);
  if (!row) return undefined;
  const { envelope: _envelope, ...rest } = row;
  return rest;
};
/** Order confirmations only: a paid order also brings its invoice (ADR 0049), by another job. */
const isConfirmation = (raw: string) => /^X-MCart-Template: order-confirmation/im.test(raw);
const receivedBy = (to: string) =>
  smtp.received.filter((mail) => mail.to.includes(to) && isConfirmation(mail.raw));

describe('e-mail through the job queue (pg-boss on the test database)', () => {
  it('queues the e-mail from the order event, retries a refused delivery with backoff, sends once', async () => {
    expect(app.jobs.enabled).toBe(true);
    const fixtures = orderFixtures(app, config, await staffToken(app));
    const product = await fixtures.product([{ weightGrams: 300 }]);
    // The relay refuses the first delivery (451), as a busy server does.
    smtp.rejectNext(1, isConfirmation);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'queue@example.test',
    });
    expect(order.status).toBe('paid');

    await expect.poll(() => receivedBy('queue@example.test').length, { timeout: 60_000 }).toBe(1);
    // The relay has the message; the job marks the row sent right after the relay's answer.
    await expect
      .poll(async () => (await mailRow('queue@example.test'))?.status, { timeout: 30_000 })
      .toBe('sent');
    const row = await mailRow('queue@example.test');
    // Two attempts on the row: the refused one and the retry; the error of the first is cleared.
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    const message = decodeQuotedPrintable(receivedBy('queue@example.test')[0]!.raw);
    expect(message).toContain(`Subject: Order ${order.number} confirmed`);
    expect(message).toContain('Content-Type: text/plain');
    expect(message).toContain('Content-Type: text/html');

    // One job, completed on its second try, after pg-boss's backoff delay (not at once).
    await expect.poll(async () => (await jobsFor(row!.id)).map((job) => job.state)).toEqual(['completed']);
    const [job] = await jobsFor(row!.id);
    expect(job).toMatchObject({ retry_count: 1, retry_delay: RETRY_DELAY_SECONDS, retry_backoff: true });
    expect(job!.waited_seconds).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS);
    // The failed e-mail did not touch the order.
    const detail = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${order.id}`,
      headers: { authorization: await staffToken(app) },
    });
    expect(detail.json<{ status: string }>().status).toBe('paid');

    // The same job run again (a redelivery): it completes and sends nothing.
    const again = await app.jobs.send('mail.send', { id: row!.id });
    expect(again).toBeTruthy();
    await expect
      .poll(
        async () =>
          (await em().execute<{ state: string }[]>(`SELECT state FROM pgboss.job WHERE id = ?`, [again]))[0]
            ?.state,
        { timeout: 30_000 },
      )
      .toBe('completed');
    expect(receivedBy('queue@example.test')).toHaveLength(1);
    expect(await mailRow('queue@example.test')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends a backlog in batches rather than one e-mail per polling interval, each once with two instances', async () => {
    // A second instance on the same database: its own job worker competes for the same jobs.
    const other = await buildApp(await testConfig(databaseUrl, env));
    try {
      await other.ready();
      const count = 30;
      const recipients = Array.from({ length: count }, (_, i) => `backlog-${i}@example.test`);
      await em().transactional(async (tx) => {
        for (const to of recipients)
          app.mailer.queue(tx, { template: 'account-erased', to, data: { firstName: 'Backlog' } });
      });
      const delivered = () => smtp.received.filter((mail) => recipients.some((to) => mail.to.includes(to)));
      await expect.poll(() => delivered().length, { timeout: 60_000 }).toBeGreaterThanOrEqual(count);
      const rows = await em().execute<{ id: string; status: string; attempts: number }[]>(
        `SELECT id, status, attempts FROM outgoing_mail WHERE template = 'account-erased'`,
      );
      expect(rows).toHaveLength(count);
      await expect
        .poll(
          async () =>
            (
              await em().execute<{ id: string }[]>(
                `SELECT id FROM outgoing_mail WHERE template = 'account-erased' AND status = 'sent'`,
              )
            ).length,
        )
        .toBe(count);
      // Each e-mail once: one delivery per recipient, one attempt per row.
      for (const to of recipients) expect(delivered().filter((mail) => mail.to.includes(to))).toHaveLength(1);
      expect(
        (
          await em().execute<{ attempts: number }[]>(
            `SELECT attempts FROM outgoing_mail WHERE template = 'account-erased'`,
          )
        ).map((row) => row.attempts),
      ).toEqual(rows.map(() => 1));
      // Jobs of one fetch share its started_on (one statement): the workers fetched a few batches, not one
      // job per polling interval each (30 fetches, a minute, before). A few more than the ideal 2 allow for
      // fetches that came while the dispatcher was still queueing the jobs.
      const jobs = await em().execute<{ state: string; started: string }[]>(
        `SELECT state, started_on::text AS started FROM pgboss.job
          WHERE name = 'mail.send' AND data->>'id' IN (${rows.map(() => '?').join(', ')})`,
        rows.map((row) => row.id),
      );
      expect(jobs.map((job) => job.state)).toEqual(rows.map(() => 'completed'));
      const fetches = new Set(jobs.map((job) => job.started)).size;
      expect(fetches).toBeLessThanOrEqual(Math.ceil(count / MAIL_SEND_BATCH) + 6);
    } finally {
      await other.close();
    }
  }, 90_000);
});
