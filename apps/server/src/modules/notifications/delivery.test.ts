import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { useTestApp } from '../../../test/app.ts';
import { brandingFrom } from './index.ts';
import { MAX_MAIL_ATTEMPTS, Mailer, STALE_CLAIM_SECONDS } from './mailer.ts';
import {
  SMTP_SEND_TIMEOUT_MS,
  smtpTransport,
  type MailTransport,
  type OutgoingMessage,
} from './transport.ts';

/** A relay that refuses some recipients at RCPT TO, as real ones do, with the address in its reply. */
const received: string[] = [];
const relay = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    const refusal = (code: number, text: string) =>
      callback(Object.assign(new Error(`${text} <${address.address}>`), { responseCode: code }));
    if (address.address.startsWith('gone'))
      return refusal(550, '5.1.1 Recipient address rejected: unknown user');
    if (address.address.startsWith('relay')) return refusal(550, '5.7.1 Relaying denied for');
    callback();
  },
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      callback();
    });
  },
});
await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
const relayUrl = `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => relay.close(() => resolve())));

const { app, config } = await useTestApp({ SMTP_URL: relayUrl, STORE_NAME: 'Delivery Shop' });
const em = () => app.orm.em.fork() as EntityManager;

const queue = async (mailer: Mailer, to: string) => {
  const dedupeKey = `delivery-${randomUUID()}`;
  await em().transactional(async (tx) =>
    mailer.queue(tx, { template: 'order-cancelled', to, data: { orderNumber: 'MC-7001' }, dedupeKey }),
  );
  const [row] = await em().execute<{ id: string }[]>(`SELECT id FROM outgoing_mail WHERE dedupe_key = ?`, [
    dedupeKey,
  ]);
  return row!.id;
};
const rowOf = async (id: string) =>
  (
    await em().execute<{ status: string; attempts: number; last_error: string | null }[]>(
      `SELECT status, attempts, last_error FROM outgoing_mail WHERE id = ?`,
      [id],
    )
  )[0]!;
/** What pg-boss keeps of a failed job's error (every own property, as its `fail` stores it). */
const asStored = (err: unknown) => JSON.stringify(err, Object.getOwnPropertyNames(err as object));

describe('a refused delivery', () => {
  it('keeps no recipient address in last_error or in the error the job queue stores', async () => {
    const id = await queue(app.mailer, 'gone.ann@example.test');
    const err = await app.mailer.send(em(), id).catch((caught: unknown) => caught);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /550 5\.1\.1 Recipient address rejected: unknown user <\[address\]>/,
    );
    expect(asStored(err)).not.toContain('ann@example.test');
    expect(asStored(err)).toMatch(/"responseCode":550/);
    const row = await rowOf(id);
    expect(row.last_error).toMatch(/550 5\.1\.1/);
    expect(row.last_error).not.toContain('ann@example.test');
  });

  it('gives an address the relay says does not exist (5.1.x) up at once; a relay refusing to relay is retried', async () => {
    const gone = await queue(app.mailer, 'gone.bob@example.test');
    await expect(app.mailer.send(em(), gone)).rejects.toThrow(/5\.1\.1/);
    expect(await rowOf(gone)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await app.mailer.send(em(), gone)).toBe('skipped');

    // The store's relay configuration, not the address: retried while it is put right.
    const relayed = await queue(app.mailer, 'relay.cy@example.test');
    await expect(app.mailer.send(em(), relayed)).rejects.toThrow(/5\.7\.1/);
    expect(await rowOf(relayed)).toMatchObject({ status: 'pending', attempts: 1 });
  });
});

describe('an SMTP delivery that stalls', () => {
  it('is given up at its time limit, well before another instance may take the e-mail as abandoned', async () => {
    // Greets, then never answers: nodemailer alone waited 10 minutes of silence, past the 5-minute claim.
    const stalled = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('220 stalled.test ESMTP\r\n');
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const transport = smtpTransport(`smtp://127.0.0.1:${(stalled.address() as AddressInfo).port}`, {
      timeoutMs: 300,
    });
    try {
      const started = Date.now();
      await expect(
        Promise.race([
          transport.send({
            id: randomUUID(),
            from: 'shop@delivery.test',
            to: 'dee@example.test',
            subject: 'Stalled',
            html: '<p>x</p>',
            text: 'x',
            template: 'order-cancelled',
          }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('still waiting after 10 s')), 10_000)),
        ]),
      ).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      transport.close();
      stalled.close();
    }
    expect(SMTP_SEND_TIMEOUT_MS).toBeLessThanOrEqual((STALE_CLAIM_SECONDS * 1000) / 2);
  }, 20_000);
});

