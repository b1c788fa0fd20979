import { describe, expect, it } from 'vitest';
import { createMCartClient } from './index.ts';

describe('createMCartClient', () => {
  it('sends the access token as a Bearer header', async () => {
    const seen: Request[] = [];
    const client = createMCartClient({
      baseUrl: 'https://mcart.test',
      tokens: { getAccessToken: () => 'abc' },
      fetch: async (input) => {
        seen.push(input as Request);
        return new Response(JSON.stringify({ status: 'ok' }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    const { data } = await client.GET('/health');
    expect(data).toEqual({ status: 'ok' });
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer abc');
    expect(seen[0]?.url).toBe('https://mcart.test/health');
  });
});
