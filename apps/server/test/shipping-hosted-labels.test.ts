import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';
import { renderLabelsPdf } from '../src/modules/shipping/label.ts';
import { scanPdf } from './support/barcodes.ts';

/**
 * Labels bought from a hosted provider (EasyPost's API, answered by a local stand-in on 127.0.0.1) print
 * in a batch like built-in ones: one PDF with every label's page, in the order asked, or one ZPL file.
 */
let shipments = 0;
const tracking = (id: string) => `94001000000000000000${id.replace('shp_', '').padStart(2, '0')}`;
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
    if (request.method === 'POST' && url === '/v2/shipments')
      return json({ id: `shp_${++shipments}`, rates: [rate] });
    const buy = /^\/v2\/shipments\/(shp_\d+)\/buy$/.exec(url);
    if (request.method === 'POST' && buy)
      return json({
        id: buy[1],
        tracking_code: tracking(buy[1]!),
        selected_rate: rate,
        postage_label: { label_pdf_url: `${base}/files/${buy[1]}.pdf` },
      });
    const zpl = /^\/v2\/shipments\/(shp_\d+)\/label\?file_format=ZPL$/.exec(url);
    if (request.method === 'GET' && zpl)
      return json({ id: zpl[1], postage_label: { label_zpl_url: `${base}/files/${zpl[1]}.zpl` } });
    const file = /^\/v2\/files\/(shp_\d+)\.(pdf|zpl)$/.exec(url);
    if (request.method === 'GET' && file) {
      const number = tracking(file[1]!);
      if (file[2] === 'zpl') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end(`^XA^FO50,50^BCN,100^FD${number}^FS^XZ`);
      }
      // The carrier's own 4x6 label: here drawn with the built-in renderer, with the carrier's number.
      const pdf = await renderLabelsPdf([
        {
          trackingNumber: number,
          carrier: 'USPS',
          service: 'GroundAdvantage',
          orderNumber: file[1]!,
          weightGrams: 500,
          from: {
            name: 'Sender',
            line1: '1 Main St',
            city: 'Springfield',
            postalCode: '12345',
            country: 'US',
          },
          to: { name: 'Recipient', line1: '2 Side St', city: 'Portland', postalCode: '97201', country: 'US' },
          shippedOn: new Date(),
        },
      ]);
      response.writeHead(200, { 'content-type': 'application/pdf' });
      return response.end(pdf);
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: url } }));
  })();
});
await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v2`;
afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

const { app, config } = await useTestApp({ EASYPOST_API_KEY: 'EZTK_test_key', EASYPOST_BASE_URL: base });
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);
const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: owner } });

describe('hosted labels in a batch', () => {
  it('prints EasyPost labels as one PDF in the order asked, and as one ZPL file', async () => {
    const product = await fixtures.product([{ weightGrams: 500 }]);
    const created: { id: string; trackingNumber: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
      const response = await app.inject({
        method: 'POST',
        url: `/api/admin/orders/${order.id}/shipments`,
        headers: { authorization: owner },
        payload: {},
      });
      expect(response.statusCode, response.body).toBe(201);
      created.push(response.json());
    }
    const asked = [created[2]!, created[0]!, created[1]!];
    const ids = asked.map((shipment) => `ids=${shipment.id}`).join('&');

    const pdf = await get(`/api/admin/shipments/labels?${ids}&format=pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const decoded = scanPdf(pdf.rawPayload).pages.map((barcodes) => barcodes.join(' '));
    expect(decoded).toEqual(asked.map((shipment) => shipment.trackingNumber));

    const zpl = await get(`/api/admin/shipments/labels?${ids}&format=zpl`);
    expect(zpl.statusCode, zpl.body).toBe(200);
    expect(zpl.body.match(/\^FD(\d+)\^FS/g)).toEqual(
      asked.map((shipment) => `^FD${shipment.trackingNumber}^FS`),
    );
  });
});
