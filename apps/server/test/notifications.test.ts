import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { decodeQuotedPrintable, startSmtpServer } from './support/smtp.ts';
import { ADDRESS, orderFixtures } from './support/orders.ts';
import { renderTemplate, TemplateDataError } from '../src/modules/notifications/templates.ts';
import { brandingFrom } from '../src/modules/notifications/index.ts';
import { recordChange } from '../src/platform/outbox.ts';
import { smtpTransport } from '../src/modules/notifications/transport.ts';
import { formatMoney } from '../src/platform/money.ts';

const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const { app, config } = await useTestApp({
  SMTP_URL: smtp.url,
  MAIL_FROM: 'Corner Shop <shop@corner.test>',
  STORE_NAME: 'Corner Shop',
  STORE_LOGO_URL: 'https://cdn.corner.test/logo.png',
  STORE_PRIMARY_COLOR: '#112233',
});

const em = () => app.orm.em.fork() as EntityManager;
const fixtures = orderFixtures(app, config, await staffToken(app));
const rowsFor = (key: string) =>
  em().execute<{ id: string; status: string; attempts: number; last_error: string | null }[]>(
    `SELECT id, status, attempts, last_error FROM outgoing_mail WHERE dedupe_key = ?`,
    [key],
  );

describe('mailer.queue', () => {
  it('writes the e-mail in the caller transaction: nothing when the cause rolls back', async () => {
    await em()
      .transactional(async (tx) => {
        app.mailer.queue(tx, {
          template: 'password-reset',
          to: 'ann@example.test',
          data: { resetUrl: 'https://shop.test/r/1' },
          dedupeKey: 'rb-1',
        });
        await tx.flush();
        throw new Error('the cause failed');
      })
      .catch(() => {});
    expect(await rowsFor('rb-1')).toEqual([]);

    await em().transactional(async (tx) => {
      app.mailer.queue(tx, {
        template: 'password-reset',
        to: 'ann@example.test',
        data: { resetUrl: 'https://shop.test/r/2' },
        dedupeKey: 'ok-1',
      });
    });
    expect(await rowsFor('ok-1')).toMatchObject([{ status: 'pending', attempts: 0 }]);
  });

  it('refuses data the template cannot render and addresses that are not e-mail, in the caller', () => {
    const tx = em();
    expect(() =>
      app.mailer.queue(tx, { template: 'password-reset', to: 'ann@example.test', data: {} }),
    ).toThrow(TemplateDataError);
    expect(() =>
      app.mailer.queue(tx, {
        template: 'password-reset',
        to: 'ann@example.test',
        data: { resetUrl: 'javascript:alert(1)' },
      }),
    ).toThrow(/resetUrl/);
    expect(() =>
      app.mailer.queue(tx, { template: 'no-such-template', to: 'ann@example.test', data: {} }),
    ).toThrow(TemplateDataError);
    expect(() =>
      app.mailer.queue(tx, {
        template: 'verify-email',
        to: 'not-an-address',
        data: { verifyUrl: 'https://x.test' },
      }),
    ).toThrow(TypeError);
  });

  it('takes one address only: a list in disguise ("root,evil@…") is refused, and a transport sends to exactly one', async () => {
    for (const to of ['root,evil@example.test', 'a;evil@example.test', 'Ann <evil@example.test>']) {
      expect(() =>
        app.mailer.queue(em(), { template: 'verify-email', to, data: { verifyUrl: 'https://x.test' } }),
      ).toThrow(TypeError);
      expect(
        await app.mailer.queueOnce(em(), {
          template: 'verify-email',
          to,
          data: { verifyUrl: 'https://x.test' },
          dedupeKey: `list-${to}`,
        }),
      ).toBe(false);
    }
    // The transport itself never reads the address as a list (it was sent to evil@example.test).
    const before = smtp.received.length;
    await smtpTransport(smtp.url).send({
      id: randomUUID(),
      from: 'shop@corner.test',
      to: 'root,evil@example.test',
      subject: 'One recipient',
      html: '<p>x</p>',
      text: 'x',
      template: 'verify-email',
    });
    const sent = smtp.received.slice(before);
    expect(sent.map((mail) => mail.to)).toEqual([['"root,evil"@example.test']]);
  });
});

