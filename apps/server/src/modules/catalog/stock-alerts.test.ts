import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildTestApp, staffToken, useTestApp } from '../../../test/app.ts';
import { eraseSelf, queuedMail, registerCustomer, tokenFrom } from '../../../test/identity/helpers.ts';
import { ADDRESS } from '../../../test/support/orders.ts';
import { runScheduledPurge, sql } from '../../../test/support/purge.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { brandingFrom } from '../notifications/index.ts';
import { renderTemplate } from '../notifications/templates.ts';
import { CONFIRMATIONS_PER_ADDRESS_PER_DAY, notifyRestocked, purgeStockAlerts } from './stock-alerts.ts';

/**
 * Back-in-stock alerts end to end (ADR 0052): shoppers subscribe through the store route (and confirm their
 * address with the e-mailed link), stock arrives
 * through the admin stock routes, the outbox delivers (drained here), and the e-mails are the queued rows.
 */
const { app, config, databaseUrl } = await useTestApp();
const owner = await staffToken(app);
const fx = commerceFixtures(app, owner);
const em = () => app.orm.em.fork() as EntityManager;

interface Product {
  id: string;
  slug: string;
  title: string;
  variants: { id: string; sku: string; title: string }[];
}

let ipCounter = 0;
const nextIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
/** Each call from an address of its own unless told: the route allows 10 a minute per address. */
const subscribe = (variantId: string, body?: object, options: { auth?: string; ip?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/store/variants/${variantId}/stock-alerts`,
    remoteAddress: options.ip ?? nextIp(),
    ...(options.auth ? { headers: { authorization: options.auth } } : {}),
    ...(body ? { payload: body } : {}),
  });

const confirm = (token: string) =>
  app.inject({
    method: 'POST',
    url: '/api/store/stock-alerts/confirm',
    remoteAddress: nextIp(),
    payload: { token },
  });

/** The confirmation e-mails queued (to `to` only when given), oldest first. */
const confirmationMail = async (to?: string) =>
  (await queuedMail(app, databaseUrl)).filter(
    (mail) => (mail.template as string) === 'back-in-stock-confirm' && (to === undefined || mail.to === to),
  );

/** A guest's alert, confirmed with the link of the one e-mail it brought. */
async function subscribeConfirmed(variantId: string, email: string) {
  const address = email.trim().toLowerCase();
  const before = (await confirmationMail(address)).length;
  const response = await subscribe(variantId, { email });
  expect(response.statusCode, response.body).toBe(202);
  const mails = await confirmationMail(address);
  expect(mails).toHaveLength(before + 1);
  const confirmed = await confirm(tokenFrom(mails.at(-1)!.data.confirmUrl));
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  expect(confirmed.json()).toEqual({ status: 'confirmed', variantId });
}

const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, auth = owner) =>
  app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

/** A published product whose variants have no stock at all (never received). */
async function soldOut(variants = 1): Promise<Product> {
  const created = await fx.product(
    Array.from({ length: variants }, (_, i) => 1_990 + i * 100),
    null,
  );
  return productOf(created.id);
}

async function productOf(id: string): Promise<Product> {
  const response = await admin('GET', `/api/admin/products/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Product>();
}

const alertsOf = (variantId: string) =>
  sql<{
    id: string;
    email: string;
    customer_id: string | null;
    confirmed_at: Date | null;
    notified_at: Date | null;
  }>(
    app,
    `SELECT id, email, customer_id, confirmed_at, notified_at FROM stock_alert WHERE variant_id = ?
      ORDER BY created_at, id`,
    [variantId],
  );

const backInStockMail = async () =>
  (await queuedMail(app, databaseUrl)).filter((mail) => (mail.template as string) === 'back-in-stock');

async function receive(variantId: string, quantity: number) {
  const response = await admin('POST', '/api/admin/inventory/receipts', { variantId, quantity });
  expect(response.statusCode, response.body).toBe(201);
  await app.outbox.drain();
}

describe('POST /api/store/variants/{id}/stock-alerts', () => {
  it("keeps a guest's alert pending (normalized) with one confirmation e-mail, the same 202 when asked again", async () => {
    const product = await soldOut();
    const variantId = product.variants[0]!.id;
    const first = await subscribe(variantId, { email: 'Ann.Guest@Example.TEST' });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ status: 'subscribed' });
    const again = await subscribe(variantId, { email: 'ann.guest@example.test' });
    expect(again.statusCode).toBe(202);
    expect(again.body).toBe(first.body);
    const rows = await alertsOf(variantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      email: 'ann.guest@example.test',
      customer_id: null,
      confirmed_at: null,
      notified_at: null,
    });
    // One confirmation e-mail (the second request sent none), its link's token kept only as its hash.
    const mails = await confirmationMail('ann.guest@example.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.data).toEqual({
      productTitle: product.title,
      variantTitle: product.variants[0]!.title,
      confirmUrl: expect.stringMatching(/^https?:\/\/.+\/stock-alerts\/confirm\?token=[\w-]{43}$/),
    });
    const token = tokenFrom(mails[0]!.data.confirmUrl);
    const [stored] = await sql<{ confirm_token_hash: string; confirm_sent_at: Date | null }>(
      app,
      `SELECT confirm_token_hash, confirm_sent_at FROM stock_alert WHERE variant_id = ?`,
      [variantId],
    );
    expect(stored!.confirm_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.confirm_token_hash).not.toContain(token);
    expect(stored!.confirm_sent_at).not.toBeNull();
    const rendered = renderTemplate('back-in-stock-confirm', mails[0]!.data, brandingFrom(config));
    expect(rendered.subject).toBe(
      `Confirm your back-in-stock alert for ${product.title} – ${product.variants[0]!.title}`,
    );
    expect(rendered.text).toContain(mails[0]!.data.confirmUrl);
    // Staff's Restock requests screen hears of the new (pending) alert once (live), by variant, never by address.
    const announced = await sql<{ type: string; ids: string[]; payload: unknown }>(
      app,
      `SELECT type, ids, payload FROM outbox_event WHERE resource = 'stock-alerts' AND ? = ANY(ids)`,
      [variantId],
    );
    expect(announced).toEqual([{ type: 'created', ids: [variantId], payload: null }]);
  });

  it("confirms and links a signed-in customer's alert only for their own proven address, no e-mail", async () => {
    const product = await soldOut(3);
    const [before, own, other] = product.variants.map((variant) => variant.id) as [string, string, string];
    const customer = await registerCustomer(app);
    const asCustomer = { auth: customer.auth.authorization };
    // Not verified yet: the address defaults to theirs, but the alert is left as a guest's would be.
    expect((await subscribe(before, undefined, asCustomer)).statusCode).toBe(202);
    await sql(app, `UPDATE customer SET email_verified_at = now() WHERE id = ?`, [customer.id]);
    expect((await subscribe(own, undefined, asCustomer)).statusCode).toBe(202);
    const elsewhere = await subscribe(other, { email: 'work-address@example.test' }, asCustomer);
    expect(elsewhere.statusCode, elsewhere.body).toBe(202);
    const address = customer.email.toLowerCase();
    expect(await alertsOf(before)).toEqual([
      expect.objectContaining({ email: address, customer_id: null, confirmed_at: null }),
    ]);
    expect(await alertsOf(own)).toEqual([
      expect.objectContaining({ email: address, customer_id: customer.id, confirmed_at: expect.anything() }),
    ]);
    expect(await alertsOf(other)).toEqual([
      expect.objectContaining({ email: 'work-address@example.test', customer_id: null, confirmed_at: null }),
    ]);
    // The unproven and the other address each got a confirmation e-mail; the proven one none.
    expect((await confirmationMail(address)).map((mail) => mail.data.productTitle)).toHaveLength(1);
    expect(await confirmationMail('work-address@example.test')).toHaveLength(1);

    // A pending alert their proven address left as a guest becomes theirs, confirmed, when they ask signed in.
    const [guestFirst] = (await soldOut()).variants;
    expect((await subscribe(guestFirst!.id, { email: customer.email })).statusCode).toBe(202);
    expect((await subscribe(guestFirst!.id, undefined, asCustomer)).statusCode).toBe(202);
    expect(await alertsOf(guestFirst!.id)).toEqual([
      expect.objectContaining({ email: address, customer_id: customer.id, confirmed_at: expect.anything() }),
    ]);
    const [{ hash }] = (await sql<{ hash: string | null }>(
      app,
      `SELECT confirm_token_hash AS hash FROM stock_alert WHERE variant_id = ?`,
      [guestFirst!.id],
    )) as [{ hash: string | null }];
    expect(hash).toBeNull();
  });

  it("never tells an account whether another address waits, and an unproven account's erasure leaves it", async () => {
    const product = await soldOut();
    const variantId = product.variants[0]!.id;
    expect((await subscribe(variantId, { email: 'waiting-victim@example.test' })).statusCode).toBe(202);
    const prober = await registerCustomer(app);
    await sql(app, `UPDATE customer SET email_verified_at = now() WHERE id = ?`, [prober.id]);
    for (const email of ['waiting-victim@example.test', 'nobody-waits@example.test'])
      expect((await subscribe(variantId, { email }, { auth: prober.auth.authorization })).statusCode).toBe(
        202,
      );
    const exported = await app.inject({
      method: 'GET',
      url: '/api/store/me/data-export',
      headers: prober.auth,
    });
    expect(exported.statusCode, exported.body).toBe(200);
    // Neither address is the prober's: both alerts are guests', so the export cannot differ between them.
    expect(exported.json<{ stockAlerts: unknown[] }>().stockAlerts).toEqual([]);

    // An account registered with someone's address, never verified, cannot delete their alerts by erasing itself.
    const impostor = await registerCustomer(app);
    expect((await subscribe(variantId, { email: impostor.email })).statusCode).toBe(202);
    const erased = await eraseSelf(app, impostor);
    expect(erased.statusCode, erased.body).toBe(200);
    expect((await alertsOf(variantId)).map((alert) => alert.email)).toContain(impostor.email.toLowerCase());
  });

  it("answers 401 and keeps nothing when the customer's erasure commits while their alert is being added", async () => {
    const [variant] = (await soldOut()).variants;
    const customer = await registerCustomer(app);
    await sql(app, `UPDATE customer SET email_verified_at = now() WHERE id = ?`, [customer.id]);
    // The erasure's first step, held open: the customer row locked FOR UPDATE.
    const erasure = new pg.Client({ connectionString: databaseUrl });
    await erasure.connect();
    try {
      await erasure.query('BEGIN');
      await erasure.query('SELECT id FROM customer WHERE id = $1 FOR UPDATE', [customer.id]);
      // inject() sends only once awaited: Promise.resolve starts it now.
      const pending = Promise.resolve(
        subscribe(variant!.id, undefined, { auth: customer.auth.authorization }),
      );
      await expect
        .poll(
          async () =>
            (
              await sql<{ n: number }>(
                app,
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR KEY SHARE%'`,
              )
            )[0]!.n,
          { timeout: 10_000 },
        )
        .toBe(1);
      await erasure.query('DELETE FROM auth_session WHERE subject_id = $1', [customer.id]);
      await erasure.query('DELETE FROM customer WHERE id = $1', [customer.id]);
      await erasure.query('COMMIT');
      const response = await pending;
      expect(response.statusCode, response.body).toBe(401);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_UNAUTHORIZED' });
      expect(await alertsOf(variant!.id)).toEqual([]);
    } finally {
      await erasure.end();
    }
  });

  it('refuses a variant that can be bought now: in stock, or sold out with backorders allowed (409)', async () => {
    const inStock = await fx.product([1_500], 3);
    await app.outbox.drain();
    const refused = await subscribe(inStock.variants[0]!.id, { email: 'eager@example.test' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_IN_STOCK', status: 409 });

    const backorder = await soldOut();
    const policy = await app.inject({
      method: 'PUT',
      url: `/api/admin/inventory/policies/${backorder.variants[0]!.id}`,
      headers: { authorization: owner },
      payload: { allowBackorder: true, lowStockThreshold: null },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    await app.outbox.drain();
    expect(
      (await subscribe(backorder.variants[0]!.id, { email: 'eager@example.test' })).json(),
    ).toMatchObject({
      code: 'MCART_ERR_IN_STOCK',
    });
    expect(await alertsOf(inStock.variants[0]!.id)).toEqual([]);
    expect(await alertsOf(backorder.variants[0]!.id)).toEqual([]);
  });

  it('answers 404 for an unknown variant and for one of a draft or archived product', async () => {
    const unknown = await subscribe(randomUUID(), { email: 'ann@example.test' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'MCART_ERR_VARIANT_NOT_FOUND' });

    const draft = await admin('POST', '/api/admin/products', {
      title: `Draft ${randomUUID()}`,
      status: 'draft',
      variants: [{ sku: `DRAFT-${randomUUID().slice(0, 8)}`, price: { amount: 100, currency: 'USD' } }],
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const draftVariant = draft.json<Product>().variants[0]!.id;
    expect((await subscribe(draftVariant, { email: 'ann@example.test' })).json()).toMatchObject({
      status: 404,
      code: 'MCART_ERR_VARIANT_NOT_FOUND',
    });

    const archived = await soldOut();
    await sql(app, `UPDATE product SET status = 'archived' WHERE id = ?`, [archived.id]);
    expect((await subscribe(archived.variants[0]!.id, { email: 'ann@example.test' })).statusCode).toBe(404);
    expect(await alertsOf(draftVariant)).toEqual([]);
  });

  it('answers 400 naming body/email for a bad or missing guest address', async () => {
    const variantId = (await soldOut()).variants[0]!.id;
    for (const body of [{ email: 'not-an-address' }, { email: 'ann@localhost' }, {}, undefined]) {
      const response = await subscribe(variantId, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [expect.objectContaining({ path: 'body/email' })],
      });
    }
    const long = await subscribe(variantId, { email: `${'a'.repeat(250)}@example.test` });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors).toEqual([expect.objectContaining({ path: 'body/email' })]);
    expect(await alertsOf(variantId)).toEqual([]);
  });

  it('allows 10 requests a minute per IP address, then 429', async () => {
    const variantId = (await soldOut()).variants[0]!.id;
    const ip = '10.9.9.9';
    for (let i = 0; i < 10; i++)
      expect((await subscribe(variantId, { email: `n${i}@example.test` }, { ip })).statusCode).toBe(202);
    const limited = await subscribe(variantId, { email: 'eleventh@example.test' }, { ip });
    expect(limited.statusCode).toBe(429);
    expect((await subscribe(variantId, { email: 'elsewhere@example.test' })).statusCode).toBe(202);
  });
});

describe('double opt-in (confirmation of the address)', () => {
  it('e-mails a pending alert nothing about the product; once confirmed it is told, at once if already back', async () => {
    const product = await soldOut(2);
    const [early, late] = product.variants as [Product['variants'][0], Product['variants'][0]];
    const before = (await backInStockMail()).length;
    // Left, never confirmed: the restock sends nothing and the alert keeps waiting for its confirmation.
    expect((await subscribe(early.id, { email: 'victim@example.test' })).statusCode).toBe(202);
    await receive(early.id, 3);
    expect((await backInStockMail()).length).toBe(before);
    expect(await alertsOf(early.id)).toEqual([
      expect.objectContaining({ confirmed_at: null, notified_at: null }),
    ]);
    // Confirmed before the restock: e-mailed when it comes.
    await subscribeConfirmed(late.id, 'keen@example.test');
    await receive(late.id, 1);
    expect((await backInStockMail()).slice(before).map((mail) => mail.to)).toEqual(['keen@example.test']);
    // The first address confirms after its variant came back: the confirmation brings the e-mail at once.
    const [mail] = await confirmationMail('victim@example.test');
    const confirmed = await confirm(tokenFrom(mail!.data.confirmUrl));
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ status: 'confirmed', variantId: early.id });
    await app.outbox.drain();
    const sent = (await backInStockMail()).slice(before);
    expect(sent.map((m) => m.to)).toEqual(['keen@example.test', 'victim@example.test']);
    expect(sent[1]!.data).toMatchObject({ productTitle: product.title, variantTitle: early.title });
    expect((await alertsOf(early.id))[0]!.notified_at).not.toBeNull();
  });

  it(`sends one address at most ${CONFIRMATIONS_PER_ADDRESS_PER_DAY} confirmations a day, answering the same either way`, async () => {
    const product = await soldOut(6);
    const target = 'Mail-Bomb-Target@example.test';
    const address = target.toLowerCase();
    const answers = new Set<string>();
    for (const variant of product.variants) {
      const response = await subscribe(variant.id, { email: target });
      expect(response.statusCode).toBe(202);
      answers.add(response.body);
    }
    // Again for the first: it has a pending alert, no second e-mail.
    answers.add((await subscribe(product.variants[0]!.id, { email: target })).body);
    expect([...answers]).toEqual([JSON.stringify({ status: 'subscribed' })]);
    const mails = await confirmationMail(address);
    expect(mails).toHaveLength(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
    // Past the limit nothing is kept either (no alert that could never be confirmed).
    const stored = await sql<{ n: number }>(
      app,
      `SELECT count(*)::int AS n FROM stock_alert WHERE email = ?`,
      [address],
    );
    expect(stored[0]!.n).toBe(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
    // Another address is not held up; nor this one a day later.
    expect((await subscribe(product.variants[5]!.id, { email: 'bystander@example.test' })).statusCode).toBe(
      202,
    );
    expect(await confirmationMail('bystander@example.test')).toHaveLength(1);
    await sql(
      app,
      `UPDATE stock_alert SET confirm_sent_at = confirm_sent_at - interval '25 hours' WHERE email = ?`,
      [address],
    );
    expect((await subscribe(product.variants[5]!.id, { email: target })).statusCode).toBe(202);
    expect(await confirmationMail(address)).toHaveLength(CONFIRMATIONS_PER_ADDRESS_PER_DAY + 1);
  });

  it('holds to the limit when requests for one address arrive together', async () => {
    const product = await soldOut(8);
    const responses = await Promise.all(
      product.variants.map((variant) => subscribe(variant.id, { email: 'together@example.test' })),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(product.variants.map(() => 202));
    expect(await confirmationMail('together@example.test')).toHaveLength(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
  });
});

describe('the back-in-stock e-mail', () => {
  it('names a product whose title is only spaces by its SKU, and holds up no other variant', async () => {
    // Such titles are refused now (400 on body/title); one saved before still gets its e-mail.
    const blank = await admin('POST', '/api/admin/products', {
      title: ' \u00a0\u3000',
      status: 'active',
      variants: [{ sku: `BLANK-${Date.now()}`, price: { amount: 1_000, currency: 'USD' } }],
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([{ path: 'body/title', message: 'must not be blank' }]);
    const twoLines = await admin('POST', '/api/admin/products', {
      title: 'Lamp\r\nURGENT: call us',
      status: 'active',
      variants: [{ sku: `LINES-${Date.now()}`, price: { amount: 1_000, currency: 'USD' } }],
    });
    expect(twoLines.statusCode).toBe(400);
    expect(twoLines.json().errors).toEqual([
      { path: 'body/title', message: 'must not hold line breaks, tabs or other control characters' },
    ]);
    const [untitled, other] = [await soldOut(), await soldOut()];
    await sql(app, `UPDATE product SET title = '   ' WHERE id = ?`, [untitled.id]);
    await subscribeConfirmed(untitled.variants[0]!.id, 'untitled@example.test');
    expect((await confirmationMail('untitled@example.test'))[0]!.data.productTitle).toBe(
      untitled.variants[0]!.sku,
    );
    await subscribeConfirmed(other.variants[0]!.id, 'other@example.test');
    await receive(untitled.variants[0]!.id, 1);
    await receive(other.variants[0]!.id, 1);
    const sent = await backInStockMail();
    expect(sent.find((mail) => mail.to === 'untitled@example.test')?.data).toMatchObject({
      productTitle: untitled.variants[0]!.sku,
    });
    expect(sent.map((mail) => mail.to)).toContain('other@example.test');
  });

  it('goes once to each confirmed address when stock arrives, with the product and its price now', async () => {
    const product = await soldOut();
    const variant = product.variants[0]!;
    const customer = await registerCustomer(app);
    await sql(app, `UPDATE customer SET email_verified_at = now() WHERE id = ?`, [customer.id]);
    const before = (await backInStockMail()).length;
    for (const email of ['first@example.test', 'second@example.test'])
      await subscribeConfirmed(variant.id, email);
    // Never confirmed: never e-mailed about the product.
    expect((await subscribe(variant.id, { email: 'never-confirmed@example.test' })).statusCode).toBe(202);
    expect((await subscribe(variant.id, undefined, { auth: customer.auth.authorization })).statusCode).toBe(
      202,
    );
    await fx.setPrice(product.id, variant.id, 2_490);

    await receive(variant.id, 5);

    const sent = (await backInStockMail()).slice(before);
    expect(sent.map((mail) => mail.to).sort()).toEqual(
      ['first@example.test', 'second@example.test', customer.email.toLowerCase()].sort(),
    );
    const productUrl = `${config.publicUrl}/products/${product.slug}`;
    for (const mail of sent)
      expect(mail.data).toEqual({
        productTitle: product.title,
        variantTitle: variant.title,
        price: 2_490,
        regularPrice: 2_490,
        currency: 'USD',
        productUrl,
      });
    const rendered = renderTemplate('back-in-stock', sent[0]!.data, brandingFrom(config));
    expect(rendered.subject).toBe(`${product.title} – ${variant.title} is back in stock`);
    expect(rendered.text).toContain('Price: $24.90');
    expect(rendered.text).toContain(`See the product: ${productUrl}`);
    const alerts = (await alertsOf(variant.id)).filter((alert) => alert.confirmed_at !== null);
    expect(alerts).toHaveLength(3);
    expect(alerts.every((alert) => alert.notified_at !== null)).toBe(true);
    expect(
      (await alertsOf(variant.id)).find((alert) => alert.email === 'never-confirmed@example.test'),
    ).toMatchObject({ confirmed_at: null, notified_at: null });
    const keys = await sql<{ dedupe_key: string }>(
      app,
      `SELECT dedupe_key FROM outgoing_mail WHERE dedupe_key = ANY(?::text[]) ORDER BY dedupe_key`,
      [`{${alerts.map((alert) => `stock-alert:${alert.id}`).join(',')}}`],
    );
    expect(keys).toHaveLength(3);

    // More stock, the same event replayed: nothing more.
    await receive(variant.id, 5);
    await em().transactional((tx) =>
      notifyRestocked(tx, app.mailer, [variant.id], (slug) => `${config.publicUrl}/products/${slug}`, 'USD'),
    );
    expect((await backInStockMail()).length).toBe(before + 3);

    // Sold out and back again: only an address that subscribed meanwhile is told.
    const sold = await admin('POST', '/api/admin/inventory/adjustments', {
      variantId: variant.id,
      delta: -10,
      reason: 'sold elsewhere',
    });
    expect(sold.statusCode, sold.body).toBe(201);
    await app.outbox.drain();
    await subscribeConfirmed(variant.id, 'first@example.test');
    await receive(variant.id, 1);
    const after = (await backInStockMail()).slice(before + 3);
    expect(after.map((mail) => mail.to)).toEqual(['first@example.test']);
  });

  it('is not sent for a variant that came back while its product is not published', async () => {
    const product = await soldOut();
    const variantId = product.variants[0]!.id;
    await subscribeConfirmed(variantId, 'patient@example.test');
    await sql(app, `UPDATE product SET status = 'archived' WHERE id = ?`, [product.id]);
    const before = (await backInStockMail()).length;
    await receive(variantId, 2);
    expect((await backInStockMail()).length).toBe(before);
    expect((await alertsOf(variantId))[0]!.notified_at).toBeNull();
  });

  it('sends a long waiting list in batches, each in a transaction of its own, every address once', async () => {
    const product = await fx.product([990], 10);
    await app.outbox.drain();
    const variantId = product.variants[0]!.id;
    // Alerts left while it was sold out (the route refuses them now that it is in stock).
    for (let i = 0; i < 5; i++)
      await sql(
        app,
        `INSERT INTO stock_alert (variant_id, email, created_at, confirmed_at)
         VALUES (?, ?, now() - ?::interval, now())`,
        [variantId, `queue${i}@example.test`, `${10 - i} minutes`],
      );
    const before = (await backInStockMail()).length;
    const handled = await em().transactional((tx) =>
      notifyRestocked(
        tx,
        app.mailer,
        [variantId],
        (slug) => `${config.publicUrl}/products/${slug}`,
        'USD',
        2,
      ),
    );
    expect(handled).toBe(2);
    const [continued] = await sql<{ n: number }>(
      app,
      `SELECT count(*)::int AS n FROM outbox_event WHERE resource = 'stock-alerts' AND type = 'updated' AND ? = ANY(ids)`,
      [variantId],
    );
    expect(continued!.n).toBe(1);
    // The consumer picks the variant up again from that event (it may already have: the event is committed).
    await app.outbox.drain();
    expect(
      (await backInStockMail())
        .slice(before)
        .map((mail) => mail.to)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4].map((i) => `queue${i}@example.test`));
    // Two transactions: the oldest two first, the other three later.
    const notified = (await alertsOf(variantId)).map((alert) => new Date(alert.notified_at!).getTime());
    expect(notified[0]).toBe(notified[1]);
    expect(new Set(notified.slice(2)).size).toBe(1);
    expect(notified[2]).toBeGreaterThan(notified[1]!);
  });

  it('a checkout that leaves the variant in stock (no alert waiting) sends nothing and wakes nothing', async () => {
    const product = await fx.product([1_200], 20);
    await app.outbox.drain();
    const variantId = product.variants[0]!.id;
    const before = (await backInStockMail()).length;
    const [{ last }] = (await sql<{ last: string }>(
      app,
      `SELECT COALESCE(max(id), 0)::text AS last FROM outbox_event`,
    )) as [{ last: string }];
    const cartId = await fx.cart();
    expect((await fx.add(cartId, variantId, 2)).statusCode).toBe(200);
    const placed = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'buyer@example.test',
        shippingAddress: ADDRESS,
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    await app.outbox.drain();
    expect((await backInStockMail()).length).toBe(before);
    // Inventory's events came and went; the variant never went out of stock, so no catalog_stock event
    // reached the alerts consumer.
    const events = await sql<{ resource: string }>(
      app,
      `SELECT DISTINCT resource FROM outbox_event WHERE id > ?::bigint AND ? = ANY(ids)`,
      [last, variantId],
    );
    expect(events.map((event) => event.resource)).toContain('inventory');
    expect(events.map((event) => event.resource)).not.toContain('catalog_stock');
  });
});

describe('retention and data rights', () => {
  /** A confirmed alert (a pending one with `confirmed: false`) left `createdDaysAgo` days ago. */
  async function alertAged(
    variantId: string,
    email: string,
    createdDaysAgo: number,
    notifiedDaysAgo?: number,
    confirmed = true,
  ) {
    const [row] = await sql<{ id: string }>(
      app,
      `INSERT INTO stock_alert (variant_id, email, created_at, confirmed_at, notified_at)
       VALUES (?, ?, now() - make_interval(secs => ? * 86400), CASE WHEN ? THEN now() - make_interval(secs => ? * 86400) END,
               CASE WHEN ?::int IS NULL THEN NULL ELSE now() - make_interval(days => ?::int) END)
       RETURNING id`,
      [
        variantId,
        email,
        createdDaysAgo,
        confirmed,
        createdDaysAgo,
        notifiedDaysAgo ?? null,
        notifiedDaysAgo ?? null,
      ],
    );
    return row!.id;
  }

  it('deletes pending alerts 48 hours after they were asked for, and their link stops working then', async () => {
    const variantId = (await soldOut()).variants[0]!.id;
    expect((await subscribe(variantId, { email: 'slow-reader@example.test' })).statusCode).toBe(202);
    const [mail] = await confirmationMail('slow-reader@example.test');
    // 49 hours later: the link is refused (problem+json with a stable code), the purge deletes the alert.
    await sql(app, `UPDATE stock_alert SET created_at = now() - interval '49 hours' WHERE variant_id = ?`, [
      variantId,
    ]);
    const late = await confirm(tokenFrom(mail!.data.confirmUrl));
    expect(late.statusCode).toBe(400);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.json()).toMatchObject({
      status: 400,
      code: 'MCART_ERR_INVALID_TOKEN',
      errors: [{ path: 'body/token', message: expect.any(String) }],
    });
    const young = await alertAged(variantId, 'young-pending@example.test', 47 / 24, undefined, false);
    const old = await alertAged(variantId, 'old-pending@example.test', 49 / 24, undefined, false);
    const confirmedOld = await alertAged(variantId, 'confirmed-old@example.test', 49 / 24);
    expect(await purgeStockAlerts(em())).toBeGreaterThanOrEqual(2);
    const left = (await alertsOf(variantId)).map((alert) => alert.id);
    expect(left.sort()).toEqual([young, confirmedOld].sort());
    expect(left).not.toContain(old);
    // Asking again once it expired: a new pending alert and a new e-mail.
    expect((await subscribe(variantId, { email: 'slow-reader@example.test' })).statusCode).toBe(202);
    expect(await confirmationMail('slow-reader@example.test')).toHaveLength(2);
  });

  it('answers 400 MCART_ERR_INVALID_TOKEN for an unknown or used link; the used one changes nothing', async () => {
    for (const token of ['not-a-token', 'x'.repeat(43)]) {
      const response = await confirm(token);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_INVALID_TOKEN' });
    }
    const empty = await confirm('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    const variantId = (await soldOut()).variants[0]!.id;
    expect((await subscribe(variantId, { email: 'twice@example.test' })).statusCode).toBe(202);
    const token = tokenFrom((await confirmationMail('twice@example.test'))[0]!.data.confirmUrl);
    expect((await confirm(token)).statusCode).toBe(200);
    const [first] = await alertsOf(variantId);
    const again = await confirm(token);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'MCART_ERR_INVALID_TOKEN' });
    expect(await alertsOf(variantId)).toEqual([first]);
  });

  it('deletes alerts sent 30 days ago and waiting ones left 180 days ago; keeps the others', async () => {
    const variantId = (await soldOut()).variants[0]!.id;
    const gone = [
      await alertAged(variantId, 'sent-long-ago@example.test', 60, 31),
      await alertAged(variantId, 'waited-too-long@example.test', 181),
    ];
    const kept = [
      await alertAged(variantId, 'sent-lately@example.test', 60, 29),
      await alertAged(variantId, 'still-waiting@example.test', 179),
    ];
    expect(await purgeStockAlerts(em())).toBeGreaterThanOrEqual(2);
    const left = (await alertsOf(variantId)).map((alert) => alert.id).sort();
    expect(left).toEqual([...kept].sort());
    expect(left).not.toContain(gone[0]);
    // Batches: one statement each until one comes back short.
    await alertAged(variantId, 'a@example.test', 200);
    await alertAged(variantId, 'b@example.test', 200);
    await alertAged(variantId, 'c@example.test', 90, 40);
    expect(await purgeStockAlerts(em(), 30, 180, 2)).toBe(3);
    expect((await alertsOf(variantId)).map((alert) => alert.id).sort()).toEqual([...kept].sort());
  });

  it('the stock-alerts.purge job is scheduled hourly and purges', async () => {
    const jobs = await buildTestApp({ MCART_JOBS: 'on' });
    try {
      await jobs.app.ready();
      const staff = await staffToken(jobs.app);
      const created = await commerceFixtures(jobs.app, staff).product([500], null);
      const variantId = created.variants[0]!.id;
      await sql(
        jobs.app,
        `INSERT INTO stock_alert (variant_id, email, created_at) VALUES (?, 'old@example.test', now() - interval '200 days'),
                (?, 'new@example.test', now())`,
        [variantId, variantId],
      );
      await runScheduledPurge(jobs.app, 'stock-alerts.purge', '47 * * * *');
      const left = await sql<{ email: string }>(jobs.app, `SELECT email FROM stock_alert`);
      expect(left).toEqual([{ email: 'new@example.test' }]);
    } finally {
      await jobs.close();
    }
  }, 60_000);

  it("the customer's export lists their alerts, pending or confirmed; erasure deletes them, and those left with their address", async () => {
    const product = await soldOut(3);
    const [mine, asGuest, later] = product.variants.map((variant) => variant.id) as [string, string, string];
    const customer = await registerCustomer(app);
    const address = customer.email.toLowerCase();
    // Left as a guest with the same address, before signing in; and someone else's on the same variant.
    expect((await subscribe(asGuest, { email: customer.email })).statusCode).toBe(202);
    expect((await subscribe(asGuest, { email: 'someone-else@example.test' })).statusCode).toBe(202);
    expect((await subscribe(mine, undefined, { auth: customer.auth.authorization })).statusCode).toBe(202);

    const exported = async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/api/store/me/data-export',
        headers: customer.auth,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ stockAlerts: Record<string, unknown>[] }>().stockAlerts;
    };
    const linked = {
      variantId: mine,
      sku: product.variants[0]!.sku,
      productTitle: product.title,
      variantTitle: product.variants[0]!.title,
      email: address,
      createdAt: expect.any(String),
      confirmedAt: null,
      notifiedAt: null,
    };
    // The address is not proven theirs yet: nothing (the alert they left signed in is not linked either).
    expect(await exported()).toEqual([]);
    await sql(app, `UPDATE customer SET email_verified_at = now() WHERE id = ?`, [customer.id]);
    expect(await exported()).toEqual([
      {
        ...linked,
        variantId: asGuest,
        sku: product.variants[1]!.sku,
        variantTitle: product.variants[1]!.title,
      },
      linked,
    ]);
    // Signed in with the proven address: confirmed at once, and the export says when.
    expect((await subscribe(later, undefined, { auth: customer.auth.authorization })).statusCode).toBe(202);
    expect((await exported()).at(-1)).toEqual({
      ...linked,
      variantId: later,
      sku: product.variants[2]!.sku,
      variantTitle: product.variants[2]!.title,
      confirmedAt: expect.any(String),
    });

    const erased = await eraseSelf(app, customer);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await alertsOf(mine)).toEqual([]);
    expect(await alertsOf(later)).toEqual([]);
    expect((await alertsOf(asGuest)).map((alert) => alert.email)).toEqual(['someone-else@example.test']);
  });
});

