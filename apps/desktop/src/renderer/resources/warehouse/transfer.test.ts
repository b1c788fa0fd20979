import { describe, expect, it } from 'vitest';
import { createHttpClient, REFRESH_PATH } from '../../api/http.ts';
import { fakeFetch, json, memoryTokenStore, problem } from '../../api/testing.ts';
import { downloadBlob, uploadFile } from './transfer.ts';

const BASE = 'https://shop.example.com';

function transportWith(handler: Parameters<typeof fakeFetch>[0]) {
  const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
  const { fetch, requests } = fakeFetch(handler);
  const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
  return { transport: { baseUrl: () => BASE, tokens, http, fetch }, requests, tokens };
}

describe('binary and multipart transfers', () => {
  it('downloads a PDF with the staff token, refreshing it once on a 401', async () => {
    const { transport, requests } = transportWith(({ url, authorization }) => {
      if (url.endsWith(REFRESH_PATH)) return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      if (authorization !== 'Bearer a2') return problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
      return new Response('%PDF-1.7', { status: 200, headers: { 'content-type': 'application/pdf' } });
    });
    const blob = await downloadBlob(transport, '/api/admin/shipments/s1/label?format=pdf');
    expect(await blob.text()).toBe('%PDF-1.7');
    expect(requests.map((r) => [r.url.replace(BASE, ''), r.authorization])).toEqual([
      ['/api/admin/shipments/s1/label?format=pdf', 'Bearer expired'],
      [REFRESH_PATH, null],
      ['/api/admin/shipments/s1/label?format=pdf', 'Bearer a2'],
    ]);
  });

  it('turns a problem answer into an error carrying its code', async () => {
    const { transport } = transportWith(() =>
      problem(409, 'Label not available', 'MCART_ERR_LABEL_NOT_AVAILABLE'),
    );
    await expect(downloadBlob(transport, '/api/admin/shipments/s1/label')).rejects.toMatchObject({
      status: 409,
      body: expect.objectContaining({ code: 'MCART_ERR_LABEL_NOT_AVAILABLE' }),
    });
  });

  it('uploads a file as multipart and returns the JSON report', async () => {
    let sent: unknown;
    const { transport } = transportWith(() =>
      json(200, { rows: 1, imported: 1, duplicates: 0, rejected: [] }),
    );
    const recording = transport.fetch;
    transport.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent = init?.body;
      return recording(input, init);
    }) as typeof fetch;
    const report = await uploadFile(
      transport,
      '/api/admin/shipments/tracking-import',
      'file',
      new File(['tracking_number,status\n'], 'tracking.csv', { type: 'text/csv' }),
    );
    expect(report).toEqual({ rows: 1, imported: 1, duplicates: 0, rejected: [] });
    expect(sent).toBeInstanceOf(FormData);
    expect(((sent as FormData).get('file') as File).name).toBe('tracking.csv');
  });
});
