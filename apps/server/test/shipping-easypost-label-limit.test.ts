import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';
import {
  EasyPostProvider,
  LABEL_MAX_BYTES,
  REPLY_MAX_BYTES,
} from '../src/modules/shipping/providers/easypost.ts';

/**
 * Hosted label downloads are read up to 5 MB (LABEL_MAX_BYTES): a larger file, announced or streamed, is a clear
 * 502 `MCART_ERR_LABEL_TOO_LARGE`, and the download stops there rather than filling the server's memory. The API's
 * JSON replies (rates, buy, refund, label conversion, errors) are read up to 1 MB (REPLY_MAX_BYTES) the same way:
 * over it, a 502 `MCART_ERR_SHIPPING_PROVIDER` naming the limit. EasyPost is a local stand-in on 127.0.0.1, as in
 * shipping-easypost.test.ts.
 */
const MB = 1024 * 1024;
/** Bytes the stand-in managed to send of its endless label, and whether the adapter hung up on it. */
const endless = { sent: 0, closed: false };
/** The same for its endless JSON reply. */
const endlessReply = { sent: 0, closed: false };

/** Writes `total` bytes of a fake PDF (or JSON) in 64 KiB chunks, waiting for the reader; stops when the client hangs up. */
async function stream(
  response: ServerResponse,
  total: number,
  counter?: typeof endless,
  head = '%PDF-1.4\n',
) {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  response.on('close', () => {
    if (counter) counter.closed = true;
  });
  response.write(head);
  for (let sent = 0; sent < total && !response.destroyed; sent += chunk.length) {
    if (counter) counter.sent += chunk.length;
    if (!response.write(chunk))
      await new Promise<void>((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
  }
  response.end();
}

const fake: Server = createServer((request, response) => {
  void (async () => {
    for await (const _chunk of request); // the adapter's JSON body is not needed here
    const url = request.url!;
    const json = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    const rate = {
      id: 'rate_gnd',
      carrier: 'USPS',
      service: 'GroundAdvantage',
      rate: '7.58',
      currency: 'USD',
    };
    if (request.method === 'POST' && url === '/v2/shipments') return json({ id: 'shp_big', rates: [rate] });
    if (request.method === 'POST' && url === '/v2/shipments/shp_big/buy')
      return json({
        id: 'shp_big',
        tracking_code: '9400100000000000000099',
        selected_rate: rate,
        postage_label: { label_pdf_url: `${base}/files/announced.pdf` },
      });
    if (url === '/v2/files/announced.pdf') {
      // Says its size up front: refused before a byte of the body is read.
      response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(6 * MB) });
      return stream(response, 6 * MB - 9);
    }
    if (url === '/v2/files/endless.pdf') {
      // No length (chunked), and far more than any label.
      response.writeHead(200, { 'content-type': 'application/pdf' });
      return stream(response, 200 * MB, endless);
    }
    if (url === '/v2/files/at-limit.pdf') {
      response.writeHead(200, { 'content-type': 'application/pdf' });
      response.write('%PDF-1.4\n');
      return response.end(Buffer.alloc(LABEL_MAX_BYTES - 9, 0x20));
    }
    // JSON replies over 1 MB, under /v2/<case>/...
    if (url === '/v2/announced/shipments') {
      const head = '{"id":"shp_big","rates":[],"pad":"';
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * MB) });
      return stream(response, 2 * MB - head.length, undefined, head);
    }
    if (url === '/v2/endless/shipments') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return stream(response, 200 * MB, endlessReply, '{"id":"shp_big","rates":[],"pad":"');
    }
    if (url === '/v2/error/shipments/shp_big/refund') {
      response.writeHead(500, { 'content-type': 'text/html' });
      return stream(response, 3 * MB, undefined, '<html>');
    }
    if (url === '/v2/at-limit/shipments') {
      const head = '{"id":"shp_big","rates":[],"pad":"';
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(`${head}${'x'.repeat(REPLY_MAX_BYTES - head.length - 2)}"}`);
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: url } }));
  })();
});
await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v2`;
afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

const download = (file: string) =>
  new EasyPostProvider('k', base).fetchLabel(
    { providerShipmentId: 'shp_big', labelUrls: { pdf: `${base}/files/${file}` } },
    'pdf',
  );

describe('EasyPost label downloads', () => {
  it('refuse a label that says it is over 5 MB', async () => {
    expect(LABEL_MAX_BYTES).toBe(5 * MB);
    await expect(download('announced.pdf')).rejects.toMatchObject({
      status: 502,
      code: 'MCART_ERR_LABEL_TOO_LARGE',
      detail: 'The label from EasyPost is larger than 5 MB',
      extra: { limitBytes: 5 * MB },
    });
  });

  it('stop reading a label without a length once it passes 5 MB, and hang up', async () => {
    await expect(download('endless.pdf')).rejects.toMatchObject({ code: 'MCART_ERR_LABEL_TOO_LARGE' });
    await expect.poll(() => endless.closed).toBe(true);
    // Before: all 200 MB were read into memory, then handed on.
    expect(endless.sent).toBeLessThan(40 * MB);
  });

  it('take a label of exactly 5 MB', async () => {
    const label = await download('at-limit.pdf');
    expect(label.length).toBe(LABEL_MAX_BYTES);
    expect(label.subarray(0, 8).toString()).toBe('%PDF-1.4');
  });
});

describe('EasyPost API replies', () => {
  const parcel = { weightGrams: 500, lengthMm: 200, widthMm: 150, heightMm: 100 };
  const address = {
    name: 'A. Shopper',
    line1: '1 Main St',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    country: 'US',
  };
  const provider = (kind: string) => new EasyPostProvider('k', `${base}/${kind}`);
  const tooLarge = {
    status: 502,
    code: 'MCART_ERR_SHIPPING_PROVIDER',
    extra: { limitBytes: REPLY_MAX_BYTES },
  };

  it('refuse a reply that says it is over 1 MB', async () => {
    expect(REPLY_MAX_BYTES).toBe(MB);
    await expect(provider('announced').rates(parcel, address, address)).rejects.toMatchObject({
      ...tooLarge,
      detail: 'EasyPost 200: the reply is larger than 1 MB',
    });
  });

  it('stop reading a reply without a length once it passes 1 MB, and hang up', async () => {
    await expect(provider('endless').rates(parcel, address, address)).rejects.toMatchObject(tooLarge);
    await expect.poll(() => endlessReply.closed).toBe(true);
    // Before: all 200 MB were read into memory as one string.
    expect(endlessReply.sent).toBeLessThan(40 * MB);
  });

  it('cap an error reply as well', async () => {
    await expect(provider('error').voidLabel('shp_big')).rejects.toMatchObject({
      ...tooLarge,
      detail: 'EasyPost 500: the reply is larger than 1 MB',
    });
  });

  it('take a reply of exactly 1 MB', async () => {
    await expect(provider('at-limit').rates(parcel, address, address)).resolves.toEqual([]);
  });
});

const { app, config } = await useTestApp({ EASYPOST_API_KEY: 'EZTK_test_key', EASYPOST_BASE_URL: base });
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);

describe('the label route', () => {
  it('answers a label over 5 MB with a 502 problem naming the limit', async () => {
    const product = await fixtures.product([{ weightGrams: 500 }]);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const created = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/shipments`,
      headers: { authorization: owner },
      payload: {},
    });
    expect(created.statusCode, created.body).toBe(201);
    const label = await app.inject({
      method: 'GET',
      url: `/api/admin/shipments/${created.json<{ id: string }>().id}/label?format=pdf`,
      headers: { authorization: owner },
    });
    expect(label.statusCode, label.body).toBe(502);
    expect(label.headers['content-type']).toContain('application/problem+json');
    expect(label.json()).toMatchObject({
      code: 'MCART_ERR_LABEL_TOO_LARGE',
      detail: 'The label from EasyPost is larger than 5 MB',
      limitBytes: 5 * MB,
    });
  });
});
