import { randomUUID } from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse';
import { csvStream, fromSpreadsheet } from '../../platform/csv.ts';
import { recordChange } from '../../platform/outbox.ts';
import type { FieldError } from '../../platform/errors.ts';
import { PRODUCT_STATUSES, ProductSchema, VariantSchema, type ProductStatus } from './catalog.entities.ts';
import {
  freedBySaleMessage,
  pgArray,
  pricesFreedBySale,
  refreshProductSearch,
  syncVariantStock,
} from './catalog.queries.ts';
import type { AdminListQuery } from './catalog.service.ts';
import { CatalogErrors } from './catalog.errors.ts';
import { isFileTooLarge } from '../../platform/uploads.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { MAX_PRICE } from './catalog.schemas.ts';
import { isDeletedCategoryViolation } from './catalog.service.ts';
import { NOT_BLANK_SINGLE_LINE_PATTERN, SINGLE_LINE_PATTERN } from '../../platform/schemas.ts';
import {
  isSkuViolation,
  liveSkuMatches,
  liveVariantOptions,
  optionsKey,
  skuCaseMessage,
  type SkuMatch,
} from './variant-identity.ts';
import { containing } from '../../platform/like.ts';

/** One row per variant; product columns repeat on each of its variants. Money in minor units; maps as JSON. */
export const CSV_COLUMNS = [
  'sku',
  'product_slug',
  'product_title',
  'status',
  'description',
  'category_slugs',
  'attributes_json',
  'product_weight_grams',
  'length_mm',
  'width_mm',
  'height_mm',
  'variant_title',
  'options_json',
  'price_minor',
  'compare_at_price_minor',
  'variant_weight_grams',
  'position',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
type CsvRow = Record<Column, string>;

export const MAX_CSV_BYTES = 50 * 1024 * 1024;
const MAX_REPORTED_ERRORS = 1000;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** What the JSON API takes (catalog.schemas.ts): titles and option values on one line, option names it can filter on. */
const ONE_LINE = new RegExp(SINGLE_LINE_PATTERN, 'u');
const ONE_LINE_NOT_BLANK = new RegExp(NOT_BLANK_SINGLE_LINE_PATTERN, 'u');
const OPTION_NAME = /^[A-Za-z0-9 _-]{1,40}$/;
/** The JSON API's limits (catalog.schemas.ts): a file can set nothing the API would refuse. */
const MAX_DESCRIPTION = 100_000;
const MAX_DIMENSION = 10_000_000;
const MAX_POSITION = 10_000;

interface ExportRow {
  product_id: string;
  variant_id: string;
  sku: string;
  slug: string;
  product_title: string;
  status: string;
  description: string;
  category_slugs: string | null;
  attributes: Record<string, string>;
  product_weight: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  variant_title: string;
  options: Record<string, string>;
  price_amount: number;
  compare_at_amount: number | null;
  variant_weight: number | null;
  position: number;
}

const num = (value: number | null) => (value === null || value === undefined ? '' : String(value));

/** Streams the filtered product list as CSV, one line per variant, in keyset batches (no row limit, bounded memory). */
export function exportProductsCsv(
  em: EntityManager,
  query: Pick<AdminListQuery, 'q' | 'status' | 'categoryId'>,
): Readable {
  const where: string[] = ['p.deleted_at IS NULL', 'v.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (query.status) {
    where.push('p.status = ?');
    params.push(query.status);
  }
  if (query.q) {
    const like = containing(query.q);
    where.push(
      '(p.title ILIKE ? OR EXISTS (SELECT 1 FROM variant sv WHERE sv.product_id = p.id AND sv.deleted_at IS NULL AND sv.sku ILIKE ?))',
    );
    params.push(like, like);
  }
  if (query.categoryId) {
    where.push(`EXISTS (SELECT 1 FROM product_category fc WHERE fc.product_id = p.id AND fc.category_id IN (
      WITH RECURSIVE down AS (SELECT id FROM category WHERE id = ? UNION SELECT c.id FROM category c JOIN down ON c.parent_id = down.id)
      SELECT id FROM down))`);
    params.push(query.categoryId);
  }
  async function* rows(): AsyncGenerator<string[]> {
    yield [...CSV_COLUMNS];
    let after: [string, string] = [
      '00000000-0000-0000-0000-000000000000',
      '00000000-0000-0000-0000-000000000000',
    ];
    for (;;) {
      const batch = await em.execute<ExportRow[]>(
        `SELECT p.id AS product_id, v.id AS variant_id, v.sku, p.slug, p.title AS product_title, p.status, p.description,
                (SELECT string_agg(c.slug, '|' ORDER BY c.slug) FROM product_category pc JOIN category c ON c.id = pc.category_id WHERE pc.product_id = p.id) AS category_slugs,
                p.attributes, p.weight_grams AS product_weight, p.length_mm, p.width_mm, p.height_mm,
                v.title AS variant_title, v.options, v.price_amount, v.compare_at_amount, v.weight_grams AS variant_weight, v.position
           FROM product p JOIN variant v ON v.product_id = p.id
          WHERE ${where.join(' AND ')} AND (p.id, v.id) > (?::uuid, ?::uuid)
          ORDER BY p.id, v.id
          LIMIT 1000`,
        [...params, ...after],
      );
      for (const r of batch) {
        yield [
          r.sku,
          r.slug,
          r.product_title,
          r.status,
          r.description,
          r.category_slugs ?? '',
          Object.keys(r.attributes ?? {}).length ? JSON.stringify(r.attributes) : '',
          num(r.product_weight),
          num(r.length_mm),
          num(r.width_mm),
          num(r.height_mm),
          r.variant_title,
          Object.keys(r.options ?? {}).length ? JSON.stringify(r.options) : '',
          String(r.price_amount),
          num(r.compare_at_amount),
          num(r.variant_weight),
          String(r.position),
        ];
      }
      const last = batch.at(-1);
      if (!last || batch.length < 1000) return;
      after = [last.product_id, last.variant_id];
    }
  }
  return csvStream(rows());
}

interface ParsedVariant {
  line: number;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: number;
  compareAt: number | null;
  weightGrams: number | null;
  position: number;
}
interface ParsedProduct {
  line: number;
  slug: string;
  title: string;
  status: ProductStatus;
  description: string;
  categorySlugs: string[];
  attributes: Record<string, string>;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  variants: ParsedVariant[];
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  products: { created: number; updated: number };
  variants: { created: number; updated: number };
  errors: { line: number; column?: string; message: string }[];
}

function stringMap(
  raw: string,
  column: Column,
  line: number,
  errors: ImportReport['errors'],
): Record<string, string> {
  if (!raw.trim()) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length <= 10 &&
      Object.entries(value).every(
        ([k, v]) =>
          OPTION_NAME.test(k) &&
          k !== '__proto__' &&
          typeof v === 'string' &&
          v.length <= 100 &&
          ONE_LINE_NOT_BLANK.test(v),
      )
    ) {
      return value as Record<string, string>;
    }
  } catch {
    // reported below
  }
  errors.push({
    line,
    column,
    message:
      'must be a JSON object of at most 10 names (letters, digits, space, _ -) with one-line text values, e.g. {"size":"M"}',
  });
  return {};
}

