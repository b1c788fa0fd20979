import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import S3rver from 's3rver';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { makeImage, multipartBody } from '../../../test/support/images.ts';
import { createS3Client } from '../../platform/object-storage.ts';

// A real S3 endpoint on this machine (s3rver), reached like MinIO or R2 would be: endpoint + path-style.
const s3Dir = mkdtempSync(join(tmpdir(), 'mcart-s3-'));
const s3 = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: s3Dir,
  configureBuckets: [{ name: 'shop-media', configs: [] }],
});
const { port } = await s3.run();
afterAll(async () => {
  await s3.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

const bucket = {
  bucket: 'shop-media',
  endpoint: `http://127.0.0.1:${port}`,
  region: 'us-east-1',
  prefix: 'media/',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
};
const { app, config } = await useTestApp({
  MEDIA_S3_BUCKET: bucket.bucket,
  MEDIA_S3_ENDPOINT: bucket.endpoint,
  MEDIA_S3_PREFIX: bucket.prefix,
  MEDIA_S3_ACCESS_KEY_ID: bucket.accessKeyId,
  MEDIA_S3_SECRET_ACCESS_KEY: bucket.secretAccessKey,
});
const auth = { authorization: await staffToken(app) };
const { client } = await createS3Client(bucket);
afterAll(() => client.destroy());

async function keysInBucket(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket.bucket }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe('product images in an S3-compatible bucket', () => {
  it('uploads the original, stores resized copies next to it, serves both and deletes them all', async () => {
    expect(config.media.s3).toMatchObject({ bucket: 'shop-media', forcePathStyle: true });
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: 'Cloud Mug',
        status: 'active',
        variants: [{ sku: 'S3-MUG', price: { amount: 1500, currency: 'USD' } }],
      },
    });
    const productId = created.json<{ id: string }>().id;

    const body = multipartBody(await makeImage('jpeg', 1000, 500), { contentType: 'image/jpeg' });
    const uploaded = await app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/images`,
      headers: { ...auth, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode).toBe(201);
    const image = uploaded.json<{ id: string; key: string; url: string }>();
    expect(await keysInBucket()).toEqual([`media/originals/${image.key}`]);
    const object = await client.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: `media/originals/${image.key}` }),
    );
    expect(object.ContentType).toBe('image/webp');
    // The bucket holds exactly the bytes the media route serves (no upload framing stored as content).
    const served = await app.inject({ url: image.url });
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(served.rawPayload)).toBe(true);

    const resized = await app.inject({ url: `${image.url}?w=320` });
    expect(resized.statusCode).toBe(200);
    expect(await sharp(resized.rawPayload).metadata()).toMatchObject({ width: 320, height: 160 });
    expect(await keysInBucket()).toEqual([`media/originals/${image.key}`, `media/w320/${image.key}`]);
    // The second request is served from the bucket: the same bytes.
    const again = await app.inject({ url: `${image.url}?w=320` });
    expect(again.rawPayload.equals(resized.rawPayload)).toBe(true);

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${productId}/images/${image.id}`,
      headers: auth,
    });
    expect(removed.statusCode).toBe(204);
    expect(await keysInBucket()).toEqual([]);
    expect((await app.inject({ url: image.url })).statusCode).toBe(404);
  });
});
