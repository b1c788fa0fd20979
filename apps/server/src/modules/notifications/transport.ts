import { chmodSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';

/** A file sent with a message, in nodemailer's shape. */
export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMessage {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  template: string;
  attachments?: MailAttachment[] | undefined;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'mailbox';
  /** Delivers one message; resolves with the server's message id once it has been accepted. */
  send(message: OutgoingMessage): Promise<string>;
  close(): void;
}

/** nodemailer is loaded on the first message, so a server that sends none does not carry it. */
const loadNodemailer = async () => (await import('nodemailer')).default;

/** What nodemailer builds a message from: the same for SMTP and the local mailbox's .eml. */
const mailOptions = (message: OutgoingMessage) => ({
  from: message.from,
  // An address object, not a string: nodemailer reads a string as a list ("a,b@c" is two recipients).
  to: { name: '', address: message.to },
  subject: message.subject,
  html: message.html,
  text: message.text,
  headers: { 'X-MCart-Message-Id': message.id, 'X-MCart-Template': message.template },
  ...(message.attachments?.length ? { attachments: message.attachments } : {}),
});

/**
 * How long one SMTP delivery may take, connecting included, before it is given up (and retried later). It must
 * end well before the mailer takes a claim for abandoned (`STALE_CLAIM_SECONDS`, 5 minutes): nodemailer's own
 * limits are 2 minutes to connect and 10 minutes of silence per reply, so a relay that stalled mid-message
 * kept its sender going past the claim, another instance took the e-mail again and the customer got it twice.
 */
export const SMTP_SEND_TIMEOUT_MS = 90_000;

/** SMTP through nodemailer (production). `timeoutMs`: `SMTP_SEND_TIMEOUT_MS` unless a test says. */
export function smtpTransport(url: string, { timeoutMs = SMTP_SEND_TIMEOUT_MS } = {}): MailTransport {
  let transporter: Transporter | undefined;
  return {
    kind: 'smtp',
    async send(message) {
      transporter ??= (await loadNodemailer()).createTransport(url);
      // nodemailer 10 takes an AbortSignal (@types/nodemailer does not say so): the connection is closed at the limit.
      const options: ReturnType<typeof mailOptions> & { signal: AbortSignal } = {
        ...mailOptions(message),
        signal: AbortSignal.timeout(timeoutMs),
      };
      const info = await transporter.sendMail(options);
      return info.messageId;
    },
    close: () => transporter?.close(),
  };
}

export interface MailboxSummary {
  id: string;
  from: string;
  to: string;
  subject: string;
  template: string;
  date: string;
}

/** An attachment as the mailbox's JSON sidecar records it: the file itself is `<id>.<index>.att` (and in the .eml). */
export interface MailboxAttachment {
  filename: string;
  contentType: string;
  /** Bytes. */
  size: number;
}

export interface MailboxMessage extends MailboxSummary {
  html: string;
  text: string;
  attachments?: MailboxAttachment[];
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The mailbox holds password-reset links and invoices: its folder is its owner's only, as backups are. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * At start-up: a mailbox folder written by an earlier version (0755, files 0644) is made its owner's only,
 * its files too. Only a folder this process owns is changed (anything else is the administrator's choice,
 * and chmod would fail anyway): `foreign` says so, for a warning.
 */
export function tightenMailboxDir(dir: string): 'absent' | 'private' | 'tightened' | 'foreign' {
  let stat;
  try {
    stat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  if ((stat.mode & 0o077) === 0) return 'private';
  const uid = process.getuid?.();
  if (uid === undefined) return 'private'; // Windows: no POSIX modes to tighten
  if (stat.uid !== uid) return 'foreign';
  chmodSync(dir, DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isFile()) chmodSync(join(dir, entry.name), FILE_MODE);
  return 'tightened';
}

/**
 * The embedded default: each message becomes `<dir>/<id>.eml` (RFC 5322, built by nodemailer's stream
 * transport, so it opens in any mail client, attachments included) plus `<id>.json` for the admin mailbox,
 * which names the attachments (file name, type, size), and each attachment's bytes as `<id>.<index>.att`
 * for the admin to download. Files are named by the outgoing-mail id, so sending the same message twice
 * overwrites instead of duplicating.
 */
export function mailboxTransport(dir: string): MailTransport & {
  list(): Promise<MailboxSummary[]>;
  read(id: string): Promise<MailboxMessage | undefined>;
  attachment(id: string, index: number): Promise<(MailboxAttachment & { content: Buffer }) | undefined>;
  prune(before: Date): Promise<number>;
} {
  let builder: Transporter | undefined;
  const writeAtomically = async (path: string, content: string | Buffer) => {
    const temporary = `${path}.tmp`;
    // The mode applies when the file is created; one left over by a crash keeps its own, hence the chmod
    // (before the content is written).
    const file = await open(temporary, 'w', FILE_MODE);
    try {
      await file.chmod(FILE_MODE);
      await file.writeFile(content);
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  };
  return {
    kind: 'mailbox',
    async send(message) {
      if (!ID.test(message.id)) throw new Error('mailbox: message id must be a uuid');
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      builder ??= (await loadNodemailer()).createTransport({
        streamTransport: true,
        buffer: true,
        newline: 'unix',
      });
      const info = await builder.sendMail(mailOptions(message));
      const stored: MailboxMessage = {
        id: message.id,
        from: message.from,
        to: message.to,
        subject: message.subject,
        template: message.template,
        date: new Date().toISOString(),
        html: message.html,
        text: message.text,
        ...(message.attachments?.length
          ? {
              attachments: message.attachments.map((file) => ({
                filename: file.filename,
                contentType: file.contentType,
                size: file.content.length,
              })),
            }
          : {}),
      };
      for (const [index, file] of (message.attachments ?? []).entries())
        await writeAtomically(join(dir, `${message.id}.${index}.att`), file.content);
      await writeAtomically(join(dir, `${message.id}.eml`), info.message as Buffer);
      await writeAtomically(join(dir, `${message.id}.json`), JSON.stringify(stored));
      return info.messageId;
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const summaries: MailboxSummary[] = [];
      for (const name of names) {
        if (!name.endsWith('.json')) continue;
        const message = JSON.parse(await readFile(join(dir, name), 'utf8')) as MailboxMessage;
        summaries.push({
          id: message.id,
          from: message.from,
          to: message.to,
          subject: message.subject,
          template: message.template,
          date: message.date,
        });
      }
      return summaries;
    },
    async read(id) {
      if (!ID.test(id)) return undefined;
      try {
        return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as MailboxMessage;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    /** An attachment of a stored message, by its position in the message's `attachments`. */
    async attachment(id, index) {
      const described = (await this.read(id))?.attachments?.[index];
      if (!described) return undefined;
      try {
        return { ...described, content: await readFile(join(dir, `${id}.${index}.att`)) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // written before they were kept
        throw err;
      }
    },
    /**
     * Deletes the messages written before `before` (all their files), as `mail.purge` deletes their rows: the
     * mailbox holds the same names and addresses. Returns how many were deleted.
     */
    async prune(before) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
      let deleted = 0;
      for (const name of names) {
        const id = name.slice(0, -'.json'.length);
        if (!name.endsWith('.json') || !ID.test(id)) continue;
        let stored: MailboxMessage;
        try {
          stored = JSON.parse(await readFile(join(dir, name), 'utf8')) as MailboxMessage;
        } catch {
          continue; // being written or removed right now: the next run sees it
        }
        if (!(Date.parse(stored.date) < before.getTime())) continue;
        for (const index of (stored.attachments ?? []).keys())
          await rm(join(dir, `${id}.${index}.att`), { force: true });
        await rm(join(dir, `${id}.eml`), { force: true });
        await rm(join(dir, name), { force: true });
        deleted++;
      }
      return deleted;
    },
    close: () => builder?.close(),
  };
}
