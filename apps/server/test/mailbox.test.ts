import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildTestApp, staffToken, useTestApp } from './app.ts';
import { StaffService } from '../src/modules/identity/staff.service.ts';
import { mailboxTransport, tightenMailboxDir } from '../src/modules/notifications/transport.ts';

const { app, config } = await useTestApp();
const em = () => app.orm.em.fork() as EntityManager;

describe('local mailbox (no SMTP configured)', () => {
  it('writes sent e-mails as .eml files that staff read in the admin', async () => {
    await em().transactional(async (tx) => {
      app.mailer.queue(tx, {
        template: 'password-reset',
        to: 'eve@example.test',
        data: { resetUrl: 'https://shop.test/reset/xyz' },
      });
    });
    expect(await app.mailer.sendPending(em())).toBe(1);

    const owner = await staffToken(app);
    const list = await app.inject({ url: '/api/admin/mailbox', headers: { authorization: owner } });
    expect(list.statusCode).toBe(200);
    const { data, total } = list.json<{
      data: { id: string; to: string; subject: string }[];
      total: number;
    }>();
    expect(total).toBe(1);
    expect(data[0]).toMatchObject({
      to: 'eve@example.test',
      subject: 'Reset your MCart Demo Store password',
    });

    const eml = join(config.dataDir, 'mailbox', `${data[0]!.id}.eml`);
    expect(existsSync(eml)).toBe(true);

    const one = await app.inject({
      url: `/api/admin/mailbox/${data[0]!.id}`,
      headers: { authorization: owner },
    });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ to: 'eve@example.test', attachments: [] });
    expect(one.json<{ text: string }>().text).toContain('https://shop.test/reset/xyz');
    expect(one.json<{ html: string }>().html).toContain('https://shop.test/reset/xyz');

    const missing = await app.inject({
      url: '/api/admin/mailbox/00000000-0000-4000-8000-000000000000',
      headers: { authorization: owner },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'MCART_ERR_MESSAGE_NOT_FOUND' });
  });

  it('lists what came with an e-mail and hands each file out as it was sent', async () => {
    const id = randomUUID();
    const pdf = Buffer.from('%PDF-1.7 invoice bytes');
    const mailbox = mailboxTransport(join(config.dataDir, 'mailbox'));
    await mailbox.send({
      id,
      from: 'shop@mcart.test',
      to: 'ann@example.test',
      subject: 'Your invoice INV-2026-000007',
      html: '<p>Attached</p>',
      text: 'Attached',
      template: 'invoice-issued',
      attachments: [{ filename: 'INV-2026-000007.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    mailbox.close();
    const owner = await staffToken(app);
    const get = (url: string) => app.inject({ url, headers: { authorization: owner } });

    expect((await get(`/api/admin/mailbox/${id}`)).json()).toMatchObject({
      attachments: [{ filename: 'INV-2026-000007.pdf', contentType: 'application/pdf', size: pdf.length }],
    });
    const file = await get(`/api/admin/mailbox/${id}/attachments/0`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe('attachment; filename="INV-2026-000007.pdf"');
    expect(file.rawPayload.equals(pdf)).toBe(true);

    const none = await get(`/api/admin/mailbox/${id}/attachments/1`);
    expect(none.statusCode).toBe(404);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect((await get(`/api/admin/mailbox/${id}/attachments/-1`)).statusCode).toBe(400);
    expect((await get(`/api/admin/mailbox/not-an-id/attachments/0`)).statusCode).toBe(400);
  });

  it('needs mailbox:read, which support does not have (reset links would open any customer account)', async () => {
    for (const role of ['warehouse', 'support'] as const) {
      const email = `${role}-mailbox@mcart.test`;
      await new StaffService(em()).create({ email, password: 'member password 123', role });
      const member = await staffToken(app, { email, password: 'member password 123' });
      const response = await app.inject({ url: '/api/admin/mailbox', headers: { authorization: member } });
      expect(response.statusCode, role).toBe(403);
    }
  });
});

describe('local mailbox retention', () => {
  it('prunes messages written before a date, all their files, and keeps newer ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcart-mailbox-'));
    const mailbox = mailboxTransport(dir);
    try {
      const message = (id: string) => ({
        id,
        from: 'shop@mcart.test',
        to: 'eve@example.test',
        subject: 'Your order',
        html: '<p>Hi Eve</p>',
        text: 'Hi Eve',
        template: 'order-confirmation',
      });
      const old = randomUUID();
      const recent = randomUUID();
      await mailbox.send({
        ...message(old),
        attachments: [{ filename: 'a.pdf', content: Buffer.from('%PDF'), contentType: 'application/pdf' }],
      });
      expect(existsSync(join(dir, `${old}.0.att`))).toBe(true);
      await mailbox.send(message(recent));
      // Written 40 days ago.
      const oldJson = join(dir, `${old}.json`);
      const stored = JSON.parse(await readFile(oldJson, 'utf8')) as { date: string };
      stored.date = new Date(Date.now() - 40 * 86_400_000).toISOString();
      await writeFile(oldJson, JSON.stringify(stored));

      expect(await mailbox.prune(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
      expect((await readdir(dir)).sort()).toEqual([`${recent}.eml`, `${recent}.json`].sort());
      expect(await mailbox.read(old)).toBeUndefined();
      expect(await mailbox.read(recent)).toMatchObject({ to: 'eve@example.test' });
      expect(await mailboxTransport(join(dir, 'none')).prune(new Date())).toBe(0);
    } finally {
      mailbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('local mailbox files', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;
  const message = (id: string) => ({
    id,
    from: 'shop@mcart.test',
    to: 'eve@example.test',
    subject: 'Reset your password',
    html: '<p>https://shop.test/reset/secret-token</p>',
    text: 'https://shop.test/reset/secret-token',
    template: 'password-reset',
    attachments: [{ filename: 'a.pdf', content: Buffer.from('%PDF'), contentType: 'application/pdf' }],
  });

  it('are readable by their owner only: the folder 0700, every file 0600, a leftover temporary file too', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'mcart-mailbox-'));
    const dir = join(parent, 'mailbox');
    const mailbox = mailboxTransport(dir);
    try {
      await mailbox.send(message(randomUUID()));
      // A temporary file a crash left behind, readable by all, is not reused as it is.
      const id = randomUUID();
      await writeFile(join(dir, `${id}.eml.tmp`), 'half a message', { mode: 0o644 });
      chmodSync(join(dir, `${id}.eml.tmp`), 0o644);
      await mailbox.send(message(id));
      expect(modeOf(dir)).toBe(0o700);
      const files = await readdir(dir);
      expect(files).toHaveLength(6);
      for (const name of files) expect(modeOf(join(dir, name)), name).toBe(0o600);
    } finally {
      mailbox.close();
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('makes a mailbox an earlier version left readable by all its owner’s only when the server starts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcart-mailbox-data-'));
    const dir = join(dataDir, 'mailbox');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, `${randomUUID()}.eml`), 'reset link', { mode: 0o644 });
    chmodSync(join(dir, (await readdir(dir))[0]!), 0o644);
    const started = await buildTestApp({ MCART_DATA_DIR: dataDir });
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const name of await readdir(dir)) expect(modeOf(join(dir, name)), name).toBe(0o600);
      expect(tightenMailboxDir(dir)).toBe('private');
      expect(tightenMailboxDir(join(dataDir, 'none'))).toBe('absent');
    } finally {
      await started.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
