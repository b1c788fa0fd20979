import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import multipart from '@fastify/multipart';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProblemRef, SINGLE_LINE_PATTERN } from '../../platform/schemas.ts';
import { CommonErrors } from '../../platform/errors.ts';
import type { ProductImage } from './catalog.entities.ts';
import { CatalogErrors } from './catalog.errors.ts';
import {
  ImageIdParams,
  ProductIdParams,
  ProductImageDto,
  ProductImageList,
  ReorderImagesBody,
  UpdateImageBody,
} from './catalog.schemas.ts';
import { ProductImagesService } from './images.service.ts';
import { mediaUrl } from './store-catalog.ts';
import {
  MEDIA_CONTENT_TYPE,
  MEDIA_KEY,
  MEDIA_WIDTHS,
  type MediaStore,
  type MediaWidth,
} from './media-store.ts';
import { isFileTooLarge } from '../../platform/uploads.ts';

const ONE_LINE = new RegExp(SINGLE_LINE_PATTERN, 'u');

const TAGS = ['admin: catalog'];
const bearer = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };

function toImageDto(image: ProductImage, index: number) {
  return {
    id: image.id,
    productId: image.productId,
    key: image.storageKey,
    url: mediaUrl(image.storageKey),
    alt: image.alt,
    width: image.width,
    height: image.height,
    sizeBytes: image.sizeBytes,
    contentType: image.contentType,
    position: image.position,
    primary: index === 0,
    createdAt: image.createdAt.toISOString(),
  };
}
const toImageList = (images: ProductImage[]) => images.map(toImageDto);

/** Staff management of product images (multipart upload only in this plugin's scope). */
export const catalogImageRoutes: FastifyPluginAsyncTypebox<{
  media: MediaStore;
  maxUploadBytes: number;
}> = async (app, { media, maxUploadBytes }) => {
  const service = (em: EntityManager) => new ProductImagesService(em, media);
  const read = { auth: { permission: 'catalog:read' as const } };
  const write = { auth: { permission: 'catalog:write' as const } };
  const maxMb = Math.round(maxUploadBytes / 1024 / 1024);

  await app.register(multipart, {
    limits: { fileSize: maxUploadBytes, files: 1, fields: 2, parts: 3, fieldSize: 4096 },
  });

  app.get(
    '/api/admin/products/:id/images',
    {
      schema: {
        tags: TAGS,
        summary: "A product's images, primary first",
        security: bearer,
        params: ProductIdParams,
        response: { 200: ProductImageList, ...errors },
      },
      config: read,
    },
    async (request) => {
      await service(request.em).assertProduct(request.params.id);
      return toImageList(await service(request.em).list(request.params.id));
    },
  );

  app.post(
    '/api/admin/products/:id/images',
    {
      schema: {
        tags: TAGS,
        summary: 'Upload an image (multipart: field "file", optional field "alt"); added last',
        description:
          `JPEG, PNG, WebP or AVIF, recognised by content (not by the declared type); at most ${maxMb} MB ` +
          '(413 MCART_ERR_IMAGE_TOO_LARGE); other files → 415 MCART_ERR_IMAGE_TYPE. Metadata is stripped and the ' +
          'image stored as WebP (at most 2560 px on its long edge) under a content-addressed key.',
        security: bearer,
        consumes: ['multipart/form-data'],
        params: ProductIdParams,
        response: { 201: ProductImageDto, 413: ProblemRef, 415: ProblemRef, ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw CommonErrors.unsupportedMediaType('Send the image as multipart/form-data, field "file"');
      const images = service(request.em);
      await images.assertProduct(request.params.id);
      let file: Buffer | undefined;
      let alt = '';
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || file) {
              await part.toBuffer().catch(() => undefined);
              continue;
            }
            file = await part.toBuffer();
          } else if (part.fieldname === 'alt') {
            alt = String(part.value).trim();
          }
        }
      } catch (err) {
        if (isFileTooLarge(err)) throw CatalogErrors.imageTooLarge(`The image is larger than ${maxMb} MB`);
        throw err;
      }
      if (!file?.length)
        throw CommonErrors.validation('An image file is required', {
          errors: [{ path: 'body/file', message: 'is required' }],
        });
      if (alt.length > 300)
        throw CommonErrors.validation('The alt text is too long', {
          errors: [{ path: 'body/alt', message: 'must be at most 300 characters' }],
        });
      // The same rule as a change of it (UpdateImageBody): one line of text.
      if (!ONE_LINE.test(alt))
        throw CommonErrors.validation('The alt text must be one line', {
          errors: [
            { path: 'body/alt', message: 'must not hold line breaks, tabs or other control characters' },
          ],
        });
      const image = await images.add(request.params.id, file, alt);
      const list = await images.list(request.params.id);
      return reply.status(201).send(
        toImageDto(
          image,
          list.findIndex((i) => i.id === image.id),
        ),
      );
    },
  );

  app.patch(
    '/api/admin/products/:id/images/:imageId',
    {
      schema: {
        tags: TAGS,
        summary: "Change an image's alt text",
        security: bearer,
        params: ImageIdParams,
        body: UpdateImageBody,
        response: { 200: ProductImageDto, ...errors },
      },
      config: write,
    },
    async (request) => {
      const images = service(request.em);
      const image = await images.updateAlt(
        request.params.id,
        request.params.imageId,
        request.body.alt.trim(),
      );
      const list = await images.list(request.params.id);
      return toImageDto(
        image,
        list.findIndex((i) => i.id === image.id),
      );
    },
  );

  app.put(
    '/api/admin/products/:id/images/order',
    {
      schema: {
        tags: TAGS,
        summary: "Reorder a product's images (every id once, primary first)",
        security: bearer,
        params: ProductIdParams,
        body: ReorderImagesBody,
        response: { 200: ProductImageList, ...errors },
      },
      config: write,
    },
    async (request) => toImageList(await service(request.em).reorder(request.params.id, request.body.ids)),
  );

  app.post(
    '/api/admin/products/:id/images/:imageId/primary',
    {
      schema: {
        tags: TAGS,
        summary: 'Make an image the primary one (moved first)',
        security: bearer,
        params: ImageIdParams,
        response: { 200: ProductImageList, ...errors },
      },
      config: write,
    },
    async (request) =>
      toImageList(await service(request.em).makePrimary(request.params.id, request.params.imageId)),
  );

  app.delete(
    '/api/admin/products/:id/images/:imageId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an image',
        security: bearer,
        params: ImageIdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      await service(request.em).remove(request.params.id, request.params.imageId);
      return reply.status(204).send(null);
    },
  );
};