describe('sending over SMTP', () => {
  it('sends each e-mail once with HTML and plain-text parts, even when sending runs twice', async () => {
    await em().transactional(async (tx) => {
      app.mailer.queue(tx, {
        template: 'verify-email',
        to: 'bob@example.test',
        data: { verifyUrl: 'https://shop.test/verify?token=abc' },
        dedupeKey: 'verify-bob',
      });
    });
    const [row] = await rowsFor('verify-bob');
    const before = smtp.received.length;
    expect(await app.mailer.send(em(), row!.id)).toBe('sent');
    expect(await app.mailer.send(em(), row!.id)).toBe('skipped');
    expect(await app.mailer.sendPending(em())).toBeGreaterThanOrEqual(0);
    const mine = smtp.received.slice(before).filter((m) => m.to.includes('bob@example.test'));
    expect(mine).toHaveLength(1);
    const message = decodeQuotedPrintable(mine[0]!.raw);
    expect(mine[0]!.from).toBe('shop@corner.test');
    expect(message).toContain('Subject: Confirm your e-mail address for Corner Shop');
    expect(message).toContain('Content-Type: text/plain');
    expect(message).toContain('Content-Type: text/html');
    expect(message).toContain('https://shop.test/verify?token=abc');
    expect(message).toContain('https://cdn.corner.test/logo.png');
    expect(message).toContain('#112233');
    expect((await rowsFor('verify-bob'))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps a refused e-mail queued with the error, and sends it on the next attempt', async () => {
    await em().transactional(async (tx) => {
      app.mailer.queue(tx, {
        template: 'password-reset',
        to: 'cy@example.test',
        data: { resetUrl: 'https://shop.test/r/cy' },
        dedupeKey: 'reset-cy',
      });
    });
    const [row] = await rowsFor('reset-cy');
    smtp.rejectNext();
    await expect(app.mailer.send(em(), row!.id)).rejects.toThrow();
    expect((await rowsFor('reset-cy'))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await rowsFor('reset-cy'))[0]!.last_error).toMatch(/busy/);
    expect(await app.mailer.send(em(), row!.id)).toBe('sent');
    expect(smtp.received.filter((m) => m.to.includes('cy@example.test'))).toHaveLength(1);
  });

  it('dedupes causes seen twice (queueOnce) without failing the transaction', async () => {
    const data = { orderNumber: 'MC-1001', customerName: 'Dee' };
    const first = await em().transactional((tx) =>
      app.mailer.queueOnce(tx, {
        template: 'order-cancelled',
        to: 'dee@example.test',
        data,
        dedupeKey: 'event:1:x',
      }),
    );
    const second = await em().transactional((tx) =>
      app.mailer.queueOnce(tx, {
        template: 'order-cancelled',
        to: 'dee@example.test',
        data,
        dedupeKey: 'event:1:x',
      }),
    );
    expect([first, second]).toEqual([true, false]);
    expect(await rowsFor('event:1:x')).toHaveLength(1);
  });

  it("queues nothing for a reserved .invalid address (an erased customer's placeholder): it could only fail", async () => {
    const to = 'erased-0b9e@erased.invalid';
    const once = await em().transactional((tx) =>
      app.mailer.queueOnce(tx, {
        template: 'order-cancelled',
        to,
        data: { orderNumber: 'MC-9' },
        dedupeKey: 'inv-1',
      }),
    );
    await em().transactional(async (tx) => {
      app.mailer.queue(tx, {
        template: 'order-cancelled',
        to,
        data: { orderNumber: 'MC-9' },
        dedupeKey: 'inv-2',
      });
    });
    expect(once).toBe(false);
    expect([...(await rowsFor('inv-1')), ...(await rowsFor('inv-2'))]).toEqual([]);
  });
});