function integer(
  raw: string,
  column: Column,
  line: number,
  errors: ImportReport['errors'],
  { required = false, max = MAX_PRICE } = {},
): number | null {
  const text = raw.trim();
  if (!text) {
    if (required) errors.push({ line, column, message: 'is required' });
    return null;
  }
  if (!/^\d{1,10}$/.test(text) || Number(text) > max) {
    errors.push({
      line,
      column,
      message:
        max === MAX_PRICE
          ? 'must be a whole number ≥ 0 (minor units for prices)'
          : `must be a whole number from 0 to ${max}`,
    });
    return null;
  }
  return Number(text);
}

/** A map as JSON with its keys in order: two lines giving the same attributes in another order agree. */
const sortedJson = (map: Record<string, string>) =>
  JSON.stringify(
    Object.keys(map)
      .sort()
      .map((key) => [key, map[key]]),
  );

/**
 * The upload stream failed before the file was read to its end: the file size limit (the route answers 413),
 * or a body cut short (no closing multipart boundary: a connection dropped, a client that stopped sending),
 * which is no CSV error to report by line but a file to send again.
 */
function uploadError(err: Error): Error {
  if (isFileTooLarge(err)) return err;
  return CatalogErrors.uploadIncomplete(
    'The file did not arrive whole (the upload ended early); send it again',
    {
      errors: [{ path: 'body/file', message: 'is incomplete' }],
    },
  );
}