const ONE_YEAR = 31_536_000;

/** Public, immutable image bytes by content-addressed key, optionally resized to one of a few widths. */
export const mediaRoutes: FastifyPluginAsyncTypebox<{ media: MediaStore }> = async (app, { media }) => {
  app.get(
    '/media/:key',
    {
      schema: {
        tags: ['store: catalog'],
        summary: 'An image by its media key, resized to a width of 160, 320, 640 or 1280 px (never enlarged)',
        description:
          'Content-addressed and immutable: cached for a year, ETag per key and width, 304 on If-None-Match.',
        params: Type.Object(
          { key: Type.String({ pattern: MEDIA_KEY.source }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          {
            w: Type.Optional(
              Type.Unsafe<MediaWidth>({
                type: 'integer',
                enum: [...MEDIA_WIDTHS],
                description: 'Width in pixels; the stored original without it',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.String({ description: 'image/webp', contentMediaType: MEDIA_CONTENT_TYPE }),
          304: Type.Null(),
          400: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { key } = request.params;
      const width = request.query.w;
      const etag = `"${key.slice(0, 64)}${width ? `-w${width}` : ''}"`;
      reply.header('cache-control', `public, max-age=${ONE_YEAR}, immutable`);
      reply.header('etag', etag);
      // Store fronts and the desktop app show these from other origins.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        // The key names the content forever, so a client holding this tag holds these bytes (unknown keys never get one).
        return reply.status(304).send(null);
      }
      const data = width ? await media.resized(key, width) : await media.original(key);
      if (!data) {
        reply.removeHeader('cache-control');
        reply.removeHeader('etag');
        throw CatalogErrors.mediaNotFound();
      }
      return reply.type(MEDIA_CONTENT_TYPE).send(data);
    },
  );
};