describe('customer e-mails from order and shipment events', () => {
  let product: Awaited<ReturnType<typeof fixtures.product>>;
  const subjects = (to: string) =>
    smtp.received
      .filter((m) => m.to.includes(to))
      .map((m) => /^Subject: (.*)$/m.exec(decodeQuotedPrintable(m.raw))?.[1]);
  /** Consumers and sending, until `done` or a good many rounds (an e-mail held back never comes). */
  const deliverUntil = async (done: () => boolean) => {
    for (let round = 0; round < 20 && !done(); round++) {
      await app.outbox.drain();
      await app.mailer.sendPending(em());
    }
  };

  it('sends the next customers their e-mails after an order whose address the mailer cannot take', async () => {
    product = await fixtures.product([{ weightGrams: 400 }]);
    // Checkout's e-mail format takes an address without a dot in its domain; the mailer does not. Its
    // confirmation used to fail the notifications consumer on that event again and again: nobody got mail.
    const unmailable = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'ann@localhost',
    });
    expect(unmailable.status).toBe('paid');
    const next = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'next@example.test',
    });
    await deliverUntil(() => subjects('next@example.test').includes(`Order ${next.number} confirmed`));
    expect(subjects('next@example.test')).toContain(`Order ${next.number} confirmed`);
    expect(smtp.received.filter((m) => m.to.includes('ann@localhost'))).toEqual([]);
    // Such an address is stored data from before (the fixture checks out without the HTTP schema): checkout
    // now refuses it, naming the field.
    const cart = (await app.inject({ method: 'POST', url: '/api/store/carts' })).json<{ id: string }>();
    await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cart.id}/items`,
      payload: { variantId: product.variants[0]!.id, quantity: 1 },
    });
    const refused = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cart.id}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'ann@localhost',
        shippingAddress: ADDRESS,
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [expect.objectContaining({ path: 'body/email' })],
    });
  });

  it('confirms an order with what was charged: subtotal, shipping, tax and total, in the order currency', async () => {
    // The confirmation listed the lines only: the shopper's receipt said nothing of shipping, tax or the total.
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 2 }], {
      email: 'totals@example.test',
    });
    await deliverUntil(() => subjects('totals@example.test').includes(`Order ${placed.number} confirmed`));
    const [order] = await em().execute<
      { currency: string; subtotal: number; shipping_total: number; tax_total: number; total: number }[]
    >(`SELECT currency, subtotal, shipping_total, tax_total, total FROM orders WHERE number = ?`, [
      placed.number,
    ]);
    const text = smtp.received
      .filter((m) => m.to.includes('totals@example.test'))
      .map((m) => decodeQuotedPrintable(m.raw))
      .find((raw) => raw.includes(`Subject: Order ${placed.number} confirmed`))!;
    const shown = (amount: number) => formatMoney(Number(amount), order!.currency);
    expect(Number(order!.total)).toBeGreaterThan(0);
    expect(text).toContain(`Subtotal: ${shown(order!.subtotal)}`);
    expect(text).toContain(`Shipping: ${shown(order!.shipping_total)}`);
    expect(text).toMatch(new RegExp(`Tax( included)?: ${shown(order!.tax_total).replace(/[$.]/g, '\\$&')}`));
    expect(text).toContain(`Total: ${shown(order!.total)}`);
  });

  it('e-mails a parcel without a tracking link without the link, and goes on past an event no template can render', async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'parcel@example.test',
    });
    const shipped = (trackingNumber: string | undefined, trackingUrl: string) => ({
      resource: 'shipments',
      ids: [randomUUID()],
      type: 'updated' as const,
      payload: {
        event: 'shipped',
        orderId: placed.id,
        number: placed.number,
        carrier: 'MCart Post',
        trackingNumber,
        trackingUrl,
      },
    });
    await em().transactional(async (tx) => {
      // A carrier that gave a blank link, or a SHIPPING_TRACKING_URL written without its scheme.
      recordChange(tx, shipped('RR000000015US', ''));
      recordChange(tx, shipped('RR000000029US', 'track.example.test/RR000000029US'));
      // Data the template refuses (no tracking number): before, it stopped every later e-mail.
      recordChange(tx, shipped(undefined, 'https://shop.test/track/x'));
      recordChange(tx, shipped('RR000000032US', 'https://shop.test/track/RR000000032US'));
    });
    const parcelMails = () =>
      smtp.received
        .filter((m) => m.to.includes('parcel@example.test') && m.raw.includes('has shipped'))
        .map((m) => decodeQuotedPrintable(m.raw));
    await deliverUntil(() => parcelMails().length >= 3);
    const mails = parcelMails();
    expect(mails).toHaveLength(3);
    const about = (number: string) => mails.find((m) => m.includes(number))!;
    expect(about('RR000000015US')).not.toContain('Track your parcel');
    expect(about('RR000000029US')).not.toContain('track.example.test');
    expect(about('RR000000032US')).toContain('Track your parcel: https://shop.test/track/RR000000032US');
  });
});

describe('templates', () => {
  const brand = () => brandingFrom(config);

  it('renders every customer e-mail with both parts and the store branding', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'order-confirmation',
        { orderNumber: 'MC-1', lines: [{ title: 'Mug', quantity: 2, unitPrice: 1250 }] },
        'Order MC-1 confirmed',
      ],
      ['payment-failed', { orderNumber: 'MC-1' }, 'Payment for order MC-1 did not go through'],
      [
        'order-shipped',
        {
          orderNumber: 'MC-1',
          carrier: 'MCart Post',
          trackingNumber: 'RR123456785US',
          trackingUrl: 'https://t.test/RR123456785US',
        },
        'Order MC-1 has shipped',
      ],
      [
        'order-delivered',
        { orderNumber: 'MC-1', trackingNumber: 'RR123456785US' },
        'Order MC-1 was delivered',
      ],
      ['order-cancelled', { orderNumber: 'MC-1' }, 'Order MC-1 was cancelled'],
      ['refund-issued', { orderNumber: 'MC-1', amount: 2500, currency: 'USD' }, 'Refund for order MC-1'],
      ['password-reset', { resetUrl: 'https://x.test/r' }, 'Reset your Corner Shop password'],
      ['verify-email', { verifyUrl: 'https://x.test/v' }, 'Confirm your e-mail address for Corner Shop'],
      ['account-erased', { firstName: 'Ada' }, 'Your Corner Shop account was deleted'],
    ];
    for (const [template, data, subject] of cases) {
      const mail = renderTemplate(template, data, brand());
      expect(mail.subject).toBe(subject);
      expect(mail.html).toContain('<!doctype html>');
      expect(mail.text).toContain('1 Market Street');
      expect(mail.text).toContain('Springfield, IL 62701');
    }
    const confirmation = renderTemplate('order-confirmation', cases[0]![1], brand());
    expect(confirmation.text).toContain('- Mug x 2  $25.00');
    const refund = renderTemplate('refund-issued', cases[5]![1], brand());
    expect(refund.text).toContain('$25.00');
    const shipped = renderTemplate('order-shipped', cases[2]![1], brand());
    expect(shipped.text).toContain('Track your parcel: https://t.test/RR123456785US');
  });

  it('escapes customer-provided text in HTML', () => {
    const mail = renderTemplate(
      'order-cancelled',
      { orderNumber: 'MC-1', customerName: '<script>Dee & "Co"' },
      brand(),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hello &lt;script&gt;Dee &amp; &quot;Co&quot;,');
  });

  it('greets with a name only when it is one: the store says no sentence, link or number a shopper typed as a name', () => {
    // A declined order costs nothing and can carry anyone's e-mail address: its "payment failed" e-mail
    // greeted them with whatever the name field held.
    for (const customerName of [
      'Your account is locked, call 0800 555 0100',
      'Refund ready at evil.example',
      'See https:',
      'Write to help@evil.example',
      'Dear customer your parcel is held at customs pay the fee today',
    ]) {
      const mail = renderTemplate('payment-failed', { orderNumber: 'MC-1', customerName }, brand());
      expect(mail.text, customerName).toContain('\nHello,\n');
      expect(mail.html, customerName).not.toContain(customerName.slice(0, 12));
    }
    for (const customerName of ["Anne-Marie O'Brien", 'J.R.R. Tolkien', 'María de los Ángeles Fernández']) {
      const mail = renderTemplate('payment-failed', { orderNumber: 'MC-1', customerName }, brand());
      expect(mail.text).toContain(`Hello ${customerName},`);
    }
  });
});
