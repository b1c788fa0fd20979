import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (Playwright's own browser download is not available here). */
export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests are skipped without Chromium, except in CI, where a missing browser is a failure. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI (apt-get install chromium)`);
  }
  console.warn(`Skipping browser tests: ${CHROMIUM} not found (apt-get install chromium)`);
}

/** Headless Chromium with no background connections (the machine's network is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a fresh context as the browser tests use it: the test server's self-signed certificate accepted,
 * English (US) texts, 20 s for each step; `options` add to or override the context's settings.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Signs in on the admin's sign-in form (opening `adminUrl` first when given). */
export async function signIn(page: Page, who: { email: string; password: string }, adminUrl?: string) {
  if (adminUrl) await page.goto(adminUrl);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The first sign-in of a member an owner or admin created: the app keeps them on the change screen until they
 * replace the password they were given with their own.
 */
export async function chooseOwnPassword(page: Page, given: string, own: string) {
  await page.getByTestId('password-change-required').waitFor();
  await page.getByTestId('password-currentPassword').fill(given);
  await page.getByTestId('password-newPassword').fill(own);
  await page.getByTestId('password-confirm').fill(own);
  await page.getByRole('button', { name: 'Change password' }).click();
  // Done when the app lets them go: the dashboard.
  await page.getByTestId('password-change-required').waitFor({ state: 'detached' });
  await page.waitForURL((url) => !url.hash.includes('change-password'));
}
