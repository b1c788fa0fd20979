import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countingStatements, runScheduledPurge, sql } from '../../../test/support/purge.ts';
import { buildTestApp, useTestApp } from '../../../test/app.ts';
import type { MailStatus } from './outgoing-mail.entity.ts';
import { purgeFinishedMail } from './purge.ts';

const { app } = await useTestApp();

/** An e-mail row as the mailer leaves it, last changed `daysAgo` days ago. */
async function mail(status: MailStatus, daysAgo: number, on = app): Promise<string> {
  const id = randomUUID();
  await sql(
    on,
    `INSERT INTO outgoing_mail (id, created_at, updated_at, dedupe_key, template, envelope, status, attempts,
                                claimed_at, sent_at, last_error)
     VALUES (?, now() - make_interval(days => ?), now() - make_interval(days => ?), ?, 'order-confirmation', ?, ?, ?,
             CASE WHEN ? = 'sending' THEN now() - make_interval(days => ?) END,
             CASE WHEN ? = 'sent' THEN now() - make_interval(days => ?) END,
             CASE WHEN ? IN ('failed', 'pending') THEN 'smtp: 554 rejected' END)`,
    [
      id,
      daysAgo + 1,
      daysAgo,
      `test:${id}`,
      on.cipher.encryptJson({ to: 'ann@example.test', data: { customerName: 'Ann Example' } }),
      status,
      status === 'failed' ? 8 : status === 'pending' ? 3 : 1,
      status,
      daysAgo,
      status,
      daysAgo,
      status,
    ],
  );
  return id;
}

const remaining = async (ids: string[], on = app) =>
  (await sql<{ id: string }>(on, `SELECT id FROM outgoing_mail WHERE id IN (?)`, [ids]))
    .map((r) => r.id)
    .sort();

describe('finished e-mail purge', () => {
  it('deletes sent and failed e-mails past the retention; keeps recent ones and every queued or retrying one', async () => {
    const gone = [await mail('sent', 31), await mail('failed', 31), await mail('sent', 400)];
    const kept = [
      await mail('sent', 10),
      await mail('failed', 29),
      // Never sent yet, however old: queued (e.g. SMTP down for months), or claimed by a sender that died.
      await mail('pending', 100),
      await mail('sending', 100),
    ];
    expect(await purgeFinishedMail(app.orm.em.fork(), 30)).toBe(3);
    expect(await remaining([...gone, ...kept])).toEqual([...kept].sort());
    expect(await purgeFinishedMail(app.orm.em.fork(), 30)).toBe(0);
    // A shorter retention reaches the recent finished ones, still never the unsent.
    expect(await purgeFinishedMail(app.orm.em.fork(), 1)).toBe(2);
    expect(await remaining(kept)).toEqual([kept[2]!, kept[3]!].sort());
  });

  it('deletes in batches, one statement each, until none is left', async () => {
    const old: string[] = [];
    for (let i = 0; i < 7; i++) old.push(await mail(i % 2 ? 'failed' : 'sent', 60));
    const { em, statements } = countingStatements(app);
    expect(await purgeFinishedMail(em, 30, 3)).toBe(7);
    // 3 + 3 + 1: the short batch ends the loop.
    expect(statements).toHaveLength(3);
    expect(statements.every((s) => /DELETE FROM outgoing_mail m USING batch/.test(s))).toBe(true);
    expect(await remaining(old)).toEqual([]);
  });
});

describe('mail.purge job', () => {
  it('is scheduled hourly and deletes with MAIL_RETENTION_DAYS', async () => {
    const jobs = await buildTestApp({ MCART_JOBS: 'on', MAIL_RETENTION_DAYS: '5' });
    try {
      await jobs.app.ready();
      const old = await mail('sent', 6, jobs.app);
      const recent = await mail('sent', 4, jobs.app);
      await runScheduledPurge(jobs.app, 'mail.purge', '29 * * * *');
      expect(await remaining([old, recent], jobs.app)).toEqual([recent]);
    } finally {
      await jobs.close();
    }
  }, 60_000);
});
