import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { chooseOwnPassword, hasChromium, launchChromium, signIn } from './browser.ts';

describe.skipIf(!hasChromium)('staff management in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const clerk = {
    email: `clerk-${Date.now()}@shop.test`,
    password: 'Parcel-Tiger-83-Lamp',
  };

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const textOf = (testId: string) => () => page.getByTestId(testId).textContent();
  const signInAs = async (email: string, password: string) => {
    await signIn(page, { email, password });
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(email);
  };

  it('lets the owner create a warehouse member, and records it in the audit log', async () => {
    await page.goto(`${server.url}/admin/`);
    await signInAs(server.admin.email, server.admin.password);
    await page.locator('a[href="#/staff"]').first().waitFor();

    await page.goto(`${server.url}/admin/#/staff/create`);
    await page.getByLabel(/^Email/).fill(clerk.email);
    await page.getByLabel(/^First name/).fill('Wendy');
    await page.getByLabel(/^Last name/).fill('Packer');
    await page.getByRole('combobox', { name: /Role/ }).click();
    await page.getByRole('option', { name: 'Warehouse' }).click();
    await page.getByLabel(/^Initial password/).fill(clerk.password);
    await page.getByRole('button', { name: 'Save' }).click();

    // Back on the list, which now holds the new member.
    await page.getByText(clerk.email).waitFor();
    expect(page.url()).toMatch(/#\/staff$/);

    await page.goto(`${server.url}/admin/#/audit`);
    await page.getByText('staff.created').first().waitFor();
    // "To" a day includes that whole day, in the user's time zone; the day survives a reload.
    const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
    await page.getByLabel('To', { exact: true }).fill(today);
    await expect.poll(() => page.url()).toContain('%22to%22');
    await page.getByText('staff.created').first().waitFor();
    await page.reload();
    await page.getByText('staff.created').first().waitFor();
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(today);
  });

  /** A call to the running server, as any API client makes it (the page's request context trusts its certificate). */
  const api = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const response = await page.request.fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(path.endsWith('/checkout') ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(body === undefined ? {} : { data: body }),
    });
    if (response.status() >= 300)
      throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  };

  it('opens a customer from the list (in-app navigation) with their addresses and orders', async () => {
    // A customer with a saved address and an order, made through the public API like a shop would.
    const owner = (await api<{ accessToken: string }>('POST', '/api/admin/auth/login', server.admin))
      .accessToken;
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const product = await api<{ variants: { id: string }[] }>(
      'POST',
      '/api/admin/products',
      {
        title: `Teapot ${tag}`,
        status: 'active',
        variants: [{ sku: `POT-${tag}`, title: 'Blue', price: { amount: 2400, currency: 'USD' } }],
      },
      owner,
    );
    const variantId = product.variants[0]!.id;
    await api(
      'POST',
      '/api/admin/inventory/adjustments',
      { variantId, delta: 5, reason: 'e2e stock' },
      owner,
    );
    const shopper = await api<{ accessToken: string }>('POST', '/api/store/auth/register', {
      email: `grace-${tag.toLowerCase()}@shop.test`,
      password: 'a long shopper passphrase',
      firstName: 'Grace',
      lastName: `Hopper${tag}`,
    });
    const address = {
      name: 'Grace Hopper',
      line1: '9 Compiler Lane',
      city: 'Arlington',
      postalCode: '22201',
      country: 'US',
    };
    await api('POST', '/api/store/me/addresses', { ...address, isDefault: true }, shopper.accessToken);
    const cart = await api<{ id: string }>('POST', '/api/store/carts', {}, shopper.accessToken);
    await api('POST', `/api/store/carts/${cart.id}/items`, { variantId, quantity: 1 }, shopper.accessToken);
    const placed = await api<{ order: { number: string } }>(
      'POST',
      `/api/store/carts/${cart.id}/checkout`,
      {
        email: `grace-${tag.toLowerCase()}@shop.test`,
        shippingAddress: address,
        payment: { provider: 'test', token: 'tok_visa' },
      },
      shopper.accessToken,
    );

    // Inside the app, as staff do it: menu, search, click the row. No page load after the first.
    await page.getByRole('menuitem', { name: 'Customers' }).click();
    await page.getByPlaceholder(/Search/).fill(`Hopper${tag}`);
    const row = page.getByRole('row').filter({ hasText: `Hopper${tag}` });
    await row.click();
    await page.getByText('9 Compiler Lane').waitFor();
    await page.getByRole('row').filter({ hasText: placed.order.number }).waitFor();
    expect(page.url()).toMatch(/#\/customers\/[0-9a-f-]+\/show$/);
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
  });

  it('signs the new member in, has them choose their own password, without Staff or Audit in their menu', async () => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // The owner chose the initial password: the first sign-in holds the member on the change screen.
    await signIn(page, clerk);
    await page.getByTestId('password-change-required').waitFor();
    expect(page.url()).toMatch(/#\/change-password$/);
    await page.goto(`${server.url}/admin/#/shipments`);
    await expect.poll(() => page.url()).toMatch(/#\/change-password$/);
    const own = 'Quiet-Harbour-64-Reed';
    await chooseOwnPassword(page, clerk.password, own);
    clerk.password = own;
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(clerk.email);
    expect(page.url()).not.toMatch(/change-password/);
    await expect.poll(textOf('staff-role')).toBe('Warehouse');
    // What a warehouse member may see is there, so the menu has settled...
    await page.locator('a[href="#/shipments"]').first().waitFor();
    // ...and the staff and audit screens are not.
    expect(await page.locator('a[href="#/staff"]').count()).toBe(0);
    expect(await page.locator('a[href="#/audit"]').count()).toBe(0);
  });

  /** The TOTP secret and the recovery codes shown at enrollment, for the tests after it. */
  let secret = '';
  /** The 30-second step the app-code sign-in ran in: it spent the step after it. */
  let signInStep = 0;
  let recoveryCodes: string[] = [];
  const step = () => Math.floor(Date.now() / 30_000);
  const shownRecoveryCodes = async () =>
    (await page.getByTestId('recovery-code').allTextContents()).map((code) => code.trim());

  it('turns TOTP on from the member’s profile, then signs in with a code from the app', async () => {
    // Still signed in as the warehouse member from the previous test.
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign-in security' }).click();
    await expect.poll(textOf('totp-status')).toMatch(/^Off/);
    await page.getByRole('button', { name: 'Turn on' }).click();
    secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByRole('img', { name: 'QR code for the authenticator app' }).waitFor();
    await page.getByLabel('Authentication code').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(textOf('totp-status')).toMatch(/^On/);

    // The recovery codes, shown once: copy, download, and go on only once they are saved.
    await page.getByTestId('recovery-codes').waitFor();
    recoveryCodes = await shownRecoveryCodes();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download (.txt)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mcart-recovery-codes.txt');
    const saved = readFileSync(await download.path(), 'utf8');
    for (const code of recoveryCodes) expect(saved).toContain(code);
    expect(saved).toContain(clerk.email);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Recovery codes copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryCodes.join('\n'));
    const done = page.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByLabel('I have saved these codes').check();
    await done.click();
    await expect.poll(textOf('recovery-remaining')).toBe('Recovery codes left: 10.');
    expect(await page.getByTestId('recovery-code').count()).toBe(0);

    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await signIn(page, clerk);
    // The password alone is not enough any more.
    await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
    // The enrollment spent the current 30-second step; the next step's code is inside the server's window.
    signInStep = step();
    const code = await generate({ secret, epoch: (signInStep + 1) * 30 });
    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(clerk.email);
  });

  it('signs in with a recovery code when the phone is lost, then makes new codes', async () => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await signIn(page, clerk);
    await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByText('Enter one of your recovery codes. Each code works only once.').waitFor();

    await page.getByLabel('Recovery code').fill('aaaaa-aaaaa');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Wrong or already used recovery code').waitFor();
    // Typed as people do: upper case, without the hyphen.
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.replace('-', '').toUpperCase());
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(clerk.email);
    await page.getByText('Signed in with a recovery code: 9 codes left.').waitFor();

    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign-in security' }).click();
    await expect.poll(textOf('recovery-remaining')).toBe('Recovery codes left: 9.');

    // New codes need a current code from the app. The sign-in spent the step after signInStep: wait until
    // the clock allows a later one (the server takes one step ahead).
    while (step() <= signInStep) await new Promise((resolve) => setTimeout(resolve, 500));
    const code = await generate({ secret, epoch: (step() + 1) * 30 });
    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'New recovery codes' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    const fresh = await shownRecoveryCodes();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => recoveryCodes.includes(c))).toEqual([]);
    await page.getByLabel('I have saved these codes').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(textOf('recovery-remaining')).toBe('Recovery codes left: 10.');
  }, 90_000);

  it('shows the recovery codes before the session when the owner requires TOTP at sign-in', async () => {
    const owner = (await api<{ accessToken: string }>('POST', '/api/admin/auth/login', server.admin))
      .accessToken;
    const member = { email: `packer-${Date.now()}@shop.test`, password: 'Crate-Heron-57-Rope' };
    await api(
      'POST',
      '/api/admin/staff',
      { ...member, role: 'warehouse', firstName: 'Pat', lastName: 'Packer' },
      owner,
    );
    await api('PATCH', '/api/admin/settings/security', { staffTotpRequired: true }, owner);
    try {
      await page.getByRole('button', { name: 'Profile' }).click();
      await page.getByRole('menuitem', { name: 'Logout' }).click();
      await signIn(page, member);
      const enrollSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
      // Enrolling: no recovery code here, only the app's code.
      expect(await page.getByRole('button', { name: 'Use a recovery code' }).count()).toBe(0);
      await page.getByLabel('Authentication code').fill(await generate({ secret: enrollSecret }));
      await page.getByRole('button', { name: 'Verify' }).click();

      // Signed in on the server, but the app opens only once the codes are saved.
      await page.getByTestId('recovery-codes').waitFor();
      expect(await shownRecoveryCodes()).toHaveLength(10);
      expect(await page.getByTestId('staff-email').count()).toBe(0);
      const go = page.getByRole('button', { name: 'Continue' });
      expect(await go.isDisabled()).toBe(true);
      await page.getByLabel('I have saved these codes').check();
      await go.click();
      // A new member: their own password next, then the app.
      await chooseOwnPassword(page, member.password, 'Harbour-Crane-31-Slate');
      await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(member.email);
    } finally {
      await api('PATCH', '/api/admin/settings/security', { staffTotpRequired: false }, owner);
    }
  });
});
