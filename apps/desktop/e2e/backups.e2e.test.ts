import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { chooseOwnPassword, hasChromium, launchChromium } from './browser.ts';

describe.skipIf(!hasChromium)('backups in the back-office', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const adminMember = { email: `admin-${Date.now()}@shop.test`, password: 'Parcel-Tiger-83-Lamp' };

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer({ BACKUP_CRON: 'off' });
    browser = await launchChromium();
    context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true });
    // Headless Chromium has no save dialog to drive: without the picker the button takes its Blob path,
    // the same authenticated request, and the browser's download hands us the file.
    await context.addInitScript(() => {
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true });
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const textOf = (testId: string) => () => page.getByTestId(testId).textContent();
  /** Signs in; `own` is the password a new member chooses in place of the one they were given. */
  const signIn = async (email: string, password: string, own?: string) => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (own !== undefined) await chooseOwnPassword(page, password, own);
    await expect.poll(textOf('staff-email'), { timeout: 20_000 }).toBe(email);
  };
  const apiToken = async (email: string, password: string) => {
    const response = await context.request.post(`${server.url}/api/admin/auth/login`, {
      data: { email, password },
    });
    expect(response.status()).toBe(200);
    return `Bearer ${((await response.json()) as { accessToken: string }).accessToken}`;
  };

  it('lets the owner back up now, see it listed, and download a file matching its manifest', async () => {
    await page.goto(`${server.url}/admin/`);
    await signIn(server.admin.email, server.admin.password);
    await page.locator('a[href="#/backups"]').first().click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    // The list polls while the backup runs, and shows it succeeded without a reload.
    await page.getByText('Succeeded').waitFor({ timeout: 60_000 });
    expect(await page.getByText('Manual').count()).toBe(1);
    expect(await page.getByText(/^Server folder /).count()).toBe(1);

    const owner = await apiToken(server.admin.email, server.admin.password);
    const listed = await context.request.get(`${server.url}/api/admin/backups`, {
      headers: { authorization: owner },
    });
    const { data, total } = (await listed.json()) as {
      data: {
        id: string;
        sha256: string;
        sizeBytes: number;
        fileName: string;
        totalRows: number;
        location: string;
      }[];
      total: number;
    };
    expect(total).toBe(1);
    const backup = data[0]!;
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backup.totalRows).toBeGreaterThan(0);

    // Expanding the row shows the manifest: checksum and each table's row count.
    await page.getByText('Succeeded').click();
    await expect.poll(textOf('backup-sha256')).toBe(backup.sha256);
    await page.getByRole('cell', { name: 'public.staff', exact: true }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(backup.fileName);
    const bytes = await readFile((await download.path())!);
    expect(bytes.length).toBe(backup.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);

    // "Restore proven": not yet, then proven by the owner's "Prove restore now" (a real restore into a scratch
    // database on the server), the time shown once it has passed.
    await page.getByRole('columnheader', { name: 'Restore proven' }).waitFor();
    await expect.poll(textOf(`backup-drill-${backup.id}`)).toBe('Not yet');
    await page.getByRole('button', { name: 'Prove restore now' }).click();
    await expect.poll(textOf(`backup-drill-${backup.id}`), { timeout: 60_000 }).toMatch(/^Restored /);
    const drilled = await context.request.get(`${server.url}/api/admin/backups/${backup.id}`, {
      headers: { authorization: owner },
    });
    expect(((await drilled.json()) as { drill: { status: string } }).drill.status).toBe('passed');

    // The file damaged where it is kept: the next drill fails, and the column shows why.
    const damaged = Buffer.from(bytes);
    const middle = Math.floor(damaged.length / 2);
    damaged[middle] = damaged[middle]! ^ 0xff;
    await writeFile(backup.location, damaged);
    await page.getByRole('button', { name: 'Prove restore now' }).click();
    await expect
      .poll(textOf(`backup-drill-${backup.id}`), { timeout: 60_000 })
      .toMatch(/^Failed .*: The backup file's SHA-256 does not match/);
  }, 180_000);

  it('hides backups from a non-owner, whom the API refuses with 403', async () => {
    const owner = await apiToken(server.admin.email, server.admin.password);
    const created = await context.request.post(`${server.url}/api/admin/staff`, {
      headers: { authorization: owner },
      data: { ...adminMember, role: 'admin', firstName: 'Ada', lastName: 'Admin' },
    });
    expect(created.status()).toBe(201);

    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const own = 'Anchor-Willow-27-Flint';
    await signIn(adminMember.email, adminMember.password, own);
    await expect.poll(textOf('staff-role')).toBe('Administrator');
    // The settings an admin may open are in the menu, so it has settled; backups are not.
    await page.locator('a[href="#/staff"]').first().waitFor();
    expect(await page.locator('a[href="#/backups"]').count()).toBe(0);

    const admin = await apiToken(adminMember.email, own);
    const list = await context.request.get(`${server.url}/api/admin/backups`, {
      headers: { authorization: admin },
    });
    expect(list.status()).toBe(403);
    const start = await context.request.post(`${server.url}/api/admin/backups`, {
      headers: { authorization: admin },
    });
    expect(start.status()).toBe(403);
  }, 120_000);
});
