import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { useTestApp } from '../../../test/app.ts';
import { prepared } from '../../platform/prepared.ts';
import { brandingFrom } from './index.ts';
import { Mailer, type AttachmentResolver } from './mailer.ts';
import { renderTemplate } from './templates.ts';
import { mailboxTransport, type MailTransport, type OutgoingMessage } from './transport.ts';

const { app, config } = await useTestApp({ STORE_NAME: 'Attachment Shop' });
const fork = () => app.orm.em.fork() as EntityManager;

const pdf = Buffer.from('%PDF-1.3\n% a document\n%%EOF\n');
const invoiceData = {
  documentId: randomUUID(),
  documentNumber: 'INV-2026-000042',
  orderNumber: 'MC-004242',
  customerName: 'Rae <Reader>',
  total: 6600,
  currency: 'EUR',
};

/** A mailer of its own, whose transport records what it was handed. */
function recordingMailer() {
  const sent: OutgoingMessage[] = [];
  const transport: MailTransport = {
    kind: 'smtp',
    send: async (message) => {
      sent.push(message);
      return `<${message.id}@test>`;
    },
    close: () => undefined,
  };
  return { mailer: new Mailer(app.cipher, brandingFrom(config), 'shop@attachments.test', transport), sent };
}

const queue = async (mailer: Mailer, dedupeKey: string) => {
  await fork().transactional((tx) =>
    mailer.queueOnce(tx, {
      template: 'invoice-issued',
      to: 'rae@example.test',
      data: invoiceData,
      dedupeKey,
    }),
  );
  const [row] = await prepared<{ id: string }>(fork(), `SELECT id FROM outgoing_mail WHERE dedupe_key = ?`, [
    dedupeKey,
  ]);
  return row!.id;
};

const rowOf = async (id: string) =>
  (
    await prepared<{ status: string; attempts: number; last_error: string | null }>(
      fork(),
      `SELECT status, attempts, last_error FROM outgoing_mail WHERE id = ?::uuid`,
      [id],
    )
  )[0];

describe('attachments resolved at send time', () => {
  it('hands the transport what the registered resolver makes from the queued data', async () => {
    const { mailer, sent } = recordingMailer();
    const seen: unknown[] = [];
    mailer.registerAttachments('invoice-issued', async (_em, mail) => {
      seen.push(mail);
      return {
        attachments: [{ filename: 'INV-2026-000042.pdf', content: pdf, contentType: 'application/pdf' }],
      };
    });
    const id = await queue(mailer, `attach-${randomUUID()}`);
    expect(await mailer.send(fork(), id)).toBe('sent');
    expect(seen).toEqual([{ to: 'rae@example.test', data: invoiceData }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'rae@example.test',
      subject: 'Your invoice INV-2026-000042 for order MC-004242',
      attachments: [{ filename: 'INV-2026-000042.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(() => mailer.registerAttachments('invoice-issued', async () => ({ attachments: [] }))).toThrow(
      /registered already/,
    );
  });

  it('never queues or sends an e-mail that announces an attachment without one', async () => {
    const { mailer, sent } = recordingMailer();
    // Nothing registered: refused in the caller.
    await expect(queue(mailer, `none-${randomUUID()}`)).rejects.toThrow(/nothing registered to attach/);
    expect(() =>
      mailer.queue(fork(), {
        template: 'credit-note-issued',
        to: 'rae@example.test',
        data: { ...invoiceData, invoiceNumber: 'INV-2026-000042' },
      }),
    ).toThrow(/nothing registered to attach/);

    // A resolver that comes back empty: the e-mail stays queued with the error, as a refused delivery does.
    let attachments: Awaited<ReturnType<AttachmentResolver>> = { attachments: [] };
    mailer.registerAttachments('invoice-issued', async () => attachments);
    const id = await queue(mailer, `empty-${randomUUID()}`);
    await expect(mailer.send(fork(), id)).rejects.toThrow(/nothing to attach/);
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(sent).toEqual([]);

    attachments = { attachments: [{ filename: 'INV.pdf', content: pdf, contentType: 'application/pdf' }] };
    expect(await mailer.send(fork(), id)).toBe('sent');
    expect(sent.map((message) => message.attachments?.length)).toEqual([1]);
  });

  it('withdraws an e-mail its resolver says must not go any more: failed, with the reason, never sent', async () => {
    const { mailer, sent } = recordingMailer();
    mailer.registerAttachments('invoice-issued', async () => ({ withdrawn: 'the order lost its address' }));
    const id = await queue(mailer, `withdrawn-${randomUUID()}`);
    expect(await mailer.send(fork(), id)).toBe('withdrawn');
    expect(await rowOf(id)).toEqual({
      status: 'failed',
      attempts: 1,
      last_error: 'withdrawn: the order lost its address',
    });
    expect(await mailer.send(fork(), id)).toBe('skipped');
    expect(await mailer.sendPending(fork())).toBeGreaterThanOrEqual(0);
    expect(sent).toEqual([]);
  });
});

describe('the document templates', () => {
  it('render both parts with the numbers, the total in its currency and the name escaped', () => {
    const brand = brandingFrom(config);
    const invoice = renderTemplate('invoice-issued', invoiceData, brand);
    expect(invoice.subject).toBe('Your invoice INV-2026-000042 for order MC-004242');
    expect(invoice.text).toContain('Hello Rae <Reader>,');
    expect(invoice.text).toContain('Invoice: INV-2026-000042\nTotal: €66.00');
    expect(invoice.html).toContain('Rae &lt;Reader&gt;');
    expect(invoice.html).toContain('€66.00');
    const note = renderTemplate(
      'credit-note-issued',
      { ...invoiceData, documentNumber: 'CN-2026-000007', invoiceNumber: 'INV-2026-000042', total: 1500 },
      brand,
    );
    expect(note.subject).toBe('Your credit note CN-2026-000007 for order MC-004242');
    expect(note.text).toContain('Corrects invoice: INV-2026-000042\nCredited: €15.00');
    expect(() => renderTemplate('credit-note-issued', invoiceData, brand)).toThrow(/invoiceNumber/);
    expect(() => renderTemplate('invoice-issued', { ...invoiceData, total: '66' }, brand)).toThrow(/total/);
  });
});

describe('the local mailbox', () => {
  it('keeps the attachment in the .eml a mail client opens, and names it (no bytes) in the .json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcart-mailbox-'));
    const mailbox = mailboxTransport(dir);
    try {
      const id = randomUUID();
      await mailbox.send({
        id,
        from: 'shop@attachments.test',
        to: 'rae@example.test',
        subject: 'Your invoice INV-2026-000042 for order MC-004242',
        html: '<p>Attached</p>',
        text: 'Attached',
        template: 'invoice-issued',
        attachments: [{ filename: 'INV-2026-000042.pdf', content: pdf, contentType: 'application/pdf' }],
      });
      const eml = await readFile(join(dir, `${id}.eml`), 'utf8');
      expect(eml).toMatch(/Content-Type: application\/pdf; name=INV-2026-000042\.pdf/);
      expect(eml).toMatch(/Content-Disposition: attachment; filename=INV-2026-000042\.pdf/);
      expect(eml).toContain(pdf.toString('base64'));
      const json = await readFile(join(dir, `${id}.json`), 'utf8');
      expect(json).not.toContain(pdf.toString('base64'));
      expect(await mailbox.read(id)).toMatchObject({
        attachments: [{ filename: 'INV-2026-000042.pdf', contentType: 'application/pdf', size: pdf.length }],
      });
    } finally {
      mailbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
