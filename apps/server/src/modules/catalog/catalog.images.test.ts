import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { makeImage, multipartBody } from '../../../test/support/images.ts';

// A small upload limit so "too large" needs only a little over 2 MB (still above the 1 MB JSON body limit).
const { app, config } = await useTestApp({ MEDIA_MAX_UPLOAD_MB: '2' });
const auth = { authorization: await staffToken(app) };

interface ImageDto {
  id: string;
  key: string;
  url: string;
  alt: string;
  width: number;
  height: number;
  position: number;
  primary: boolean;
  contentType: string;
}

let skuCounter = 0;
async function createProduct(title: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/products',
    headers: auth,
    payload: {
      title,
      status: 'active',
      variants: [{ sku: `IMG-${++skuCounter}`, price: { amount: 1000, currency: 'USD' } }],
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; slug: string }>();
}

function upload(productId: string, file: Buffer, options: Parameters<typeof multipartBody>[1] = {}) {
  const body = multipartBody(file, options);
  return app.inject({
    method: 'POST',
    url: `/api/admin/products/${productId}/images`,
    headers: { ...auth, ...body.headers },
    payload: body.payload,
  });
}

async function listImages(productId: string): Promise<ImageDto[]> {
  const response = await app.inject({ url: `/api/admin/products/${productId}/images`, headers: auth });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function storeProduct(slug: string) {
  const response = await app.inject({ url: `/api/store/products/${slug}` });
  expect(response.statusCode).toBe(200);
  return response.json<{ images: { id: string; url: string; alt: string; width: number }[] }>();
}

describe('POST /api/admin/products/:id/images', () => {
  it('stores a JPEG as metadata-free WebP under a content-addressed key, with its alt text', async () => {
    const product = await createProduct('Camera Strap');
    const jpeg = await makeImage('jpeg', 900, 600, {
      exif: { IFD0: { Copyright: 'Secret Photographer', Make: 'ACME' } },
    });
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();

    const response = await upload(product.id, jpeg, {
      filename: 'strap.jpg',
      contentType: 'image/jpeg',
      fields: { alt: 'A red camera strap' },
    });
    expect(response.statusCode).toBe(201);
    const image = response.json<ImageDto>();
    expect(image).toMatchObject({
      alt: 'A red camera strap',
      width: 900,
      height: 600,
      contentType: 'image/webp',
      position: 0,
      primary: true,
    });
    expect(image.key).toMatch(/^[0-9a-f]{64}\.webp$/);
    expect(image.url).toBe(`/media/${image.key}`);

    const original = await app.inject({ url: image.url });
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/webp');
    const stored = await sharp(original.rawPayload).metadata();
    expect(stored).toMatchObject({ format: 'webp', width: 900, height: 600 });
    expect(stored.exif).toBeUndefined();
    expect(original.rawPayload.includes(Buffer.from('Secret Photographer'))).toBe(false);
    expect(existsSync(join(config.dataDir, 'media', 'originals', image.key))).toBe(true);
  });

  it('recognises images by their content, not by the declared type (PNG, WebP, AVIF)', async () => {
    const product = await createProduct('Format Sampler');
    for (const format of ['png', 'webp', 'avif'] as const) {
      const response = await upload(product.id, await makeImage(format, 320, 200), {
        filename: 'upload.bin',
        contentType: 'application/octet-stream',
      });
      expect(response.statusCode, format).toBe(201);
      expect(response.json()).toMatchObject({ width: 320, height: 200, contentType: 'image/webp' });
    }
    expect(await listImages(product.id)).toHaveLength(3);
  });

  it('refuses files that are not accepted images (415, nothing stored)', async () => {
    const product = await createProduct('Not An Image');
    const text = await upload(product.id, Buffer.from('hello, I am not a PNG'), {
      filename: 'fake.png',
      contentType: 'image/png',
    });
    expect(text.statusCode).toBe(415);
    expect(text.headers['content-type']).toContain('application/problem+json');
    expect(text.json()).toMatchObject({ code: 'MCART_ERR_IMAGE_TYPE' });

    const gif = await upload(product.id, await makeImage('gif', 50, 50), { contentType: 'image/gif' });
    expect(gif.statusCode).toBe(415);
    expect(gif.json()).toMatchObject({ code: 'MCART_ERR_IMAGE_TYPE' });
    expect(gif.json().detail).toContain('GIF');

    // A PNG cut in half: recognised as PNG, but it cannot be decoded.
    const png = await makeImage('png', 400, 400);
    const truncated = await upload(product.id, png.subarray(0, Math.floor(png.length / 2)));
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json()).toMatchObject({ code: 'MCART_ERR_IMAGE_UNREADABLE' });

    expect(await listImages(product.id)).toEqual([]);
  });

  it('accepts an image larger than the JSON body limit, up to the media limit', async () => {
    const product = await createProduct('Noisy Poster');
    // Random pixels do not compress: a PNG of about 1.5 MB.
    const noise = Buffer.from(Array.from({ length: 700 * 700 * 3 }, () => Math.floor(Math.random() * 256)));
    const png = await sharp(noise, { raw: { width: 700, height: 700, channels: 3 } })
      .png()
      .toBuffer();
    expect(png.length).toBeGreaterThan(1024 * 1024);
    const response = await upload(product.id, png);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ width: 700, height: 700 });
  });

  it('refuses a file over the configured limit with 413', async () => {
    const product = await createProduct('Huge Poster');
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 7);
    const response = await upload(product.id, big);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_IMAGE_TOO_LARGE' });
    expect(response.json().detail).toContain('2 MB');
    expect(await listImages(product.id)).toEqual([]);
  });

  it('answers 404 for an unknown product, 415 without multipart and 400 without a file', async () => {
    const unknown = await upload('00000000-0000-4000-8000-000000000000', await makeImage('png', 10, 10));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'MCART_ERR_PRODUCT_NOT_FOUND' });

    const product = await createProduct('Picky Product');
    const json = await app.inject({
      method: 'POST',
      url: `/api/admin/products/${product.id}/images`,
      headers: auth,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);

    const noFile = multipartBody(await makeImage('png', 10, 10), { fieldName: 'picture' });
    const missing = await app.inject({
      method: 'POST',
      url: `/api/admin/products/${product.id}/images`,
      headers: { ...auth, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'body/file', message: 'is required' }]);
  });

  it('needs a staff token', async () => {
    const product = await createProduct('Guarded');
    const body = multipartBody(await makeImage('png', 10, 10));
    const response = await app.inject({
      method: 'POST',
      url: `/api/admin/products/${product.id}/images`,
      headers: body.headers,
      payload: body.payload,
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('managing images', () => {
  it('reorders, sets the primary, edits alt text and deletes; the store follows', async () => {
    const product = await createProduct('Gallery Lamp');
    const ids: string[] = [];
    for (const [index, size] of [
      [0, 400],
      [1, 500],
      [2, 600],
    ] as const) {
      const response = await upload(product.id, await makeImage('png', size, 300), {
        fields: { alt: `view ${index}` },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().position).toBe(index);
      ids.push(response.json<ImageDto>().id);
    }
    const [a, b, c] = ids as [string, string, string];

    let store = await storeProduct(product.slug);
    expect(store.images.map((i) => i.id)).toEqual([a, b, c]);
    expect(store.images[0]!.url).toMatch(/^\/media\/[0-9a-f]{64}\.webp$/);
    let list = await app.inject({ url: `/api/store/products?q=Gallery` });
    expect(list.json().data[0].image).toMatchObject({ alt: 'view 0', width: 400, height: 300 });

    const reordered = await app.inject({
      method: 'PUT',
      url: `/api/admin/products/${product.id}/images/order`,
      headers: auth,
      payload: { ids: [c, a, b] },
    });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json<ImageDto[]>().map((i) => [i.id, i.position, i.primary])).toEqual([
      [c, 0, true],
      [a, 1, false],
      [b, 2, false],
    ]);
    list = await app.inject({ url: `/api/store/products?q=Gallery` });
    expect(list.json().data[0].image).toMatchObject({ alt: 'view 2', width: 600 });

    const partial = await app.inject({
      method: 'PUT',
      url: `/api/admin/products/${product.id}/images/order`,
      headers: auth,
      payload: { ids: [a, b] },
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().errors).toEqual([
      { path: 'body/ids', message: 'must list all 3 images of the product' },
    ]);

    const primary = await app.inject({
      method: 'POST',
      url: `/api/admin/products/${product.id}/images/${b}/primary`,
      headers: auth,
    });
    expect(primary.json<ImageDto[]>().map((i) => i.id)).toEqual([b, c, a]);

    const alt = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}/images/${b}`,
      headers: auth,
      payload: { alt: 'The lamp, lit' },
    });
    expect(alt.statusCode).toBe(200);
    expect(alt.json()).toMatchObject({ alt: 'The lamp, lit', primary: true });
    list = await app.inject({ url: `/api/store/products?q=Gallery` });
    expect(list.json().data[0].image.alt).toBe('The lamp, lit');

    const removedKey = (await listImages(product.id)).find((i) => i.id === b)!.key;
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${product.id}/images/${b}`,
      headers: auth,
    });
    expect(removed.statusCode).toBe(204);
    store = await storeProduct(product.slug);
    expect(store.images.map((i) => i.id)).toEqual([c, a]);
    // Its bytes went with it (no other image uses them).
    expect((await app.inject({ url: `/media/${removedKey}` })).statusCode).toBe(404);

    const again = await app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${product.id}/images/${b}`,
      headers: auth,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'MCART_ERR_IMAGE_NOT_FOUND' });
  });

  it('keeps shared bytes while another product still uses them', async () => {
    const first = await createProduct('Twin One');
    const second = await createProduct('Twin Two');
    const png = await makeImage('png', 120, 120);
    const one = (await upload(first.id, png)).json<ImageDto>();
    const two = (await upload(second.id, png)).json<ImageDto>();
    expect(one.key).toBe(two.key);
    await app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${first.id}/images/${one.id}`,
      headers: auth,
    });
    expect((await app.inject({ url: two.url })).statusCode).toBe(200);
  });

  it('announces image changes as product updates (live screens refresh)', async () => {
    const product = await createProduct('Live Frame');
    const events: { resource: string; ids: string[] }[] = [];
    app.outbox.onCommitted((batch) => events.push(...batch));
    await upload(product.id, await makeImage('png', 30, 30));
    await expect
      .poll(() => events.some((e) => e.resource === 'products' && e.ids.includes(product.id)), {
        timeout: 10_000,
      })
      .toBe(true);
  });
});

