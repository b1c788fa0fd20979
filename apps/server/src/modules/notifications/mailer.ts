import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { recordChange } from '../../platform/outbox.ts';
import { OutgoingMailSchema } from './outgoing-mail.entity.ts';
import { renderTemplate, TEMPLATES_WITH_ATTACHMENTS, type Branding, type TemplateName } from './templates.ts';
import type { MailAttachment, MailTransport } from './transport.ts';

export interface QueuedMail {
  template: string;
  to: string;
  data: Record<string, unknown>;
  /** One e-mail per cause. Reusing a key that is already stored fails the caller's flush (409 conflict). */
  dedupeKey?: string;
}

interface Envelope {
  to: string;
  data: Record<string, unknown>;
}

/**
 * `skipped`: nothing to do now (sent already, being sent by another worker, given up, or, asked with `dueOnly`,
 * its next attempt is not due yet). `withdrawn`: its attachment resolver said it must not go any more (the row
 * is `failed`, with the reason).
 */
export type SendResult = 'sent' | 'skipped' | 'withdrawn';

export interface SendOptions {
  /**
   * Only when its next attempt is due (`next_attempt_at`): the job and the sweep. Without it (a test, a
   * deliberate "send now") a waiting e-mail is attempted at once.
   */
  dueOnly?: boolean;
}

/** `MAIL_RETRY_DELAY_SECONDS`'s default: the wait after the first failed attempt, doubled after each next one. */
export const DEFAULT_MAIL_RETRY_DELAY_SECONDS = 30;

/**
 * Seconds to wait after a failed attempt before the next (`attempts` made so far, at least 1): `retryDelay`
 * after the first, doubled after each next one. With the defaults (30 s, 8 attempts) the attempts come at
 * 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 and 63.5 minutes: an outage of about an hour is ridden out.
 */
export const mailRetryDelaySeconds = (attempts: number, retryDelay = DEFAULT_MAIL_RETRY_DELAY_SECONDS) =>
  retryDelay * 2 ** Math.min(Math.max(attempts, 1) - 1, 16);

/** What an e-mail carries, resolved when it is sent: its files, or why it must not be sent any more. */
export type ResolvedAttachments = { attachments: MailAttachment[] } | { withdrawn: string };

/**
 * Makes a template's attachments at send time from the e-mail's recipient and data (ids, never file bytes:
 * the queue holds no documents, and a document is made from where it is kept). Registered at wiring time by
 * the module that owns the documents; the notifications module never reads its tables. Throwing leaves the
 * e-mail queued for a retry, as a refused delivery does.
 */
export type AttachmentResolver = (
  em: EntityManager,
  mail: { to: string; data: Record<string, unknown> },
) => Promise<ResolvedAttachments>;

/**
 * A claim older than this is considered abandoned (the sender crashed) and may be taken again. A delivery
 * gives up long before (`SMTP_SEND_TIMEOUT_MS`), so a sender still at work never has its e-mail taken.
 */
export const STALE_CLAIM_SECONDS = 300;
export const MAX_MAIL_ATTEMPTS = 8;
/**
 * One address, nothing else: no spaces, and none of the characters that make a recipient list or a display
 * name (`,` `;` `<` `>` `"` `(` `)` `:` `[` `]` `\`). "root,evil@example.com" was taken as one address and sent
 * to evil@example.com (mail libraries read a string as a list of addresses).
 */