/** A transport whose deliveries end when the test says. */
function heldTransport() {
  const held: { message: OutgoingMessage; settle: (error?: Error) => void }[] = [];
  const transport: MailTransport = {
    kind: 'smtp',
    send: (message) =>
      new Promise<string>((resolve, reject) => {
        held.push({ message, settle: (error) => (error ? reject(error) : resolve(`<${message.id}@held>`)) });
      }),
    close: () => undefined,
  };
  return { transport, held };
}
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done()).toBe(true);
};

describe('a claim taken as abandoned', () => {
  it("never has its new sender's work undone by the old sender's late outcome", async () => {
    const first = heldTransport();
    const second = heldTransport();
    const mailerOf = (transport: MailTransport) =>
      new Mailer(app.cipher, brandingFrom(config), 'shop@delivery.test', transport);
    const a = mailerOf(first.transport);
    const b = mailerOf(second.transport);
    const id = await queue(a, 'eve@example.test');

    const sentByA = a.send(em(), id).catch((caught: unknown) => caught);
    await until(() => first.held.length === 1);
    // A's delivery has taken longer than a claim lasts: another instance takes the e-mail again.
    await em().execute(
      `UPDATE outgoing_mail SET claimed_at = now() - make_interval(secs => ?) WHERE id = ?`,
      [STALE_CLAIM_SECONDS + 60, id],
    );
    const sentByB = b.send(em(), id);
    await until(() => second.held.length === 1);

    // A fails late. It used to set the row back to pending while B was sending: a third sender took it.
    first.held[0]!.settle(new Error('421 connection lost'));
    expect(await sentByA).toBeInstanceOf(Error);
    expect(await rowOf(id)).toMatchObject({ status: 'sending', attempts: 2 });
    expect(await b.sendPending(em())).toBe(0);

    second.held[0]!.settle();
    expect(await sentByB).toBe('sent');
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('is given up, not taken again, when it was the last attempt', async () => {
    const sent: string[] = [];
    const transport: MailTransport = {
      kind: 'smtp',
      send: async (message) => {
        sent.push(message.to);
        return `<${message.id}@test>`;
      },
      close: () => undefined,
    };
    const mailer = new Mailer(app.cipher, brandingFrom(config), 'shop@delivery.test', transport);
    const last = await queue(mailer, 'fay@example.test');
    const earlier = await queue(mailer, 'gus@example.test');
    const abandon = (id: string, attempts: number) =>
      em().execute(
        `UPDATE outgoing_mail SET status = 'sending', attempts = ?, claimed_at = now() - interval '10 minutes'
          WHERE id = ?`,
        [attempts, id],
      );
    // Its sender went down mid-send on the last attempt (say, a document too big for its memory): each
    // sweep took it again, attempt 9, 10, ..., for good, and it was never purged.
    await abandon(last, MAX_MAIL_ATTEMPTS);
    await abandon(earlier, 3);
    await mailer.sendPending(em());
    expect(sent).toEqual(['gus@example.test']);
    expect(await rowOf(earlier)).toMatchObject({ status: 'sent', attempts: 4 });
    expect(await rowOf(last)).toMatchObject({ status: 'failed', attempts: MAX_MAIL_ATTEMPTS });
    expect((await rowOf(last)).last_error).toMatch(/abandoned/);
    expect(await mailer.send(em(), last)).toBe('skipped');
  });
});
