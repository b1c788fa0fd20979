import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import { ProductImageSchema, ProductSchema, type ProductImage } from './catalog.entities.ts';
import { CatalogErrors } from './catalog.errors.ts';
import { refreshProductSearch } from './catalog.queries.ts';
import { MEDIA_CONTENT_TYPE, type MediaStore } from './media-store.ts';

/** Advisory-lock class of media keys: an upload and the clean-up of the same content never interleave. */
const MEDIA_LOCK = 0x6d656469;

/**
 * A product's images: upload, alt text, order (the first is the primary image), delete. Every change
 * refreshes the store's read model (the list shows the primary image) and tells live screens.
 */
export class ProductImagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly media: MediaStore,
  ) {}

  async assertProduct(productId: string): Promise<void> {
    if (!(await this.em.count(ProductSchema, { id: productId, deletedAt: null })))
      throw CatalogErrors.productNotFound();
  }

  list(productId: string): Promise<ProductImage[]> {
    return this.em.find(
      ProductImageSchema,
      { productId },
      { orderBy: { position: 'ASC', createdAt: 'ASC', id: 'ASC' } },
    );
  }

  /** An image of a live product (a deleted product's images are no longer changed). */
  private async find(productId: string, imageId: string): Promise<ProductImage> {
    await this.assertProduct(productId);
    const image = await this.em.findOne(ProductImageSchema, { id: imageId, productId });
    if (!image) throw CatalogErrors.imageNotFound();
    return image;
  }

  private lockKey(em: EntityManager, key: string) {
    return em.execute(`SELECT pg_advisory_xact_lock(?, hashtext(?))`, [MEDIA_LOCK, key]);
  }

  private async changed(em: EntityManager, productId: string): Promise<void> {
    await refreshProductSearch(em, [productId]);
    recordChange(em, { resource: 'products', ids: [productId], type: 'updated', payload: { images: true } });
    await em.flush();
  }

  /** Adds an image after the existing ones; the bytes are checked and normalised first (see MediaStore). */
  async add(productId: string, file: Buffer, alt: string): Promise<ProductImage> {
    await this.assertProduct(productId);
    const image = await this.media.normalise(file);
    return this.em.transactional(async (em) => {
      await this.lockKey(em, image.key);
      // Stored while the key is locked: a concurrent clean-up of the same content cannot remove it under us.
      await this.media.save(image);
      const [last] = await em.execute<{ position: number | null }[]>(
        `SELECT max(position) AS position FROM product_image WHERE product_id = ?`,
        [productId],
      );
      const row = em.create(ProductImageSchema, {
        productId,
        storageKey: image.key,
        contentType: MEDIA_CONTENT_TYPE,
        width: image.width,
        height: image.height,
        sizeBytes: image.data.length,
        alt,
        position: last?.position == null ? 0 : last.position + 1,
      });
      await em.flush();
      await this.changed(em, productId);
      return row;
    });
  }

  async updateAlt(productId: string, imageId: string, alt: string): Promise<ProductImage> {
    const image = await this.find(productId, imageId);
    await this.em.transactional(async (em) => {
      image.alt = alt;
      await em.flush();
      await this.changed(em, productId);
    });
    return image;
  }

  /** New order: every image id of the product exactly once, primary first. */
  async reorder(productId: string, ids: string[]): Promise<ProductImage[]> {
    await this.assertProduct(productId);
    const images = await this.list(productId);
    const known = new Map(images.map((image) => [image.id, image]));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (!known.has(id))
        errors.push({ path: `body/ids/${index}`, message: 'is not an image of this product' });
      else if (seen.has(id)) errors.push({ path: `body/ids/${index}`, message: 'appears twice' });
      seen.add(id);
    });
    if (!errors.length && seen.size !== images.length)
      errors.push({ path: 'body/ids', message: `must list all ${images.length} images of the product` });
    if (errors.length)
      throw CommonErrors.validation('The new order is not a permutation of the images', { errors });
    await this.em.transactional(async (em) => {
      ids.forEach((id, position) => {
        known.get(id)!.position = position;
      });
      await em.flush();
      await this.changed(em, productId);
    });
    return this.list(productId);
  }

  /** Makes an image the primary one (first), keeping the others' order. */
  async makePrimary(productId: string, imageId: string): Promise<ProductImage[]> {
    await this.find(productId, imageId);
    const ids = (await this.list(productId)).map((image) => image.id);
    return this.reorder(productId, [imageId, ...ids.filter((id) => id !== imageId)]);
  }

  async remove(productId: string, imageId: string): Promise<void> {
    const image = await this.find(productId, imageId);
    const key = image.storageKey;
    await this.em.transactional(async (em) => {
      em.remove(image);
      await em.flush();
      await this.changed(em, productId);
    });
    // The bytes go when no image row uses this content any more (the same file may illustrate other products).
    await this.em.fork().transactional(async (em) => {
      await this.lockKey(em, key);
      if (!(await em.count(ProductImageSchema, { storageKey: key }))) await this.media.remove(key);
    });
  }
}