/**
 * Imports (upserts by SKU) a product CSV, all or nothing: the whole file is parsed and checked first; any
 * error → a report with row-level errors and nothing written. `dryRun` stops after the checks.
 */
export async function importProductsCsv(
  em: EntityManager,
  input: Readable,
  options: { dryRun: boolean },
): Promise<ImportReport> {
  const errors: ImportReport['errors'] = [];
  const products = new Map<string, ParsedProduct>();
  /** Each SKU of the file (without case) with the line it is first on, as written there. */
  const skus = new Map<string, { line: number; sku: string }>();
  let rows = 0;
  // SKU conflicts (a SKU used twice in the file, or by another product, in any case) are counted apart: when they
  // are the only errors, the answer is the API's 409 MCART_ERR_DUPLICATE_SKU (`onlySkuConflicts`).
  const skuErrors = new WeakSet<object>();
  let errorCount = 0;
  let skuErrorCount = 0;
  const skuError = (error: ImportReport['errors'][number]) => {
    skuErrors.add(error);
    return error;
  };
  const addError = (error: ImportReport['errors'][number]) => {
    errorCount++;
    if (skuErrors.has(error)) skuErrorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
  };

  const parser = parse({
    columns: true,
    bom: true,
    trim: false,
    skip_empty_lines: true,
    relax_column_count: false,
    max_record_size: 1_000_000,
  });
  // `pipe` passes on neither a failure of the upload nor its end before the end of the file: an upload cut
  // short (a multipart body without its closing boundary, whose file stream is destroyed unfinished, maybe
  // before this runs) would leave the parser, and this import, waiting for the rest of the file forever.
  let uploadFailed: Error | undefined;
  finished(input, { writable: false }, (err) => {
    if (!err) return;
    uploadFailed ??= err;
    parser.destroy(err);
  });
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      rows++;
      const line = rows + 1;
      if (rows === 1) {
        const missing = CSV_COLUMNS.filter((c) => c !== 'position' && !(c in record));
        if (missing.length) {
          addError({ line: 1, message: `missing columns: ${missing.join(', ')}` });
          break;
        }
      }
      const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, fromSpreadsheet(record[c] ?? '')])) as CsvRow;
      const rowErrors: ImportReport['errors'] = [];
      // Bytes that were not UTF-8 arrive as U+FFFD: stored, they would lose the text for good (é → �).
      for (const column of CSV_COLUMNS) {
        if (row[column].includes('\uFFFD'))
          rowErrors.push({ line, column, message: 'is not UTF-8 text: save the file as "CSV UTF-8"' });
        else if (row[column].includes('\u0000'))
          rowErrors.push({ line, column, message: 'contains the NUL character (U+0000)' });
      }
      const sku = row.sku.trim();
      if (!SKU.test(sku))
        rowErrors.push({ line, column: 'sku', message: 'must be 1-64 letters, digits, . _ / -' });
      else {
        const first = skus.get(sku.toLowerCase());
        if (!first) skus.set(sku.toLowerCase(), { line, sku });
        else
          rowErrors.push(
            skuError({
              line,
              column: 'sku',
              message:
                first.sku === sku
                  ? `repeats line ${first.line}`
                  : `repeats line ${first.line} ("${first.sku}"; SKUs are compared without case)`,
            }),
          );
      }
      const slug = row.product_slug.trim();
      if (!SLUG.test(slug) || slug.length > 200)
        rowErrors.push({
          line,
          column: 'product_slug',
          message: 'must be lower-case words joined by dashes',
        });
      const title = row.product_title.trim();
      if (!title || title.length > 300 || !ONE_LINE.test(title))
        rowErrors.push({
          line,
          column: 'product_title',
          message: 'is required: one line of at most 300 characters',
        });
      if (!ONE_LINE.test(row.variant_title) || row.variant_title.length > 200)
        rowErrors.push({
          line,
          column: 'variant_title',
          message: 'must be one line of at most 200 characters',
        });
      if (row.description.length > MAX_DESCRIPTION)
        rowErrors.push({
          line,
          column: 'description',
          message: `must be at most ${MAX_DESCRIPTION} characters`,
        });
      const status = (row.status.trim() || 'draft') as ProductStatus;
      if (!PRODUCT_STATUSES.includes(status))
        rowErrors.push({ line, column: 'status', message: `must be one of ${PRODUCT_STATUSES.join(', ')}` });
      const price = integer(row.price_minor, 'price_minor', line, rowErrors, { required: true });
      const product: ParsedProduct = {
        line,
        slug,
        title,
        status,
        description: row.description,
        categorySlugs: row.category_slugs
          .split('|')
          .map((s) => s.trim())
          .filter(Boolean),
        attributes: stringMap(row.attributes_json, 'attributes_json', line, rowErrors),
        weightGrams: integer(row.product_weight_grams, 'product_weight_grams', line, rowErrors, {
          max: MAX_DIMENSION,
        }),
        lengthMm: integer(row.length_mm, 'length_mm', line, rowErrors, { max: MAX_DIMENSION }),
        widthMm: integer(row.width_mm, 'width_mm', line, rowErrors, { max: MAX_DIMENSION }),
        heightMm: integer(row.height_mm, 'height_mm', line, rowErrors, { max: MAX_DIMENSION }),
        variants: [],
      };
      const variant: ParsedVariant = {
        line,
        sku,
        title: row.variant_title,
        options: stringMap(row.options_json, 'options_json', line, rowErrors),
        price: price ?? 0,
        compareAt: integer(row.compare_at_price_minor, 'compare_at_price_minor', line, rowErrors),
        weightGrams: integer(row.variant_weight_grams, 'variant_weight_grams', line, rowErrors, {
          max: MAX_DIMENSION,
        }),
        position: integer(row.position, 'position', line, rowErrors, { max: MAX_POSITION }) ?? 0,
      };
      const existing = products.get(slug);
      if (existing) {
        // Product columns repeat on every variant line: they must agree (the first line's would be kept, the
        // others dropped without a word). A column this line has an error in already is not compared.
        const unreadable = new Set(rowErrors.map((e) => e.column));
        for (const [key, a, b] of [
          ['product_title', existing.title, product.title],
          ['status', existing.status, product.status],
          ['description', existing.description, product.description],
          ['category_slugs', existing.categorySlugs.join('|'), product.categorySlugs.join('|')],
          ['attributes_json', sortedJson(existing.attributes), sortedJson(product.attributes)],
          ['product_weight_grams', existing.weightGrams, product.weightGrams],
          ['length_mm', existing.lengthMm, product.lengthMm],
          ['width_mm', existing.widthMm, product.widthMm],
          ['height_mm', existing.heightMm, product.heightMm],
        ] as const) {
          if (a !== b && !unreadable.has(key))
            rowErrors.push({
              line,
              column: key,
              message: `differs from line ${existing.line} of the same product`,
            });
        }
        existing.variants.push(variant);
      } else {
        product.variants.push(variant);
        products.set(slug, product);
      }
      rowErrors.forEach(addError);
    }
  } catch (err) {
    if (uploadFailed) throw uploadError(uploadFailed);
    const info = err as { code?: string; lines?: number; message?: string };
    if (info.code === 'MCART_ERR_CSV_TOO_LARGE') throw err;
    addError({
      line: (info.lines ?? rows) + 0,
      message: `malformed CSV: ${info.message ?? 'cannot be parsed'}`,
    });
  }
  if (uploadFailed) throw uploadError(uploadFailed);
  if (!rows && !errors.length) addError({ line: 1, message: 'the file has no data rows' });

  // Checks against the database: categories exist; a SKU that exists belongs to the same product slug.
  const categorySlugs = [...new Set([...products.values()].flatMap((p) => p.categorySlugs))];
  const categories = new Map<string, string>();
  if (categorySlugs.length) {
    const found = await em.execute<{ id: string; slug: string }[]>(
      `SELECT id, slug FROM category WHERE slug = ANY (?::text[])`,
      [pgArray(categorySlugs)],
    );
    for (const c of found) categories.set(c.slug, c.id);
  }
  for (const product of products.values()) {
    for (const slug of product.categorySlugs) {
      if (!categories.has(slug))
        addError({ line: product.line, column: 'category_slugs', message: `unknown category "${slug}"` });
    }
  }
  // An existing SKU (exactly as written) is the variant the line updates; one that differs only in case is
  // another variant's: a new SKU may not be that. Two variants kept from before SKUs were unique without case are
  // left as they are (their lines update them).
  const existingVariants = new Map<string, SkuMatch>();
  const otherCase = new Map<string, SkuMatch>();
  for (const match of await liveSkuMatches(
    em,
    [...skus.values()].map((s) => s.sku),
  )) {
    if (match.sku === match.input) existingVariants.set(match.input, match);
    else if (!otherCase.has(match.input)) otherCase.set(match.input, match);
  }
  const existingProducts = new Map<string, string>();
  const slugs = [...products.keys()];
  for (let i = 0; i < slugs.length; i += 5000) {
    const found = await em.execute<{ id: string; slug: string }[]>(
      `SELECT id, slug FROM product WHERE deleted_at IS NULL AND slug = ANY (?::text[])`,
      [pgArray(slugs.slice(i, i + 5000))],
    );
    for (const p of found) existingProducts.set(p.slug, p.id);
  }
  for (const product of products.values()) {
    for (const variant of product.variants) {
      const existing = existingVariants.get(variant.sku);
      const caseTwin = existing ? undefined : otherCase.get(variant.sku);
      if (existing && existing.product_slug !== product.slug) {
        addError(
          skuError({
            line: variant.line,
            column: 'sku',
            message: `belongs to product "${existing.product_slug}"`,
          }),
        );
      } else if (caseTwin) {
        addError(
          skuError({
            line: variant.line,
            column: 'sku',
            message: `${skuCaseMessage(caseTwin.sku)}, on product "${caseTwin.product_slug}"`,
          }),
        );
      }
    }
  }

  // A compare-at price is shown as the former price: above the price, as the API has it. A line that leaves a
  // stored variant's price and compare-at as they are is not checked again (as a change of neither is not by the
  // API): a price raised past an old compare-at (a bulk change may) is kept, the store no longer shows that
  // compare-at, and an export of such a variant imports back.
  const storedPrices = new Map<string, { price: number; compareAt: number | null }>();
  const storedIds = [...new Set([...existingVariants.values()].map((match) => match.id))];
  for (let i = 0; i < storedIds.length; i += 5000) {
    const found = await em.execute<{ id: string; price_amount: number; compare_at_amount: number | null }[]>(
      `SELECT id, price_amount, compare_at_amount FROM variant WHERE id = ANY (?::uuid[])`,
      [pgArray(storedIds.slice(i, i + 5000))],
    );
    for (const v of found)
      storedPrices.set(v.id, {
        price: Number(v.price_amount),
        compareAt: v.compare_at_amount === null ? null : Number(v.compare_at_amount),
      });
  }
  for (const product of products.values()) {
    for (const variant of product.variants) {
      if (variant.compareAt === null || variant.compareAt > variant.price) continue;
      const existing = existingVariants.get(variant.sku);
      const stored =
        existing && existing.product_slug === product.slug ? storedPrices.get(existing.id) : undefined;
      if (stored && stored.price === variant.price && stored.compareAt === variant.compareAt) continue;
      addError({
        line: variant.line,
        column: 'compare_at_price_minor',
        message: 'must be more than price_minor (it is shown as the former price), or empty',
      });
    }
  }

  // Variants of one product with the same options cannot be told apart: a line that adds or changes options
  // may not give them those of another variant of its product (in the file, or already stored and not in it).
  const stored = await liveVariantOptions(em, [...existingProducts.values()]);
  const storedById = new Map(stored.map((v) => [v.id, v]));
  for (const product of products.values()) {
    const productId = existingProducts.get(product.slug);
    const lines = new Set(
      product.variants.flatMap((v) => {
        const existing = existingVariants.get(v.sku);
        return existing && existing.product_id === productId ? [existing.id] : [];
      }),
    );
    const groups = new Map<string, { label: string; line?: number; changed: boolean }[]>();
    const member = (
      options: Record<string, string>,
      entry: { label: string; line?: number; changed: boolean },
    ) => {
      const key = optionsKey(options);
      if (key) groups.set(key, [...(groups.get(key) ?? []), entry]);
    };
    for (const variant of stored)
      if (variant.product_id === productId && !lines.has(variant.id))
        member(variant.options, { label: `variant ${variant.sku}`, changed: false });
    for (const variant of product.variants) {
      const existing = existingVariants.get(variant.sku);
      const before = existing && existing.product_id === productId ? storedById.get(existing.id) : undefined;
      member(variant.options, {
        label: `line ${variant.line}`,
        line: variant.line,
        changed: !before || optionsKey(before.options) !== optionsKey(variant.options),
      });
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (const entry of group) {
        if (!entry.changed || entry.line === undefined) continue;
        const other = group.find((o) => o !== entry)!;
        addError({
          line: entry.line,
          column: 'options_json',
          message: `are the same as those of ${other.label} of the same product`,
        });
      }
    }
  }

  // A price (or categories) that a fixed sale running or scheduled on the variant would take to zero gives
  // it away (ADR "sale pricing"): an invalid row, like any other. Rows with unknown categories are reported already.
  const priced = [...products.values()]
    .filter((product) => product.categorySlugs.every((slug) => categories.has(slug)))
    .flatMap((product) => product.variants.map((variant) => ({ product, variant })));
  const freed = await pricesFreedBySale(
    em,
    priced.map(({ product, variant }) => ({
      variantId: existingVariants.get(variant.sku)?.id,
      productId: existingProducts.get(product.slug),
      price: variant.price,
      categoryIds: product.categorySlugs.map((slug) => categories.get(slug)!),
    })),
  );
  for (const f of freed)
    addError({ line: priced[f.index]!.variant.line, column: 'price_minor', message: freedBySaleMessage(f) });

  const report: ImportReport = {
    dryRun: options.dryRun,
    rows,
    products: { created: 0, updated: 0 },
    variants: { created: 0, updated: 0 },
    errors: errors.sort((a, b) => a.line - b.line),
  };
  for (const product of products.values()) {
    if (existingProducts.has(product.slug)) report.products.updated++;
    else report.products.created++;
    for (const variant of product.variants) {
      if (existingVariants.has(variant.sku)) report.variants.updated++;
      else report.variants.created++;
    }
  }
  if (errorCount > 0 && errorCount === skuErrorCount) SKU_CONFLICTS_ONLY.add(report);
  if (report.errors.length || options.dryRun) return report;

  try {
    await writeImport(em, products, existingProducts, existingVariants, categories);
  } catch (err) {
    // A SKU given to another variant between the checks and the write: the unique indexes are the last word.
    if (isSkuViolation(err))
      throw CatalogErrors.duplicateSku(
        'A variant with one of these SKUs was just created; nothing was imported',
      );
    if (isDeletedCategoryViolation(err))
      throw CatalogErrors.unknownCategory(
        'A category of the file was deleted meanwhile; nothing was imported',
      );
    throw err;
  }
  return report;
}

