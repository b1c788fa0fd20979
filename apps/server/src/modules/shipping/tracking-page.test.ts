import { describe, expect, it } from 'vitest';
import { notFoundHtml, trackingHtml } from './tracking-page.ts';

const brand = { storeName: 'Ann & Co <Shop>', primaryColor: '#1f3a5f', supportEmail: 'help@example.test' };

describe('tracking page', () => {
  it('escapes what carriers and the store configure, and lists events newest first', () => {
    const html = trackingHtml(brand, {
      trackingNumber: 'RR123456785GB',
      carrier: 'Carrier "X"',
      status: 'in_transit',
      events: [
        {
          status: 'in_transit',
          occurredAt: '2026-12-01T09:30:00.000Z',
          location: '<img src=x onerror=alert(1)>',
          description: null,
        },
        {
          status: 'out_for_delivery',
          occurredAt: '2026-12-02T07:05:00.000Z',
          location: null,
          description: '<script>alert(1)</script>',
        },
      ],
    });
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Ann &amp; Co &lt;Shop&gt;');
    expect(html).toContain('Carrier &quot;X&quot; · tracking number RR123456785GB');
    expect(html).toContain('<h1>On its way</h1>');
    expect(html).toContain('2 Dec 2026, 07:05 UTC');
    expect(html.indexOf('2 Dec 2026')).toBeLessThan(html.indexOf('1 Dec 2026'));
    expect(html).toContain('mailto:help@example.test');
  });

  it('says when the carrier has reported nothing yet, and explains a number that is not one', () => {
    expect(
      trackingHtml(brand, {
        trackingNumber: 'RR1',
        carrier: 'MCart Post',
        status: 'label_created',
        events: [],
      }),
    ).toContain('has not reported this parcel yet');
    expect(notFoundHtml({ ...brand, supportEmail: undefined }, true)).not.toContain('mailto:');
  });
});