const EMAIL = /^[^\s@,;<>"():[\]\\]+@[^\s@,;<>"():[\]\\]+\.[^\s@,;<>"():[\]\\]+$/;

const ADDRESS_LIKE = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;
const redactAddresses = (text: string) => text.replace(ADDRESS_LIKE, '[address]');

/**
 * What a failed delivery leaves in `last_error` and in the job queue: the error's message without e-mail
 * addresses. A refusal names the recipient ("550 5.1.1 <ann@example.com>: Recipient address rejected"), and
 * nodemailer's error carries it in `rejected` and `response` too, which pg-boss kept in its job table: the
 * address is sealed in the envelope, never in clear next to it. Code and reply code stay, for the reason.
 */
export class MailDeliveryError extends Error {
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  /** A refusal of the recipient itself (no such mailbox or domain): trying again cannot help. */
  readonly permanentRecipient: boolean;

  constructor(cause: unknown) {
    const err = (cause ?? {}) as {
      message?: unknown;
      code?: unknown;
      responseCode?: unknown;
      command?: unknown;
      response?: unknown;
    };
    super(redactAddresses(cause instanceof Error ? cause.message : String(cause)));
    this.name = 'MailDeliveryError';
    this.code = typeof err.code === 'string' ? err.code : undefined;
    this.responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
    // RFC 3463 5.1.x: bad destination mailbox, system or address syntax, said at RCPT TO. Other 5xx replies
    // (a relay refusing to relay, a policy, authentication) are the store's configuration, and are retried
    // while it is put right, as before.
    this.permanentRecipient =
      err.command === 'RCPT TO' &&
      this.responseCode !== undefined &&
      this.responseCode >= 500 &&
      this.responseCode < 600 &&
      /(^|\D)5\.1\.\d{1,3}(\D|$)/.test(typeof err.response === 'string' ? err.response : this.message);
  }
}

/** Whether the mailer takes this address (`queue` throws for one it does not, `queueOnce` skips it). */
export const isMailable = (address: string): boolean => EMAIL.test(address);

/**
 * Writes e-mails into `outgoing_mail` inside the caller's unit of work and sends them later.
 * Sending claims a row with a conditional update, so two workers never send the same row at once and a
 * sent row is never sent again; see docs/adr for the one at-least-once edge (crash after SMTP accepted).
 */
/**
 * An address no mail server can ever take: the reserved `.invalid` top-level domain (RFC 2606), which erased
 * customers' orders keep as a placeholder (ADR 0048). Mail to it is not queued: it would only fail, retried.
 */
export const isUndeliverable = (to: string) => /\.invalid$/i.test(to.trim());

export class Mailer {
  private readonly attachmentResolvers = new Map<string, AttachmentResolver>();

  constructor(
    private readonly cipher: FieldCipher,
    private readonly brand: Branding,
    private readonly from: string,
    readonly transport: MailTransport,
    /** `MAIL_RETRY_DELAY_SECONDS`: the backoff after a failed attempt starts there and doubles. */
    private readonly retryDelaySeconds = DEFAULT_MAIL_RETRY_DELAY_SECONDS,
  ) {}

  /** The module that owns a template's documents says, once at wiring time, how to attach them. */
  registerAttachments(template: TemplateName, resolver: AttachmentResolver): void {
    if (this.attachmentResolvers.has(template))
      throw new Error(`mailer: attachments of ${template} are registered already`);
    this.attachmentResolvers.set(template, resolver);
  }

  /** The checks every queued e-mail passes in its caller: a template that renders, something to attach. */
  private validate(mail: QueuedMail): void {
    renderTemplate(mail.template, mail.data, this.brand); // fail in the caller, not in a job later
    if (TEMPLATES_WITH_ATTACHMENTS.has(mail.template) && !this.attachmentResolvers.has(mail.template))
      throw new Error(`mailer: nothing registered to attach to ${mail.template}`);
  }

  /**
   * Adds an e-mail to the caller's unit of work: it is written by the caller's flush/transaction, so it
   * exists if and only if the cause committed. Throws at once when the template cannot render the data.
   */
  queue(em: Pick<EntityManager, 'create' | 'getTransactionContext'>, mail: QueuedMail): void {
    if (!EMAIL.test(mail.to)) throw new TypeError(`mailer.queue: "${mail.to}" is not an e-mail address`);
    this.validate(mail);
    if (isUndeliverable(mail.to)) return;
    const id = randomUUID();
    em.create(OutgoingMailSchema, {
      id,
      dedupeKey: mail.dedupeKey ?? `mail:${id}`,
      template: mail.template,
      envelope: this.cipher.encryptJson({ to: mail.to, data: mail.data } satisfies Envelope),
      status: 'pending',
      attempts: 0,
      claimedAt: null,
      sentAt: null,
      messageId: null,
      lastError: null,
    });
    recordChange(em, {
      resource: 'outgoing_mail',
      ids: [id],
      type: 'created',
      payload: { template: mail.template },
    });
  }

  /**
   * Like `queue` but for code that may meet the same cause twice (outbox consumers, at least once):
   * a second e-mail with the same dedupe key is ignored instead of failing the transaction. An address the
   * mailer does not take is skipped, as a `.invalid` one is: it comes from stored data (an order's address,
   * which checkout's looser check let in, e.g. `ann@localhost`) and stays as it is, so throwing would fail
   * the consumer on that event again and again, and every later e-mail would wait behind it.
   */
  async queueOnce(em: EntityManager, mail: QueuedMail & { dedupeKey: string }): Promise<boolean> {
    return (await this.queueAllOnce(em, [mail])) > 0;
  }

  /**
   * `queueOnce` for many e-mails in one statement (a consumer e-mailing a waiting list): every one is checked
   * first, then all are written together. Answers how many were new (not already queued under their key).
   */
  async queueAllOnce(em: EntityManager, mails: (QueuedMail & { dedupeKey: string })[]): Promise<number> {
    for (const mail of mails) this.validate(mail);
    const rows = mails
      .filter((mail) => isMailable(mail.to) && !isUndeliverable(mail.to))
      .map((mail) => ({
        id: randomUUID(),
        mail,
        envelope: this.cipher.encryptJson({ to: mail.to, data: mail.data } satisfies Envelope),
      }));
    if (!rows.length) return 0;
    const inserted = await em.execute<{ id: string }[]>(
      `INSERT INTO outgoing_mail (id, created_at, updated_at, dedupe_key, template, envelope, status, attempts)
       VALUES ${rows.map(() => "(?, now(), now(), ?, ?, ?, 'pending', 0)").join(', ')}
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      rows.flatMap(({ id, mail, envelope }) => [id, mail.dedupeKey, mail.template, envelope]),
    );
    const created = new Set(inserted.map((row) => row.id));
    // One event per template: the dispatcher queues a send job per id.
    const byTemplate = new Map<string, string[]>();
    for (const { id, mail } of rows)
      if (created.has(id)) byTemplate.set(mail.template, [...(byTemplate.get(mail.template) ?? []), id]);
    for (const [template, ids] of byTemplate)
      recordChange(em, { resource: 'outgoing_mail', ids, type: 'created', payload: { template } });
    return created.size;
  }

  /**
   * Sends one queued e-mail. Never inside a database transaction: claim (short statement), send over the
   * network, then mark sent with a conditional update. Throws when delivery fails, so the job retries; the
   * row then says when the next attempt is due (`next_attempt_at`, the backoff), and with `dueOnly` (the job,
   * the sweep) no attempt is made before it: whichever of the two comes first after it makes the attempt,
   * the other finds nothing to do, so together they never spend attempts faster than the backoff.
   */
  async send(em: EntityManager, id: string, options: SendOptions = {}): Promise<SendResult> {
    const claimed = await em.execute<{ template: string; envelope: string; attempts: number }[]>(
      `UPDATE outgoing_mail SET status = 'sending', claimed_at = now(), attempts = attempts + 1, updated_at = now()
        WHERE id = ? AND ((status = 'pending' AND (NOT ? OR next_attempt_at <= now()))
                          OR (status = 'sending' AND claimed_at < now() - make_interval(secs => ?)
                              AND attempts < ?))
        RETURNING template, envelope, attempts`,
      [id, options.dueOnly === true, STALE_CLAIM_SECONDS, MAX_MAIL_ATTEMPTS],
    );
    const row = claimed[0];
    if (!row) return 'skipped'; // sent already, being sent by another worker, given up, or not due yet
    // Every outcome below is written only while the claim is still this one: `attempts` counts the claims, so
    // a sender whose claim was taken as abandoned never turns the new sender's work back to pending or failed.
    const claim = row.attempts;
    try {
      const envelope = this.cipher.decryptJson<Envelope>(row.envelope);
      const rendered = renderTemplate(row.template, envelope.data, this.brand);
      const resolved = await this.attachmentsOf(em, row.template, envelope);
      if ('withdrawn' in resolved) {
        await em.execute(
          `UPDATE outgoing_mail SET status = 'failed', claimed_at = NULL, last_error = ?, updated_at = now()
            WHERE id = ? AND status = 'sending' AND attempts = ?`,
          [`withdrawn: ${resolved.withdrawn}`.slice(0, 500), id, claim],
        );
        return 'withdrawn';
      }
      const messageId = await this.transport.send({
        id,
        from: this.from,
        to: envelope.to,
        template: row.template,
        ...rendered,
        ...(resolved.attachments.length ? { attachments: resolved.attachments } : {}),
      });
      await em.execute(
        `UPDATE outgoing_mail SET status = 'sent', sent_at = now(), message_id = ?, last_error = NULL, updated_at = now()
          WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [messageId.slice(0, 255), id, claim],
      );
      return 'sent';
    } catch (err) {
      const failure = new MailDeliveryError(err);
      await em.execute(
        `UPDATE outgoing_mail SET status = CASE WHEN attempts >= ? OR ? THEN 'failed' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => ?),
                claimed_at = NULL, last_error = ?, updated_at = now()
          WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [
          MAX_MAIL_ATTEMPTS,
          failure.permanentRecipient,
          mailRetryDelaySeconds(row.attempts, this.retryDelaySeconds),
          failure.message.slice(0, 500),
          id,
          claim,
        ],
      );
      throw failure;
    }
  }

  /** A template's attachments, made now; an e-mail whose text announces one never goes without it. */
  private async attachmentsOf(em: EntityManager, template: string, envelope: Envelope) {
    const resolver = this.attachmentResolvers.get(template);
    const resolved: ResolvedAttachments = resolver ? await resolver(em, envelope) : { attachments: [] };
    if (
      TEMPLATES_WITH_ATTACHMENTS.has(template) &&
      'attachments' in resolved &&
      resolved.attachments.length === 0
    )
      throw new Error(`mailer: ${template} has nothing to attach`);
    return resolved;
  }

  /**
   * Ids of e-mails waiting whose next attempt has been due for `overdueSeconds` (oldest first), and of claims
   * abandoned mid-send: the sweeper's safety net when a job was lost. A retrying e-mail is not due before its
   * backoff has passed.
   */
  async pendingIds(em: EntityManager, overdueSeconds: number, limit: number): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `SELECT id FROM outgoing_mail
        WHERE (status = 'pending' AND next_attempt_at <= now() - make_interval(secs => ?))
           OR (status = 'sending' AND claimed_at < now() - make_interval(secs => ?) AND attempts < ?)
        ORDER BY created_at LIMIT ?`,
      [overdueSeconds, STALE_CLAIM_SECONDS, MAX_MAIL_ATTEMPTS, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Sends the e-mails that are due (tests, the sweeper): those due for `overdueSeconds` at least. Returns how
   * many were sent. Failures stay queued, due again after the backoff.
   */
  async sendPending(em: EntityManager, overdueSeconds = 0, limit = 100): Promise<number> {
    // A claim abandoned on the last attempt is not taken again: the e-mail is given up. A stale claim used to be
    // taken whatever its count, so one whose sending brought its process down (an attachment too big for
    // memory) was attempted again every 5 minutes for good, and, never finished, never purged.
    await em.execute(
      `UPDATE outgoing_mail SET status = 'failed', claimed_at = NULL, updated_at = now(),
              last_error = 'abandoned mid-send on its last attempt (the sender stopped)'
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => ?) AND attempts >= ?`,
      [STALE_CLAIM_SECONDS, MAX_MAIL_ATTEMPTS],
    );
    let sent = 0;
    for (const id of await this.pendingIds(em, overdueSeconds, limit)) {
      try {
        if ((await this.send(em, id, { dueOnly: true })) === 'sent') sent++;
      } catch {
        // recorded on the row (last_error, attempts); the next sweep or job retry tries again
      }
    }
    return sent;
  }
}