const SKU_CONFLICTS_ONLY = new WeakSet<ImportReport>();
/** The report's errors are all SKU conflicts (used twice in the file, or by another variant, in any case). */
export const onlySkuConflicts = (report: ImportReport) => SKU_CONFLICTS_ONLY.has(report);

async function writeImport(
  em: EntityManager,
  products: Map<string, ParsedProduct>,
  existingProducts: Map<string, string>,
  existingVariants: Map<string, SkuMatch>,
  categories: Map<string, string>,
): Promise<void> {
  await em.transactional(async (tx) => {
    // The products the file updates, locked and still live: one deleted since the checks would otherwise get
    // its lines written (variants of a deleted product, holding their SKUs for good).
    const updated = [...existingProducts.values()].sort();
    for (let i = 0; i < updated.length; i += 5000) {
      const batch = updated.slice(i, i + 5000);
      const live = await tx.execute<{ id: string }[]>(
        `SELECT id FROM product WHERE id = ANY (?::uuid[]) AND deleted_at IS NULL ORDER BY id FOR NO KEY UPDATE`,
        [pgArray(batch)],
      );
      if (live.length !== batch.length)
        throw CommonErrors.staleWrite(
          'A product of the file was deleted while it was imported; nothing was imported. Import the file again',
        );
    }
    const touchedProducts: string[] = [];
    const touchedVariants: string[] = [];
    const createdVariants: string[] = [];
    for (const parsed of products.values()) {
      const productId = existingProducts.get(parsed.slug);
      const product = productId
        ? await tx.findOneOrFail(ProductSchema, { id: productId })
        : tx.create(ProductSchema, {
            id: randomUUID(),
            slug: parsed.slug,
            title: parsed.title,
            status: parsed.status,
            attributes: {},
            deletedAt: null,
          });
      Object.assign(product, {
        title: parsed.title,
        status: parsed.status,
        description: parsed.description,
        attributes: parsed.attributes,
        weightGrams: parsed.weightGrams,
        lengthMm: parsed.lengthMm,
        widthMm: parsed.widthMm,
        heightMm: parsed.heightMm,
      });
      // Variants refer to the product by a plain id: the product row goes first.
      await tx.flush();
      touchedProducts.push(product.id);
      const categoryIds = parsed.categorySlugs.map((slug) => categories.get(slug)!);
      await tx.execute(
        `DELETE FROM product_category WHERE product_id = ? AND NOT (category_id = ANY (?::uuid[]))`,
        [product.id, pgArray(categoryIds)],
      );
      if (categoryIds.length) {
        await tx.execute(
          `INSERT INTO product_category (product_id, category_id) SELECT ?, unnest(?::uuid[]) ON CONFLICT DO NOTHING`,
          [product.id, pgArray(categoryIds)],
        );
      }
      for (const row of parsed.variants) {
        const existing = existingVariants.get(row.sku);
        const variant = existing
          ? await tx.findOneOrFail(VariantSchema, { id: existing.id })
          : tx.create(VariantSchema, {
              id: randomUUID(),
              productId: product.id,
              sku: row.sku,
              priceAmount: row.price,
              options: {},
              deletedAt: null,
            });
        Object.assign(variant, {
          title: row.title,
          options: row.options,
          priceAmount: row.price,
          compareAtAmount: row.compareAt,
          weightGrams: row.weightGrams,
          position: row.position,
        });
        touchedVariants.push(variant.id);
        if (!existing) createdVariants.push(variant.id);
      }
      await tx.flush();
    }
    await syncVariantStock(tx, createdVariants);
    for (let i = 0; i < touchedProducts.length; i += 2000)
      await refreshProductSearch(tx, touchedProducts.slice(i, i + 2000));
    for (let i = 0; i < touchedProducts.length; i += 1000) {
      recordChange(tx, {
        resource: 'products',
        ids: touchedProducts.slice(i, i + 1000),
        type: 'updated',
        payload: { reason: 'import' },
      });
    }
    for (let i = 0; i < touchedVariants.length; i += 1000) {
      recordChange(tx, {
        resource: 'variants',
        ids: touchedVariants.slice(i, i + 1000),
        type: 'updated',
        payload: { reason: 'import' },
      });
    }
    await tx.flush();
  });
}

export const csvErrorsToFieldErrors = (report: ImportReport): FieldError[] =>
  report.errors.map((e) => ({ path: `line/${e.line}${e.column ? `/${e.column}` : ''}`, message: e.message }));