describe('GET /api/admin/stock-alerts', () => {
  it('lists per variant how many wait (confirmed) and how many are pending, most wanted first, without addresses', async () => {
    await sql(app, `DELETE FROM stock_alert WHERE notified_at IS NULL`);
    const product = await soldOut(3);
    const [few, many, sent] = product.variants as [
      Product['variants'][0],
      Product['variants'][0],
      Product['variants'][0],
    ];
    for (const email of ['x1@example.test']) await subscribeConfirmed(few.id, email);
    for (const email of ['y1@example.test', 'y2@example.test', 'y3@example.test'])
      await subscribeConfirmed(many.id, email);
    // Pending: counted apart; an expired pending one (not purged yet) not at all.
    for (const email of ['z1@example.test', 'z2@example.test'])
      expect((await subscribe(few.id, { email })).statusCode).toBe(202);
    await sql(
      app,
      `INSERT INTO stock_alert (variant_id, email, created_at) VALUES (?, 'expired@example.test', now() - interval '3 days')`,
      [many.id],
    );
    await sql(
      app,
      `INSERT INTO stock_alert (variant_id, email, notified_at) VALUES (?, 'told@example.test', now())`,
      [sent.id],
    );

    const response = await admin('GET', '/api/admin/stock-alerts?page=1&perPage=25');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ data: Record<string, unknown>[]; total: number }>();
    expect(body.total).toBe(2);
    expect(body.data).toEqual([
      {
        id: many.id,
        variantId: many.id,
        productId: product.id,
        sku: many.sku,
        productTitle: product.title,
        variantTitle: many.title,
        waiting: 3,
        pending: 0,
        oldestAt: expect.any(String),
      },
      expect.objectContaining({ id: few.id, waiting: 1, pending: 2 }),
    ]);
    expect(response.body).not.toContain('@');

    const second = await admin('GET', '/api/admin/stock-alerts?page=2&perPage=1');
    expect(second.json()).toEqual({ data: [expect.objectContaining({ id: few.id })], total: 2 });
    const ascending = await admin('GET', '/api/admin/stock-alerts?sort=waiting&order=ASC');
    expect(ascending.json<{ data: { id: string }[] }>().data.map((row) => row.id)).toEqual([few.id, many.id]);
    const byPending = await admin('GET', '/api/admin/stock-alerts?sort=pending&order=DESC');
    expect(byPending.json<{ data: { id: string }[] }>().data.map((row) => row.id)).toEqual([few.id, many.id]);

    // A deleted variant will never be restocked: it leaves the list (its alerts wait for the purge).
    const deleted = await admin('DELETE', `/api/admin/products/${product.id}/variants/${few.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await admin('GET', '/api/admin/stock-alerts')).json()).toEqual({
      data: [expect.objectContaining({ id: many.id })],
      total: 1,
    });
  });

  it('is for staff with inventory:read: a customer token or none is refused', async () => {
    const customer = await registerCustomer(app);
    const asCustomer = await app.inject({
      method: 'GET',
      url: '/api/admin/stock-alerts',
      headers: customer.auth,
    });
    expect(asCustomer.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/admin/stock-alerts' })).statusCode).toBe(401);
    // Every staff role reads inventory (identity/permissions.ts): support, the narrowest, is let in.
    const credentials = { email: 'alerts-support@mcart.test', password: 'a support passphrase for alerts' };
    const created = await admin('POST', '/api/admin/staff', {
      ...credentials,
      role: 'support',
      firstName: 'S',
      lastName: 'Upport',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(
      (await admin('GET', '/api/admin/stock-alerts', undefined, await staffToken(app, credentials)))
        .statusCode,
    ).toBe(200);
  });
});
