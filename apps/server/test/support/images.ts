import sharp from 'sharp';

/** A real image of this size and format, made with sharp (a colour gradient-free block is enough for decoding). */
export async function makeImage(
  format: 'png' | 'jpeg' | 'webp' | 'avif' | 'gif',
  width = 800,
  height = 600,
  options: { exif?: Record<string, Record<string, string>> } = {},
): Promise<Buffer> {
  let image = sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } },
  }).toFormat(format);
  if (options.exif) image = image.withExif(options.exif);
  return image.toBuffer();
}

/** A multipart/form-data body with one file part (and optional text fields before it), as a browser sends it. */
export function multipartBody(
  file: Buffer,
  options: {
    filename?: string;
    contentType?: string;
    fields?: Record<string, string>;
    fieldName?: string;
  } = {},
): { headers: Record<string, string>; payload: Buffer } {
  const boundary = `----mcart-image-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${options.fieldName ?? 'file'}"; filename="${options.filename ?? 'photo.png'}"\r\n` +
        `Content-Type: ${options.contentType ?? 'image/png'}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  };
}
