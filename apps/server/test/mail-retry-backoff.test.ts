import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from './app.ts';
import { freePort } from './global-setup.ts';
import { startSmtpServer } from './support/smtp.ts';
import { MAX_MAIL_ATTEMPTS, mailRetryDelaySeconds } from '../src/modules/notifications/mailer.ts';

/**
 * E-mail retries during an SMTP outage. SMTP_URL points at a port nothing listens on (every attempt is
 * refused), time passes by moving the row's timestamps back, and each simulated minute runs what the cluster
 * would: the `mail.sweep` cron body and, in the first test, a `mail.send` job retry on top (as often as every
 * step, more often than pg-boss would). Jobs themselves are off here; test/notifications-jobs.test.ts runs
 * the job path on pg-boss.
 */
const smtpPort = await freePort();
const { app, config } = await useTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
const em = () => app.orm.em.fork() as EntityManager;
const db = app.readPool;

interface MailRow {
  status: string;
  attempts: number;
  last_error: string | null;
  due_in_seconds: number;
}
const rowOf = async (id: string): Promise<MailRow> =>
  (
    await db.query<MailRow>(
      `SELECT status, attempts, last_error,
              round(extract(epoch FROM next_attempt_at - now()))::int AS due_in_seconds
         FROM outgoing_mail WHERE id = $1`,
      [id],
    )
  ).rows[0]!;

async function queueMail(to: string): Promise<string> {
  await em().transactional(async (tx) => {
    app.mailer.queue(tx, { template: 'account-erased', to, data: { firstName: 'Outage' } });
  });
  const { rows } = await db.query<{ id: string; envelope: string }>(
    `SELECT id, envelope FROM outgoing_mail WHERE template = 'account-erased' AND status = 'pending'`,
  );
  return rows.find((row) => app.cipher.decryptJson<{ to: string }>(row.envelope).to === to)!.id;
}

/** The clock moves on: every timestamp of the row goes back by `seconds`. */
const elapse = (id: string, seconds: number) =>
  db.query(
    `UPDATE outgoing_mail SET created_at = created_at - make_interval(secs => $2),
            updated_at = updated_at - make_interval(secs => $2),
            claimed_at = claimed_at - make_interval(secs => $2),
            next_attempt_at = next_attempt_at - make_interval(secs => $2),
            sent_at = sent_at - make_interval(secs => $2)
      WHERE id = $1`,
    [id, seconds],
  );

/** A `mail.send` job run: the handler's call (refused deliveries throw, so pg-boss retries). */
const jobRun = (id: string) => app.mailer.send(em(), id, { dueOnly: true }).catch(() => 'failed');
/** A `mail.sweep` cron tick: the handler's call. */
const sweep = () => app.mailer.sendPending(em(), 120);

describe('e-mail retries during an SMTP outage', () => {
  it('spends its attempts on the documented backoff, 8 of them over about an hour, however often jobs and the sweep come', async () => {
    expect(config.mail.retryDelaySeconds).toBe(30);
    const id = await queueMail('schedule@example.test');
    // The dispatch job's first attempt, at once.
    expect(await jobRun(id)).toBe('failed');
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 1, due_in_seconds: 30 });
    expect(await app.mailer.sendPending(em())).toBe(0); // not due: the sweep leaves it, even without its grace

    const attemptsAt: number[] = [0];
    let attempts = 1;
    for (let step = 1; step <= 140; step++) {
      await elapse(id, 30);
      await jobRun(id);
      if (step % 2 === 0) await sweep();
      const row = await rowOf(id);
      if (row.attempts !== attempts) {
        expect(row.attempts).toBe(attempts + 1); // never two attempts in one step
        attempts = row.attempts;
        attemptsAt.push(step / 2);
        if (row.status === 'pending')
          expect(row.due_in_seconds).toBe(mailRetryDelaySeconds(attempts, config.mail.retryDelaySeconds));
      }
      if (step === 30) {
        // A 15-minute outage: the e-mail is still waiting, with 5 of its 8 attempts made.
        expect(row).toMatchObject({ status: 'pending', attempts: 5 });
        expect(row.last_error).toMatch(/ECONNREFUSED/);
      }
    }
    // 30 s, then doubling: the 8th and last attempt 63.5 minutes after the first.
    expect(attemptsAt).toEqual([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 63.5]);
    expect(attemptsAt).toHaveLength(MAX_MAIL_ATTEMPTS);
    expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: MAX_MAIL_ATTEMPTS });
  }, 120_000);

  it('keeps an e-mail whose job was lost through a 15-minute outage, and sends it once SMTP is back', async () => {
    const id = await queueMail('comeback@example.test');
    expect(await jobRun(id)).toBe('failed');
    // Only the sweep, once a minute, from now on (the job is gone). It takes a row 2 minutes past due.
    const attemptsAt: number[] = [0];
    for (let minute = 1; minute <= 15; minute++) {
      await elapse(id, 60);
      expect(await sweep()).toBe(0);
      const { attempts } = await rowOf(id);
      if (attempts > attemptsAt.length) attemptsAt.push(minute);
    }
    // Due at 0.5, 4 and 8 minutes (the backoff after each attempt), each taken by the first tick 2 minutes on.
    expect(attemptsAt).toEqual([0, 3, 6, 10]);
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 4 });

    // SMTP is back (a relay on the configured port).
    const smtp = await startSmtpServer(smtpPort);
    afterAll(() => smtp.close());
    let sentAt: number | undefined;
    for (let minute = 16; minute <= 30 && sentAt === undefined; minute++) {
      await elapse(id, 60);
      if ((await sweep()) === 1) sentAt = minute;
    }
    // Its fifth attempt, due at 14 minutes (10 + 4), goes out at the first tick 2 minutes on.
    expect(sentAt).toBe(16);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 5, last_error: null });
    expect(smtp.received.map((mail) => mail.to)).toEqual([['comeback@example.test']]);
  }, 120_000);
});
