import { describe, expect, it } from 'vitest';
import { useTestApp } from './app.ts';

const { app } = await useTestApp({ SHIPPING_WEBHOOK_SECRETS: 'builtin:a-webhook-secret-of-the-carrier' });

describe('shipping webhook: request limit', () => {
  it('answers 429 past 600 calls a minute from one address, as the payment webhook does', async () => {
    const call = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/webhooks/shipping/builtin',
        remoteAddress,
        headers: { 'content-type': 'application/json', 'x-mcart-signature': 't=1,v1=00' },
        payload: '{"events":[]}',
      });
    const codes: number[] = [];
    for (let i = 0; i < 600; i++) codes.push((await call('198.51.100.7')).statusCode);
    expect(codes.every((code) => code === 400)).toBe(true);
    const refused = await call('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBeDefined();
    // Another address (another carrier) is not held up.
    expect((await call('198.51.100.8')).statusCode).toBe(400);
  });
});
