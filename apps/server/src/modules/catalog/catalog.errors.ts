import { defineError } from '../../platform/errors.ts';

export const CatalogErrors = {
  duplicateSku: defineError('MCART_ERR_DUPLICATE_SKU', 409, 'A variant with this SKU already exists'),
  duplicateSlug: defineError('MCART_ERR_DUPLICATE_SLUG', 409, 'Another record already uses this slug'),
  unknownCategory: defineError('MCART_ERR_UNKNOWN_CATEGORY', 400, 'Unknown category'),
  compareAtNotAbove: defineError(
    'MCART_ERR_COMPARE_AT_PRICE',
    400,
    'A compare-at price must be more than the price',
  ),
  priceBelowFixedSale: defineError(
    'MCART_ERR_PRICE_BELOW_FIXED_SALE',
    409,
    'A fixed-amount sale would make this variant free',
  ),
  currencyMismatch: defineError('MCART_ERR_CURRENCY_MISMATCH', 400, "Prices must be in the store's currency"),
  productNotFound: defineError('MCART_ERR_PRODUCT_NOT_FOUND', 404, 'Product not found'),
  variantNotFound: defineError('MCART_ERR_VARIANT_NOT_FOUND', 404, 'Variant not found'),
  categoryNotFound: defineError('MCART_ERR_CATEGORY_NOT_FOUND', 404, 'Category not found'),
  categoryCycle: defineError('MCART_ERR_CATEGORY_CYCLE', 400, 'A category cannot be moved under itself'),
  categoryInUse: defineError('MCART_ERR_CATEGORY_IN_USE', 409, 'The category still has sub-categories'),
  lastVariant: defineError('MCART_ERR_LAST_VARIANT', 409, 'A product keeps at least one variant'),
  searchTooLong: defineError('MCART_ERR_SEARCH_TOO_LONG', 400, 'The search text is too long'),
  pageTooDeep: defineError('MCART_ERR_PAGE_TOO_DEEP', 400, 'The page is beyond the browsable depth'),
  csvInvalid: defineError('MCART_ERR_CSV_INVALID', 422, 'The CSV file has errors; nothing was imported'),
  csvTooLarge: defineError('MCART_ERR_CSV_TOO_LARGE', 413, 'The CSV file is larger than 50 MB'),
  imageTooLarge: defineError('MCART_ERR_IMAGE_TOO_LARGE', 413, 'The image file is too large'),
  imageType: defineError('MCART_ERR_IMAGE_TYPE', 415, 'Not a JPEG, PNG, WebP or AVIF image'),
  imageUnreadable: defineError('MCART_ERR_IMAGE_UNREADABLE', 400, 'The image could not be decoded'),
  imageNotFound: defineError('MCART_ERR_IMAGE_NOT_FOUND', 404, 'Image not found'),
  mediaNotFound: defineError('MCART_ERR_MEDIA_NOT_FOUND', 404, 'No such media'),
};
