import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countingStatements, runScheduledPurge, sql } from '../../../test/support/purge.ts';
import { buildTestApp, useTestApp } from '../../../test/app.ts';
import { purgeWebhookEvents } from './purge.ts';

const { app } = await useTestApp();

/** A gateway event applied through the webhook path, received `daysAgo` days ago. */
async function event(daysAgo: number, on = app): Promise<string> {
  const id = `evt_${randomUUID()}`;
  expect(await on.payments.handleWebhook({ id, type: 'payment_intent.succeeded' })).toMatchObject({
    replayed: false,
  });
  await sql(
    on,
    `UPDATE payment_webhook_event SET received_at = now() - make_interval(days => ?) WHERE event_id = ?`,
    [daysAgo, id],
  );
  return id;
}

const remaining = async (ids: string[], on = app) =>
  (
    await sql<{ event_id: string }>(on, `SELECT event_id FROM payment_webhook_event WHERE event_id IN (?)`, [
      ids,
    ])
  )
    .map((r) => r.event_id)
    .sort();

describe('payment webhook event purge', () => {
  it('forgets events received before the retention; a retry of a remembered one is still a no-op', async () => {
    const old = [await event(31), await event(365)];
    const kept = [await event(29), await event(3), await event(0)];
    expect(await purgeWebhookEvents(app.orm.em.fork(), 30)).toBe(2);
    expect(await remaining([...old, ...kept])).toEqual([...kept].sort());
    // The gateway retrying a remembered event (Stripe: for up to 3 days) changes nothing.
    for (const id of kept)
      expect(await app.payments.handleWebhook({ id, type: 'payment_intent.succeeded' })).toMatchObject({
        replayed: true,
      });
    expect(await purgeWebhookEvents(app.orm.em.fork(), 30)).toBe(0);
  });

  it('refuses a retention under a week', async () => {
    await expect(purgeWebhookEvents(app.orm.em.fork(), 6)).rejects.toThrow(/at least 7 days, got 6/);
  });

  it('deletes in batches, oldest first, one statement each, until none is left', async () => {
    const old: string[] = [];
    for (let i = 0; i < 7; i++) old.push(await event(40 + i));
    const { em, statements } = countingStatements(app);
    expect(await purgeWebhookEvents(em, 30, 3)).toBe(7);
    // 3 + 3 + 1: the short batch ends the loop.
    expect(statements).toHaveLength(3);
    expect(statements.every((s) => /DELETE FROM payment_webhook_event e USING batch/.test(s))).toBe(true);
    expect(await remaining(old)).toEqual([]);
  });
});

describe('payments.purge job', () => {
  it('is scheduled hourly and deletes with WEBHOOK_EVENT_RETENTION_DAYS', async () => {
    const jobs = await buildTestApp({ MCART_JOBS: 'on', WEBHOOK_EVENT_RETENTION_DAYS: '7' });
    try {
      await jobs.app.ready();
      const old = await event(8, jobs.app);
      const recent = await event(6, jobs.app);
      await runScheduledPurge(jobs.app, 'payments.purge', '37 * * * *');
      expect(await remaining([old, recent], jobs.app)).toEqual([recent]);
    } finally {
      await jobs.close();
    }
  }, 60_000);
});
