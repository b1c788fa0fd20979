import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('catalogue screens in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer({ STORE_CURRENCY: 'EUR' });
    browser = await launchChromium();
    page = await newPage(browser);
    await signIn(page, server.admin, `${server.url}/admin/`);
    await page.getByTestId('staff-email').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a product with a price typed in major units and lists it', async () => {
    await page.goto(`${server.url}/admin/#/products/create`);
    await page.getByLabel(/^Title/).fill('E2E Ceramic Mug');
    await page.getByLabel(/^SKU/).fill('E2E-MUG-1');
    await page.getByLabel(/^Price/).fill('19.99');
    await page.getByLabel(/^Currency/).fill('EUR');
    await page.getByRole('button', { name: 'Save' }).click();
    // Saved: the edit screen opens on the details tab.
    await page.getByRole('tab', { name: 'Variants' }).waitFor();

    await page.goto(`${server.url}/admin/#/products`);
    const row = page.getByRole('row', { name: /E2E Ceramic Mug/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('E2E-MUG-1');
    expect(await row.textContent()).toContain('€19.99');
  });

  it('shows the server’s duplicate-SKU error on the SKU field', async () => {
    await page.goto(`${server.url}/admin/#/products/create`);
    await page.getByLabel(/^Title/).fill('E2E Second Mug');
    await page.getByLabel(/^SKU/).fill('E2E-MUG-1');
    await page.getByLabel(/^Price/).fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    const sku = page.getByLabel(/^SKU/);
    await expect.poll(() => sku.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    expect(page.url()).toContain('/products/create');
  });

  const header =
    'sku,product_slug,product_title,status,description,category_slugs,attributes_json,product_weight_grams,length_mm,width_mm,height_mm,variant_title,options_json,price_minor,compare_at_price_minor,variant_weight_grams,position';
  const csvFile = (name: string, rows: string[]) => ({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(`${[header, ...rows].join('\n')}\n`),
  });

  it('imports a CSV: a dry run lists row errors, a clean file is checked then imported', async () => {
    await page.goto(`${server.url}/admin/#/products/import`);
    const input = page.locator('input[type=file]');
    await input.setInputFiles(
      csvFile('bad.csv', ['E2E-CSV-1,e2e-csv-teapot,E2E Teapot,active,,,,,,,,,,not-a-number,,,']),
    );
    await page.getByRole('button', { name: 'Check the file' }).click();
    const errors = page.getByRole('table', { name: 'Errors by row' });
    await errors.waitFor();
    expect(await errors.textContent()).toContain('price_minor');
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);

    await input.setInputFiles(
      csvFile('good.csv', ['E2E-CSV-1,e2e-csv-teapot,E2E Teapot,active,,,,,,,,,,2450,,,']),
    );
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('The file is valid. Nothing has been written yet.').waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Import complete', { exact: true }).first().waitFor();

    await page.goto(`${server.url}/admin/#/products`);
    const row = page.getByRole('row', { name: /E2E Teapot/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('€24.50');
  });

  it('publishes selected products with the bulk action after confirmation', async () => {
    await page.goto(`${server.url}/admin/#/products`);
    const row = page.getByRole('row', { name: /E2E Ceramic Mug/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Draft');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => row.textContent(), { timeout: 20_000 }).toContain('Published');
  });

  it('changes a variant price on the variants tab, in major units', async () => {
    await page.goto(`${server.url}/admin/#/products`);
    await page
      .getByRole('row', { name: /E2E Ceramic Mug/ })
      .getByText('E2E Ceramic Mug')
      .click();
    await page.getByRole('tab', { name: 'Variants' }).click();
    const price = page.locator('input[data-field=price]').first();
    expect(await price.inputValue()).toBe('19.99');
    await price.fill('21.05');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.goto(`${server.url}/admin/#/products`);
    const row = page.getByRole('row', { name: /E2E Ceramic Mug/ });
    await expect.poll(async () => row.textContent(), { timeout: 20_000 }).toContain('€21.05');
  });

  it('uploads a PNG on the images tab and shows its thumbnail from /media', async () => {
    await page.goto(`${server.url}/admin/#/products`);
    await page
      .getByRole('row', { name: /E2E Ceramic Mug/ })
      .getByText('E2E Ceramic Mug')
      .click();
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByText('No images yet', { exact: false }).waitFor();
    const png = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    await page.getByTestId('image-file-input').setInputFiles({
      name: 'mug.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const card = page.getByTestId('product-image');
    await card.waitFor();
    expect(await card.textContent()).toContain('Primary');
    expect(await card.textContent()).toContain('640×480');
    const thumbnail = card.locator('img');
    expect(await thumbnail.getAttribute('src')).toMatch(/\/media\/[0-9a-f]{64}\.webp\?w=320$/);
    // The browser really decoded the resized image the server made (320 px wide).
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 20_000 })
      .toBe(320);
  });

  it('creates a sub-category under a parent and a promotion and a discount code', async () => {
    await page.goto(`${server.url}/admin/#/categories/create`);
    await page.getByLabel(/^Name/).fill('E2E Kitchen');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row', { name: /E2E Kitchen/ }).waitFor();

    await page.goto(`${server.url}/admin/#/categories/create`);
    await page.getByLabel(/^Name/).fill('E2E Mugs');
    await page.getByLabel(/^Parent category/).click();
    await page.getByRole('option', { name: 'E2E Kitchen' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    const child = page.getByRole('row', { name: /E2E Mugs/ });
    await child.waitFor();
    await expect.poll(async () => child.textContent(), { timeout: 20_000 }).toContain('E2E Kitchen');

    await page.goto(`${server.url}/admin/#/sales/create`);
    await page.getByLabel(/^Name/).fill('E2E Winter sale');
    await page.getByLabel(/^Discount type/).click();
    await page.getByRole('option', { name: 'Percentage' }).click();
    await page.getByLabel(/^Percent off/).fill('15');
    await page.getByLabel(/^Starts/).fill('2030-01-01T09:00');
    await page.getByRole('button', { name: 'Save' }).click();
    // The server's field error (no scope) lands under the products input.
    await page.getByText('a sale needs at least one product, variant or category').waitFor();
    await page.getByLabel('Categories').fill('E2E Kitch');
    await page.getByRole('option', { name: 'E2E Kitchen' }).click();
    // The product picker offers the catalogue (its list query must be one the server accepts).
    await page.getByLabel('Products').fill('E2E Ceramic');
    await page.getByRole('option', { name: 'E2E Ceramic Mug' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    const sale = page.getByRole('row', { name: /E2E Winter sale/ });
    await sale.waitFor();
    expect(await sale.textContent()).toContain('15 %');
    expect(await sale.textContent()).toContain('Scheduled');

    await page.goto(`${server.url}/admin/#/discount-codes/create`);
    await page.getByLabel(/^Code/).fill('E2E-TENOFF');
    await page.getByLabel(/^Discount type/).click();
    await page.getByRole('option', { name: 'Percentage' }).click();
    await page.getByLabel(/^Percent off/).fill('15');
    // Another type empties the value: 15 (%) must not become 0.15 off.
    await page.getByRole('combobox', { name: 'Discount type' }).click();
    await page.getByRole('option', { name: 'Fixed amount' }).click();
    expect(await page.getByLabel(/^Amount off/).inputValue()).toBe('');
    await page.getByLabel(/^Amount off/).fill('10');
    await page.getByLabel(/^Minimum subtotal/).fill('50');
    await page.getByLabel(/^Usage limit/).fill('100');
    await page.getByRole('button', { name: 'Save' }).click();
    const code = page.getByRole('row', { name: /E2E-TENOFF/ });
    await code.waitFor();
    expect(await code.textContent()).toContain('10.00');
    expect(await code.textContent()).toContain('0 / 100');

    // The same code again (in lower case): the server's refusal is under the code field, brought into view
    // (the Save button is below the fold of a 768 px window), not only in a passing notification.
    await page.setViewportSize({ width: 1024, height: 768 });
    try {
      await page.goto(`${server.url}/admin/#/discount-codes/create`);
      await page.getByLabel(/^Code/).fill('e2e-tenoff');
      await page.getByLabel(/^Discount type/).click();
      await page.getByRole('option', { name: 'Percentage' }).click();
      await page.getByLabel(/^Percent off/).fill('5');
      await page.getByRole('button', { name: 'Save' }).click();
      const describedBy = await page.getByLabel(/^Code/).getAttribute('aria-describedby');
      const message = page.locator(`[id="${describedBy}"]`);
      await expect.poll(() => message.textContent(), { timeout: 20_000 }).toBe('already exists');
      await expect
        .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name))
        .toBe('code');
      const box = (await message.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(768);
      expect(page.url()).toMatch(/discount-codes\/create$/);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });
});
