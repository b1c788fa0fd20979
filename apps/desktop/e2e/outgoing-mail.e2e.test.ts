import type { AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { startSmtpServer } from '../../server/test/support/smtp.ts';
import { orderFixtures } from '../../server/test/support/orders.ts';
import { MAX_MAIL_ATTEMPTS } from '../../server/src/modules/notifications/mailer.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { chooseOwnPassword, hasChromium, launchChromium, newPage, signIn } from './browser.ts';

/*
 * The E-mails screen (ADR 0071): with SMTP configured, a customer's order confirmation the relay kept refusing
 * shows on the dashboard and in the list (failed by default), with its order and reason; the owner sends it
 * again after a confirmation, and support sees the list without the Retry button.
 */
describe.skipIf(!hasChromium)('customer e-mails: a failed confirmation, seen and sent again', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let order: { id: string; number: string };
  const support = { email: 'support-mail@mcart.test', password: 'support first passphrase' };

  const em = () => testApp.app.orm.em.fork() as EntityManager;
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

  beforeAll(async () => {
    ensureRendererBuild();
    smtp = await startSmtpServer();
    testApp = await buildTestApp({ TLS: 'on', SMTP_URL: smtp.url, MAIL_FROM: 'Shop <shop@corner.test>' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const owner = await staffToken(testApp.app);
    const fixtures = orderFixtures(testApp.app, testApp.config, owner);
    const product = await fixtures.product([{ weightGrams: 250 }]);
    order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'bounce@example.test',
    });
    await testApp.app.outbox.drain();
    // The relay refuses the confirmation on every attempt: it is given up.
    smtp.rejectNext(MAX_MAIL_ATTEMPTS, (raw) => raw.includes(`Subject: Order ${order.number} confirmed`));
    const rows = await em().execute<{ id: string }[]>(`SELECT id FROM outgoing_mail`);
    for (const row of rows)
      for (let attempt = 0; attempt < MAX_MAIL_ATTEMPTS; attempt++)
        if ((await testApp.app.mailer.send(em(), row.id).catch(() => 'failed')) !== 'failed') break;
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: owner },
      payload: { ...support, role: 'support', firstName: 'Sam', lastName: 'Support' },
    });
    expect(created.statusCode, created.body).toBe(201);

    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    await smtp?.close();
  });

  it('shows the failed e-mail with its order and reason, and sends it again once confirmed', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    const warning = page.getByTestId('failed-mail');
    await expect(warning.textContent()).resolves.toContain('1 customer e-mail failed');
    await warning.getByRole('link', { name: 'See them' }).click();
    await page.waitForURL(/\/outgoing-mail/);

    const row = page.getByRole('row').filter({ hasText: 'bounce@example.test' });
    await poll(() => row.count()).toBe(1);
    const cells = (await row.getByRole('cell').allTextContents()).map((cell) => cell.trim());
    expect(cells).toEqual(
      expect.arrayContaining(['Order confirmation', order.number, 'Failed', String(MAX_MAIL_ATTEMPTS)]),
    );
    expect(cells.join(' ')).toMatch(/busy/i);
    // The invoice of the same order went out: not among the failed ones.
    await expect(page.getByRole('row').filter({ hasText: 'Invoice' }).count()).resolves.toBe(0);
    await expect(row.getByRole('link', { name: order.number }).getAttribute('href')).resolves.toContain(
      `/orders/${order.id}/show`,
    );

    // Retry asks first; closing the dialog changes nothing.
    await row.getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain('bounce@example.test');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const [still] = await em().execute<{ status: string }[]>(
      `SELECT status FROM outgoing_mail WHERE template = 'order-confirmation'`,
    );
    expect(still!.status).toBe('failed');

    await row.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('The e-mail will be sent again').waitFor();
    // No longer failed: gone from the list as it opened.
    await poll(() => row.count()).toBe(0);
    await poll(
      async () =>
        (
          await em().execute<{ status: string; attempts: number }[]>(
            `SELECT status, attempts FROM outgoing_mail WHERE template = 'order-confirmation'`,
          )
        )[0],
    ).toEqual({ status: 'pending', attempts: 0 });

    // The sweep sends it; shown as sent once the filter says so.
    expect(await testApp.app.mailer.sendPending(em())).toBe(1);
    await page.goto(
      `${url}/admin/#/outgoing-mail?${new URLSearchParams({ filter: JSON.stringify({ status: 'sent' }) })}`,
    );
    const sent = page.getByRole('row').filter({ hasText: 'Order confirmation' });
    await poll(() => sent.count()).toBe(1);
    await expect(sent.getByRole('cell').allTextContents()).resolves.toContain('Sent');
    await expect(sent.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
    expect(smtp.received.filter((mail) => mail.raw.includes(`Order ${order.number} confirmed`))).toHaveLength(
      1,
    );
  });

  it('lets support see the e-mails but not send one again', async () => {
    // Failed again, so that a Retry button would show.
    await em().execute(`UPDATE outgoing_mail SET status = 'failed' WHERE template = 'order-confirmation'`);
    const supportPage = await newPage(browser);
    await signIn(supportPage, { email: support.email, password: support.password }, `${url}/admin/`);
    await chooseOwnPassword(supportPage, support.password, 'support own passphrase 2027');
    await supportPage.getByTestId('failed-mail').waitFor();
    await supportPage.getByRole('menuitem', { name: 'E-mails', exact: true }).click();
    const row = supportPage.getByRole('row').filter({ hasText: 'bounce@example.test' });
    await poll(() => row.count()).toBe(1);
    await expect(row.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
  });
});
