/**
 * What became of a multipart upload that failed (@fastify/multipart), for the routes that take files: over the
 * route's size limit, or one of the plugin's own client errors (too many files, fields or parts, no boundary),
 * answered with its 4xx. Anything else while reading the file is a body that ended early.
 */
export const isFileTooLarge = (err: unknown): boolean =>
  (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';

export function isMultipartClientError(err: unknown): boolean {
  const { code, statusCode } = (err ?? {}) as { code?: string; statusCode?: number };
  return !!code?.startsWith('FST_') && typeof statusCode === 'number' && statusCode < 500;
}
