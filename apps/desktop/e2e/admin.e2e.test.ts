import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('admin back-office in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
    // The test server uses a self-signed certificate, like the embedded default.
    page = await newPage(browser);
  });

  // playwright-core has no web-first assertions: wait for the element, then assert its content.
  const textOf = (testId: string) => () => page.getByTestId(testId).textContent();
  const signIn = async (password: string) => {
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses wrong credentials with a readable message', async () => {
    await page.goto(`${server.url}/admin/`);
    await signIn('not the password');
    await page.getByText('Wrong email or password').waitFor();
    expect(page.url()).toContain('#/login');
  });

  it('signs a staff member in and shows the dashboard with their identity and the server status', async () => {
    await page.goto(`${server.url}/admin/`);
    await signIn(server.admin.password);

    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(server.admin.email);
    await expect.poll(textOf('staff-role')).toBe('Owner');
    await page.getByLabel('Readiness: Ready').waitFor();
    await page.getByLabel('Liveness: Running').waitFor();
  });

  it('keeps the session across a reload and ends it on logout', async () => {
    await page.reload();
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(server.admin.email);
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.url()).toContain('#/login');
  });
});
