import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage, signIn } from './browser.ts';

describe.skipIf(!hasChromium)('staff passwords in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let page: Page;
  const member = { email: `cashier-${Date.now()}@shop.test`, password: 'Given-Lantern-52-Pebble' };
  let temporaryPassword = '';
  const ownPassword = 'my own quiet harbour phrase';

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const textOf = (testId: string) => () => page.getByTestId(testId).textContent();
  const logout = async () => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
  };
  const fillPasswords = async (current: string, next: string, again = next) => {
    await page.getByTestId('password-currentPassword').fill(current);
    await page.getByTestId('password-newPassword').fill(next);
    await page.getByTestId('password-confirm').fill(again);
    await page.getByRole('button', { name: 'Change password' }).click();
  };

  it('lets the owner reset a member’s password and shows the temporary one once', async () => {
    await signIn(page, server.admin, `${server.url}/admin/`);
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(server.admin.email);

    await page.goto(`${server.url}/admin/#/staff/create`);
    await page.getByLabel(/^Email/).fill(member.email);
    await page.getByLabel(/^First name/).fill('Cass');
    await page.getByLabel(/^Last name/).fill('Ier');
    await page.getByRole('combobox', { name: /Role/ }).click();
    await page.getByRole('option', { name: 'Support' }).click();
    await page.getByLabel(/^Initial password/).fill(member.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(member.email).click();

    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(textOf('temporary-password')).toMatch(/^[A-Za-z0-9_-]{16}$/);
    temporaryPassword = (await page.getByTestId('temporary-password').textContent()) ?? '';
    await page.getByRole('button', { name: 'I have handed it over' }).click();
    await page.getByTestId('member-password-change-required').waitFor();
    await logout();
  });

  it('keeps the member on the change screen until they choose their own password', async () => {
    await signIn(page, { email: member.email, password: temporaryPassword });
    await page.getByTestId('password-change-required').waitFor();
    expect(page.url()).toMatch(/#\/change-password$/);
    // Any other screen sends them back.
    await page.goto(`${server.url}/admin/#/orders`);
    await page.getByTestId('password-change-required').waitFor();
    await expect.poll(() => page.url()).toMatch(/#\/change-password$/);

    await fillPasswords(temporaryPassword, ownPassword, 'something else entirely');
    await page.getByText('The two new passwords differ').waitFor();
    await fillPasswords('not the temporary one', ownPassword);
    await page.getByText('This is not your current password').waitFor();
    await fillPasswords(temporaryPassword, member.email);
    await page
      .getByText('The password must not contain your e-mail address or the part before the @; choose another')
      .waitFor();

    await fillPasswords(temporaryPassword, ownPassword);
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(member.email);
    expect(page.url()).not.toMatch(/change-password/);
  });

  it('lists the member’s signed-in devices from the user menu, this one marked', async () => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    await page.getByTestId('staff-sessions').waitFor();
    await expect.poll(() => page.getByTestId('staff-session').count()).toBe(1);
    await page.getByTestId('staff-session').getByText('This device').waitFor();
    expect(await page.getByTestId('password-change-required').count()).toBe(0);

    // The new password signs in; the old and the temporary ones do not.
    await logout();
    await signIn(page, { email: member.email, password: temporaryPassword });
    await page.getByText('Wrong email or password').waitFor();
    await signIn(page, { email: member.email, password: ownPassword });
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(member.email);
  });
});
