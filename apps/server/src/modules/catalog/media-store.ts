import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import type { ObjectStorage } from '../../platform/object-storage.ts';
import { CatalogErrors } from './catalog.errors.ts';

/** Widths the store may ask for (`/media/<key>?w=`): a fixed set, so sharp runs a bounded number of times per image. */
export const MEDIA_WIDTHS = [160, 320, 640, 1280] as const;
export type MediaWidth = (typeof MEDIA_WIDTHS)[number];
/** A stored image: the SHA-256 of its normalised bytes, so a key names one content forever. */
export const MEDIA_KEY = /^[0-9a-f]{64}\.webp$/;
export const MEDIA_CONTENT_TYPE = 'image/webp';

/** The stored original is at most this many pixels along its long edge (twice the largest served width). */
const MAX_EDGE = 2560;
/** Decompression bombs: a small file that decodes into billions of pixels is refused before decoding. */
const MAX_INPUT_PIXELS = 50_000_000;
const ACCEPTED: Record<string, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', heif: 'AVIF' };

// Each image is resized once and the result stored, so sharp's decoded-image cache only costs memory.
sharp.cache(false);

export interface NormalisedImage {
  key: string;
  data: Buffer;
  width: number;
  height: number;
}

const originalKey = (key: string) => `originals/${key}`;
const variantKey = (key: string, width: number) => `w${width}/${key}`;

/**
 * Product image bytes: checks what an upload really is (by content, never by the client's content type),
 * normalises it (orientation applied, metadata stripped, sRGB WebP) and stores it under a content-addressed
 * key; resized variants are made on first request and stored next to it.
 */
export class MediaStore {
  /** Resizes in progress, so concurrent first requests for one variant run sharp once. */
  private readonly resizing = new Map<string, Promise<Buffer | undefined>>();

  constructor(readonly storage: ObjectStorage) {}

  async normalise(input: Buffer): Promise<NormalisedImage> {
    let metadata: Metadata;
    try {
      metadata = await sharp(input).metadata();
    } catch {
      throw CatalogErrors.imageType('The file is not an image (accepted: JPEG, PNG, WebP, AVIF)');
    }
    // HEIF covers both AVIF (AV1) and HEIC (HEVC); only AVIF is accepted.
    const accepted =
      metadata.format in ACCEPTED && (metadata.format !== 'heif' || metadata.compression === 'av1');
    if (!accepted) {
      throw CatalogErrors.imageType(
        `${String(metadata.format).toUpperCase()} images are not accepted (accepted: JPEG, PNG, WebP, AVIF)`,
      );
    }
    if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_INPUT_PIXELS) {
      throw CatalogErrors.imageTooLarge(
        `The image has ${metadata.width}×${metadata.height} pixels; at most ${MAX_INPUT_PIXELS / 1_000_000} million are accepted`,
      );
    }
    try {
      const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate() // apply the EXIF orientation before the metadata holding it is dropped
        .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 90, effort: 2 })
        .toBuffer({ resolveWithObject: true });
      const key = `${createHash('sha256').update(data).digest('hex')}.webp`;
      return { key, data, width: info.width, height: info.height };
    } catch {
      throw CatalogErrors.imageUnreadable(
        `The ${ACCEPTED[metadata.format] ?? 'image'} file is damaged or truncated`,
      );
    }
  }

  async save(image: NormalisedImage): Promise<void> {
    await this.storage.put(originalKey(image.key), image.data, MEDIA_CONTENT_TYPE);
  }

  /** The stored original, or undefined for an unknown key. */
  original(key: string): Promise<Buffer | undefined> {
    return this.storage.get(originalKey(key));
  }

  /** The image at this width (never enlarged), made and stored on first request. */
  async resized(key: string, width: MediaWidth): Promise<Buffer | undefined> {
    const cached = await this.storage.get(variantKey(key, width));
    if (cached) return cached;
    const id = variantKey(key, width);
    let pending = this.resizing.get(id);
    if (!pending) {
      pending = this.makeVariant(key, width).finally(() => this.resizing.delete(id));
      this.resizing.set(id, pending);
    }
    return pending;
  }

  private async makeVariant(key: string, width: MediaWidth): Promise<Buffer | undefined> {
    const original = await this.original(key);
    if (!original) return undefined;
    const data = await sharp(original)
      .resize({ width, withoutEnlargement: true })
      .webp({ quality: 82, effort: 2 })
      .toBuffer();
    await this.storage.put(variantKey(key, width), data, MEDIA_CONTENT_TYPE);
    return data;
  }

  /** Removes the original and every resized variant of a key. */
  async remove(key: string): Promise<void> {
    await this.storage.remove([originalKey(key), ...MEDIA_WIDTHS.map((w) => variantKey(key, w))]);
  }
}