describe('alt text and deleted products', () => {
  it('refuses alt text over several lines or with control characters, uploaded or changed, naming body/alt', async () => {
    const product = await createProduct('Alt Lamp');
    const png = await makeImage('png', 60, 60);
    const refused = await upload(product.id, png, { fields: { alt: 'line one\nline two' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION', errors: [{ path: 'body/alt' }] });
    expect(await listImages(product.id)).toEqual([]);
    const image = (await upload(product.id, png, { fields: { alt: 'A lamp' } })).json<ImageDto>();
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}/images/${image.id}`,
      headers: auth,
      payload: { alt: 'bell\u0007' },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION', errors: [{ path: 'body/alt' }] });
    expect((await listImages(product.id))[0]!.alt).toBe('A lamp');
  });

  it('no longer changes the images of a deleted product (404)', async () => {
    const product = await createProduct('Gone Lamp');
    const image = (await upload(product.id, await makeImage('png', 60, 60))).json<ImageDto>();
    await app.inject({ method: 'DELETE', url: `/api/admin/products/${product.id}`, headers: auth });
    const url = `/api/admin/products/${product.id}/images/${image.id}`;
    for (const request of [
      { method: 'PATCH' as const, url, payload: { alt: 'x' } },
      { method: 'POST' as const, url: `${url}/primary` },
      { method: 'DELETE' as const, url },
    ]) {
      const response = await app.inject({ ...request, headers: auth });
      expect(response.statusCode, request.method).toBe(404);
      expect(response.json().code).toBe('MCART_ERR_PRODUCT_NOT_FOUND');
    }
  });
});

describe('GET /media/:key', () => {
  it('serves allowed widths resized once, cached forever, with ETag and 304', async () => {
    const product = await createProduct('Resize Me');
    const image = (await upload(product.id, await makeImage('png', 800, 400))).json<ImageDto>();

    for (const width of [160, 320, 640]) {
      const response = await app.inject({ url: `${image.url}?w=${width}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/webp');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers.etag).toBe(`"${image.key.slice(0, 64)}-w${width}"`);
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const meta = await sharp(response.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'webp', width, height: width / 2 });
      // Made once and kept next to the original.
      expect(existsSync(join(config.dataDir, 'media', `w${width}`, image.key))).toBe(true);
    }
    // Never enlarged.
    const large = await app.inject({ url: `${image.url}?w=1280` });
    expect((await sharp(large.rawPayload).metadata()).width).toBe(800);

    const first = await app.inject({ url: `${image.url}?w=320` });
    const cached = await app.inject({
      url: `${image.url}?w=320`,
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect(cached.statusCode).toBe(304);
    expect(cached.rawPayload.length).toBe(0);
    const otherWidth = await app.inject({
      url: `${image.url}?w=640`,
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect(otherWidth.statusCode).toBe(200);
  });

  it('refuses other widths and malformed keys (400) and answers 404 for unknown keys', async () => {
    const product = await createProduct('Strict Widths');
    const image = (await upload(product.id, await makeImage('png', 100, 100))).json<ImageDto>();
    for (const w of ['200', '0', 'abc', '1281']) {
      const response = await app.inject({ url: `${image.url}?w=${w}` });
      expect(response.statusCode, w).toBe(400);
      expect(response.json().code).toBe('MCART_ERR_VALIDATION');
    }
    expect((await app.inject({ url: '/media/..%2Fsecrets.json' })).statusCode).toBe(400);
    const unknown = await app.inject({ url: `/media/${'0'.repeat(64)}.webp?w=160` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'MCART_ERR_MEDIA_NOT_FOUND' });
    expect(unknown.headers['cache-control']).toBeUndefined();
  });
});

describe('media configuration', () => {
  it('defaults to <data>/media and 10 MB, and names a half-configured bucket credential', () => {
    const defaults = loadConfig({ MCART_DATA_DIR: '/srv/mcart' });
    expect(defaults.media).toEqual({
      dir: '/srv/mcart/media',
      maxUploadBytes: 10 * 1024 * 1024,
      s3: undefined,
    });
    const bucket = loadConfig({ MEDIA_S3_BUCKET: 'pics', MEDIA_S3_ENDPOINT: 'http://minio:9000' }).media.s3;
    expect(bucket).toMatchObject({ bucket: 'pics', prefix: 'mcart/media/', forcePathStyle: true });
    expect(() => loadConfig({ MEDIA_S3_BUCKET: 'pics', MEDIA_S3_ACCESS_KEY_ID: 'key' })).toThrow(
      new ConfigError('MEDIA_S3_SECRET_ACCESS_KEY', 'must be set together with the other S3 credential'),
    );
    expect(() => loadConfig({ MEDIA_MAX_UPLOAD_MB: '0' })).toThrow(/MEDIA_MAX_UPLOAD_MB/);
  });
});
