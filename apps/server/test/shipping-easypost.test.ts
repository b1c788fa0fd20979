import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EasyPostProvider, decimalToMinor } from '../src/modules/shipping/providers/easypost.ts';

/** A local stand-in for api.easypost.com/v2 on 127.0.0.1, answering the endpoints the adapter uses. */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}
const seen: Seen[] = [];
let server: Server;
let base: string;
let refundStatus = 'submitted';
let publicUrl = 'https://track.easypost.com/djE6dHJrXzEyMw';

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
};

beforeAll(async () => {
  server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      seen.push({
        method: request.method!,
        url: request.url!,
        authorization: request.headers.authorization,
        body,
      });
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const url = request.url!;
      if (request.method === 'POST' && url === '/v2/shipments') {
        const shipment = (body as { shipment: { to_address: { zip: string } } }).shipment;
        if (shipment.to_address.zip === '00000')
          return json(422, { error: { code: 'ADDRESS.VERIFY.FAILURE', message: 'Invalid postal code' } });
        return json(201, {
          id: 'shp_123',
          rates: [
            {
              id: 'rate_exp',
              carrier: 'USPS',
              service: 'Express',
              rate: '27.40',
              currency: 'USD',
              delivery_days: 1,
            },
            {
              id: 'rate_gnd',
              carrier: 'USPS',
              service: 'GroundAdvantage',
              rate: '7.58',
              currency: 'USD',
              delivery_days: 4,
            },
          ],
        });
      }
      if (request.method === 'POST' && url === '/v2/shipments/shp_123/buy') {
        return json(200, {
          id: 'shp_123',
          tracking_code: '9400100000000000000000',
          selected_rate: {
            id: 'rate_gnd',
            carrier: 'USPS',
            service: 'GroundAdvantage',
            rate: '7.58',
            currency: 'USD',
            delivery_days: 4,
          },
          postage_label: { label_url: `${base}/files/label.png`, label_pdf_url: `${base}/files/label.pdf` },
          tracker: { public_url: publicUrl },
        });
      }
      if (request.method === 'GET' && url === '/v2/shipments/shp_123/label?file_format=ZPL') {
        return json(200, { id: 'shp_123', postage_label: { label_zpl_url: `${base}/files/label.zpl` } });
      }
      if (request.method === 'GET' && url === '/v2/files/label.zpl') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end('^XA^FDhosted^FS^XZ');
      }
      if (request.method === 'GET' && url === '/v2/files/label.pdf') {
        response.writeHead(200, { 'content-type': 'application/pdf' });
        return response.end('%PDF-1.4 hosted');
      }
      if (request.method === 'POST' && url === '/v2/shipments/shp_123/refund')
        return json(200, { id: 'shp_123', refund_status: refundStatus });
      json(404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const from = {
  name: 'Corner Shop',
  line1: '1 Market Street',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};
const to = {
  name: 'Ann Example',
  line1: '22 Acacia Avenue',
  city: 'Portland',
  postalCode: '97201',
  country: 'US',
};
const parcel = { weightGrams: 1000, lengthMm: 300, widthMm: 200, heightMm: 100 };

describe('EasyPost adapter', () => {
  it('creates the shipment, buys the cheapest rate and returns tracking and label', async () => {
    const provider = new EasyPostProvider('EZTK_test_key', base);
    const created = await provider.createShipment({
      reference: 'ship-1',
      orderNumber: 'MC-1',
      from,
      to,
      parcel,
    });
    expect(created).toEqual({
      providerShipmentId: 'shp_123',
      carrier: 'USPS',
      service: 'GroundAdvantage',
      trackingNumber: '9400100000000000000000',
      trackingUrl: 'https://track.easypost.com/djE6dHJrXzEyMw',
      rate: { carrier: 'USPS', service: 'GroundAdvantage', amount: 758, currency: 'USD', estimatedDays: 4 },
      labelUrls: { pdf: `${base}/files/label.pdf` },
    });
    const create = seen.find((s) => s.url === '/v2/shipments')!;
    expect(create.authorization).toBe(`Basic ${Buffer.from('EZTK_test_key:').toString('base64')}`);
    expect(create.body).toMatchObject({
      shipment: {
        reference: 'ship-1',
        to_address: { name: 'Ann Example', street1: '22 Acacia Avenue', zip: '97201', country: 'US' },
        parcel: { weight: 35.3, length: 11.8, width: 7.9, height: 3.9 },
      },
    });
    expect(seen.find((s) => s.url === '/v2/shipments/shp_123/buy')!.body).toEqual({
      rate: { id: 'rate_gnd' },
    });
  });

  it('gives its own tracking link when the tracker has a blank one (the shipped e-mail needs a link)', async () => {
    publicUrl = '';
    try {
      const created = await new EasyPostProvider('k', base).createShipment({
        reference: 'ship-blank',
        orderNumber: 'MC-5',
        from,
        to,
        parcel,
      });
      expect(created.trackingUrl).toBe('https://track.easypost.com/9400100000000000000000');
    } finally {
      publicUrl = 'https://track.easypost.com/djE6dHJrXzEyMw';
    }
  });

  it('buys the requested service when offered', async () => {
    const provider = new EasyPostProvider('k', base);
    await provider.createShipment({
      reference: 'ship-2',
      orderNumber: 'MC-2',
      from,
      to,
      parcel,
      service: 'express',
    });
    expect(seen.filter((s) => s.url.endsWith('/buy')).at(-1)!.body).toEqual({ rate: { id: 'rate_exp' } });
  });

  it('lists rates in minor units', async () => {
    const rates = await new EasyPostProvider('k', base).rates(parcel, from, to);
    expect(rates.map((rate) => [rate.service, rate.amount])).toEqual([
      ['Express', 2740],
      ['GroundAdvantage', 758],
    ]);
    expect(decimalToMinor('7.5')).toBe(750);
  });

  it('downloads hosted labels, converting to ZPL on request', async () => {
    const provider = new EasyPostProvider('k', base);
    const pdf = await provider.fetchLabel(
      { providerShipmentId: 'shp_123', labelUrls: { pdf: `${base}/files/label.pdf` } },
      'pdf',
    );
    expect(pdf.toString()).toBe('%PDF-1.4 hosted');
    const zpl = await provider.fetchLabel({ providerShipmentId: 'shp_123', labelUrls: {} }, 'zpl');
    expect(zpl.toString()).toBe('^XA^FDhosted^FS^XZ');
  });

  it('maps an address the API refuses to a 422 and a refused refund to a clear error', async () => {
    const provider = new EasyPostProvider('k', base);
    await expect(
      provider.createShipment({
        reference: 'x',
        orderNumber: 'MC-3',
        from,
        to: { ...to, postalCode: '00000' },
        parcel,
      }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'MCART_ERR_SHIPPING_REJECTED',
      detail: 'Invalid postal code',
    });
    await provider.voidLabel('shp_123');
    refundStatus = 'rejected';
    await expect(provider.voidLabel('shp_123')).rejects.toMatchObject({
      code: 'MCART_ERR_LABEL_NOT_VOIDABLE',
    });
  });

  it('reports an unreachable API as a 502 provider error', async () => {
    const provider = new EasyPostProvider('k', 'http://127.0.0.1:1/v2', 2000);
    await expect(
      provider.createShipment({ reference: 'x', orderNumber: 'MC-4', from, to, parcel }),
    ).rejects.toMatchObject({ status: 502, code: 'MCART_ERR_SHIPPING_PROVIDER' });
  });

  it('parses tracker webhooks into tracking updates', () => {
    const updates = new EasyPostProvider('k', base).parseWebhook({
      id: 'evt_1',
      description: 'tracker.updated',
      result: {
        tracking_code: '9400100000000000000000',
        status: 'out_for_delivery',
        tracking_details: [
          {
            message: 'Arrived at facility',
            datetime: '2026-11-26T08:00:00Z',
            tracking_location: { city: 'Portland', state: 'OR', country: 'US' },
          },
          {
            message: 'Out for delivery',
            datetime: '2026-11-26T09:00:00Z',
            tracking_location: { city: 'Portland', state: 'OR', country: 'US' },
          },
        ],
      },
    });
    expect(updates).toEqual([
      {
        eventId: 'evt_1',
        trackingNumber: '9400100000000000000000',
        status: 'out_for_delivery',
        occurredAt: new Date('2026-11-26T09:00:00Z'),
        location: 'Portland, OR, US',
        description: 'Out for delivery',
      },
    ]);
    expect(() => new EasyPostProvider('k', base).parseWebhook({ nope: true })).toThrow(/EasyPost event/);
    // A location longer than the 200 characters a tracking event keeps is cut, not an insert that fails.
    const [long] = new EasyPostProvider('k', base).parseWebhook({
      id: 'evt_2',
      description: 'tracker.updated',
      result: {
        tracking_code: '9400100000000000000000',
        status: 'in_transit',
        tracking_details: [
          { datetime: '2026-11-26T08:00:00Z', tracking_location: { city: 'P'.repeat(300), country: 'US' } },
        ],
      },
    });
    expect(long!.location).toHaveLength(200);
  });

  it('does not take pre_transit (label bought, no carrier scan yet) for a parcel on its way', () => {
    // EasyPost creates the tracker when the label is bought and reports it pre_transit: the parcel is still
    // on the packing table. Handed over, it would send the "shipped" e-mail and the label could not be voided.
    const tracker = (status: string) =>
      new EasyPostProvider('k', base).parseWebhook({
        id: `evt_${status}`,
        description: 'tracker.created',
        result: {
          tracking_code: '9400100000000000000000',
          status,
          tracking_details: [{ message: 'Shipping label created', datetime: '2026-11-26T08:00:00Z' }],
        },
      });
    expect(tracker('pre_transit')).toEqual([]);
    expect(tracker('unknown')).toEqual([]);
    expect(tracker('constructor')).toEqual([]);
    expect(tracker('in_transit')).toEqual([expect.objectContaining({ status: 'in_transit' })]);
  });
});
