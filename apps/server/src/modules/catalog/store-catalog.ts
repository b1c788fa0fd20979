import type pg from 'pg';
import { statementName } from '../../platform/prepared.ts';
import { FreshCache } from './fresh-cache.ts';
import { SwrCache } from './swr-cache.ts';
import type { PriceClock } from './price-clock.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { CatalogErrors } from './catalog.errors.ts';
import { containing } from '../../platform/like.ts';

/** Public URL of a stored image (served by the media route; `?w=` picks a width). */
export const mediaUrl = (key: string) => `/media/${key}`;

export const STORE_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'best_selling'] as const;
export type StoreSort = (typeof STORE_SORTS)[number];

export interface StoreListQuery {
  q?: string | undefined;
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
  onSale?: boolean | undefined;
  option?: string[] | undefined;
  sort?: StoreSort | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

/** How deep offset paging may go (browsing beyond is refining the filters); see ADR "store list performance". */
export const MAX_LIST_DEPTH = 10_000;
/** Search ranks at most this many matches (the best candidates the index hands out); totals are capped there. */
export const SEARCH_CANDIDATES = 1_000;
/** Filtered totals are counted up to this and reported as a lower bound beyond. */
export const COUNT_CAP = 10_000;
export const PRICE_BUCKETS = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000] as const;
/**
 * How long a whole list answer may be served again. A committed catalog change, or a variant going in or out
 * of stock, drops every cached answer at once on every instance (outbox); a sale boundary ends them; so these
 * lifetimes only bound how long an answer could outlive a change whose event was delayed or lost.
 */
export const ANSWER_TTL_MS = 250;
/**
 * The same for product details, the most requested and most cacheable answer of a store: long enough that a
 * catalogue's popular products are served from memory under load, and refreshed in the background when it
 * runs out (stale-while-revalidate), so a popular product never waits for the database.
 */
export const PRODUCT_TTL_MS = 5_000;

interface ListRow {
  id: string;
  slug: string;
  title: string;
  regular_price: number;
  price: number;
  on_sale: boolean;
  sale_ends_at: Date | null;
  in_stock: boolean;
  variant_count: number;
  image: { key: string; alt: string; width: number; height: number } | null;
}

export interface CategoryNode {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  position: number;
}

interface CategoryTree {
  list: CategoryNode[];
  byId: Map<string, CategoryNode>;
  bySlug: Map<string, CategoryNode>;
  /** When it was read (epoch ms): kept a minute at most. */
  at: number;
}

export interface Facets {
  categories: { id: string; slug: string; name: string; count: number }[];
  options: { name: string; values: { value: string; count: number }[] }[];
  prices: { min: number; max: number | null; count: number }[];
}

interface Counted {
  total: number;
  exact: boolean;
  facets: Facets;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_COLUMNS = `ps.product_id AS id, ps.slug, ps.title, ps.regular_price, ps.price, ps.on_sale, ps.sale_ends_at, ps.in_stock, ps.variant_count, ps.image`;
const ORDER: Record<Exclude<StoreSort, 'relevance'>, string> = {
  newest: 'ps.created_at DESC, ps.product_id DESC',
  price_asc: 'ps.price ASC, ps.product_id ASC',
  price_desc: 'ps.price DESC, ps.product_id DESC',
  best_selling: 'ps.sold_count DESC, ps.product_id DESC',
};
/**
 * The order a search takes its candidates in (at most SEARCH_CANDIDATES of the matches): the sort's own
 * order, and for relevance the newest matches. Always a total order (the id last), so the candidates, and
 * with them every page, are the same from one request to the next: never whichever matches the index or a
 * parallel scan happened to hand out first, which changed as rows were rewritten.
 */
const CANDIDATE_ORDER: Record<StoreSort, string> = { ...ORDER, relevance: ORDER.newest };
/** The same orders over a search's candidate set (columns without the table alias); relevance: newer first among equals. */
const CAND_ORDER: Record<StoreSort, string> = {
  relevance: 'rank DESC, created_at DESC, id DESC',
  newest: 'created_at DESC, id DESC',
  price_asc: 'price ASC, id ASC',
  price_desc: 'price DESC, id DESC',
  best_selling: 'sold_count DESC, id DESC',
};
/**
 * "wool jacket" → "wool or jacket" in websearch syntax: the fallback when all the words together match
 * nothing. Only for plain words: quotes and a leading minus keep their meaning, so such a search is left
 * as it is.
 */
export function anyWordQuery(q: string): string | undefined {
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length < 2 || q.includes('"')) return undefined;
  if (words.some((word) => word.startsWith('-') || word.toLowerCase() === 'or')) return undefined;
  return words.join(' or ');
}
/**
 * What PostgreSQL's websearch parser reads between two words: white space, the operator characters it skips
 * (`! & | ( ) <`) and `-`, which negates the next word each time it appears there.
 */
const OPERATOR_RUN = /[\s!&|()<-]+/g;
/**
 * The shopper's words as websearch_to_tsquery takes them safely: each negation stacks an operator until the
 * next word, and more than 32 of them in a row fail the whole query ("tsquery stack too small", a 500 for
 * `q=---…`). A run of operators becomes one `-` when it negates (an odd number of dashes, as `--wool` is
 * `wool`), nothing otherwise, and operators after the last word are dropped. A single `-` is left as it is:
 * `t-shirt`, `-wool`.
 */
export function websearchText(q: string): string {
  return q
    .replace(OPERATOR_RUN, (run: string, offset: number, whole: string) => {
      if (run === '-' || !run.includes('-')) return run;
      if (offset + run.length === whole.length) return ' ';
      return run.match(/-/g)!.length % 2 ? ' -' : ' ';
    })
    .trim();
}
/** PostgreSQL refusing a text-search query for one of its parser's limits (operator stack, size). */
const isTsqueryLimit = (err: unknown) => {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'XX000' || code === '54000') && typeof message === 'string' && /tsquery/i.test(message);
};
/**
 * The statement name of a search: none. Searches run as unnamed statements, planned for their own term every time. A named (prepared) one
 * switches to a generic plan after five runs, and PostgreSQL cannot know a generic term's selectivity:
 * the plan it picked from one zero-match term was a sequential scan over the whole catalogue computing
 * trigram similarity (180 ms instead of 5 ms for every later term). Planning a search costs well under
 * a millisecond; lists and detail, whose plans do not depend on a term, stay prepared.
 */
const UNNAMED = undefined;

/** Filter SQL over product_search `ps`, with its parameters numbered from `first`. */
function filterSql(
  query: StoreListQuery,
  categoryId: string | undefined,
  first: number,
): { sql: string[]; values: unknown[] } {
  const sql: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  if (categoryId) sql.push(`ps.category_ids @> ARRAY[${param(categoryId)}::uuid]`);
  if (query.minPrice !== undefined) sql.push(`ps.price >= ${param(query.minPrice)}::int`);
  if (query.maxPrice !== undefined) sql.push(`ps.price <= ${param(query.maxPrice)}::int`);
  if (query.inStock) sql.push('ps.in_stock');
  if (query.onSale) sql.push('ps.on_sale');
  if (query.option?.length)
    sql.push(`ps.option_values @> ${param(query.option.map((o) => o.toLowerCase()))}::text[]`);
  return { sql, values };
}

/** The facet aggregates over the rows of CTE `m` (category ids, option values, price), and their count. */
const FACET_COLUMNS = (m: string) => `
    (SELECT COALESCE(json_agg(json_build_array(c, n)), '[]') FROM (SELECT unnest(category_ids) AS c, count(*)::int AS n FROM ${m} GROUP BY 1) x) AS categories,
    (SELECT COALESCE(json_agg(json_build_array(o, n)), '[]') FROM (SELECT unnest(option_values) AS o, count(*)::int AS n FROM ${m} GROUP BY 1 ORDER BY 2 DESC LIMIT 200) y) AS options,
    (SELECT COALESCE(json_agg(json_build_array(b, n)), '[]') FROM (SELECT width_bucket(price, ARRAY[${PRICE_BUCKETS.join(',')}]::int[]) AS b, count(*)::int AS n FROM ${m} GROUP BY 1) z) AS prices,
    (SELECT count(*)::int FROM ${m}) AS total`;

const FACETS_SQL = (source: string) => `
  WITH m AS MATERIALIZED (${source})
  SELECT ${FACET_COLUMNS('m')}`;

interface FacetRow {
  categories: [string, number][];
  options: [string, number][];
  prices: [number, number][];
  total: number;
}

/**
 * The store's read side: lists, search, facets and detail from the denormalized read model through the
 * plain `pg` read pool with named prepared statements (no ORM on the hot path). See ADR "store list performance".
 */
export class StoreCatalog {
  /**
   * Totals and facets per filter set: exact data, counts refreshed in the background (ADR "store list
   * performance"), never from before the last sale boundary (the on-sale filter, the price filters and price
   * facets count prices, which moved then: the page already shows the new ones).
   */
  readonly counts: SwrCache<Counted>;
  /** Whole answers for a moment (lists) or a few seconds (products): a burst of identical requests costs one query. */
  private readonly pages = new FreshCache<ListAnswer>(ANSWER_TTL_MS, 2_000, () => this.clock.boundary);
  private readonly products = new FreshCache<ProductAnswer | undefined>(
    PRODUCT_TTL_MS,
    5_000,
    () => this.clock.boundary,
    { staleWhileRevalidate: true },
  );
  private categories: CategoryTree | undefined;
  private categoriesLoading: Promise<CategoryTree> | undefined;
  /**
   * Moves on each `forgetCategories`: a load that began before it (its SELECT may have run before the change
   * committed) still answers its waiters but is not kept, as FreshCache does for answers.
   */
  private categoriesGeneration = 0;

  constructor(
    private readonly pool: pg.Pool,
    /** The sale boundaries answers are cached until (tests reload it). */
    readonly clock: PriceClock,
    readonly currency: string,
  ) {
    this.counts = new SwrCache<Counted>(30_000, 500, () => clock.lastRefresh);
  }

  /** Catalog changed: counts and facets become stale, the category tree is re-read. */
  invalidate(resources: Set<string>): void {
    this.dropAnswers();
    this.counts.invalidate();
    if (resources.has('categories')) this.forgetCategories();
  }

  /** The category tree is read again on next use (a category was created, changed or deleted). */
  forgetCategories(): void {
    this.categories = undefined;
    this.categoriesLoading = undefined;
    this.categoriesGeneration++;
  }

  /** Cached answers are forgotten (a write just committed here, or anywhere in the cluster). */
  dropAnswers(): void {
    this.pages.clear();
    this.products.clear();
  }

  clearCaches(): void {
    this.dropAnswers();
    this.counts.clear();
    this.forgetCategories();
  }

  async categoryTree(): Promise<CategoryTree> {
    if (this.categories && Date.now() - this.categories.at < 60_000) return this.categories;
    if (!this.categoriesLoading) {
      const loading = this.loadCategories().finally(() => {
        if (this.categoriesLoading === loading) this.categoriesLoading = undefined;
      });
      this.categoriesLoading = loading;
    }
    return this.categoriesLoading;
  }

  private async loadCategories(): Promise<CategoryTree> {
    const generation = this.categoriesGeneration;
    const { rows } = await this.pool.query<{
      id: string;
      parent_id: string | null;
      name: string;
      slug: string;
      position: number;
    }>({
      name: 'store-categories',
      text: `SELECT id, parent_id, name, slug, position FROM category ORDER BY position, name`,
    });
    const list = rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      slug: r.slug,
      position: r.position,
    }));
    const tree = {
      list,
      byId: new Map(list.map((c) => [c.id, c])),
      bySlug: new Map(list.map((c) => [c.slug, c])),
      at: Date.now(),
    };
    if (generation === this.categoriesGeneration) this.categories = tree;
    return tree;
  }

  private async resolveCategory(idOrSlug: string | undefined): Promise<string | null | undefined> {
    if (!idOrSlug) return undefined;
    const tree = await this.categoryTree();
    // A slug may look like an id ("12345678-1234-…" is a valid slug): the id first, then the slug.
    const category =
      (UUID.test(idOrSlug) ? tree.byId.get(idOrSlug.toLowerCase()) : undefined) ?? tree.bySlug.get(idOrSlug);
    return category ? category.id : null;
  }

  async list(query: StoreListQuery): Promise<ListAnswer> {
    const perPage = query.perPage ?? 20;
    const page = query.page ?? 1;
    const offset = (page - 1) * perPage;
    if (offset + perPage > MAX_LIST_DEPTH) {
      throw CatalogErrors.pageTooDeep(
        `Pages reach ${MAX_LIST_DEPTH} products deep; narrow the search or filters`,
        {
          errors: [
            {
              path: 'querystring/page',
              message: `must be at most ${Math.floor(MAX_LIST_DEPTH / perPage)} with perPage=${perPage}`,
            },
          ],
        },
      );
    }
    // An empty range is a mistake of the caller (swapped bounds), not a search that found nothing.
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw CommonErrors.validation('The price range is empty: minPrice is above maxPrice', {
        errors: [{ path: 'querystring/maxPrice', message: `must be at least minPrice (${query.minPrice})` }],
      });
    }
    await this.clock.ensureFresh();
    const key = JSON.stringify([
      query.q?.trim() ?? '',
      query.category ?? '',
      query.minPrice ?? null,
      query.maxPrice ?? null,
      query.inStock ?? false,
      query.onSale ?? false,
      query.option ? [...query.option].sort() : [],
      query.sort ?? '',
      page,
      perPage,
    ]);
    return this.pages.get(key, () => this.computeList(query, page, perPage, offset));
  }

  private async computeList(
    query: StoreListQuery,
    page: number,
    perPage: number,
    offset: number,
  ): Promise<ListAnswer> {
    const categoryId = await this.resolveCategory(query.category);
    const q = query.q?.trim() ?? '';
    if (categoryId === null) return this.empty(page, perPage);
    if (q) {
      try {
        return await this.search(query, q, categoryId, page, perPage, offset);
      } catch (err) {
        // websearchText keeps the parser's operator stack small; should a search still overflow a limit of
        // the parser, it is the search text's fault: a 400 naming it, never a 500.
        if (isTsqueryLimit(err))
          throw CatalogErrors.searchTooComplex('Use fewer operators (-, or, quotes) in the search', {
            errors: [{ path: 'querystring/q', message: 'has too many search operators' }],
          });
        throw err;
      }
    }

    const sort = query.sort && query.sort !== 'relevance' ? query.sort : 'newest';
    const filters = filterSql(query, categoryId, 1);
    const where = filters.sql.length ? `WHERE ${filters.sql.join(' AND ')}` : '';
    // Skip on the (covering) sort index first, then read the kept rows: the cost of depth stays in the index.
    const text = `
      WITH page AS (SELECT ps.product_id FROM product_search ps ${where} ORDER BY ${ORDER[sort]} LIMIT $${filters.values.length + 1} OFFSET $${filters.values.length + 2})
      SELECT ${LIST_COLUMNS} FROM page JOIN product_search ps ON ps.product_id = page.product_id ORDER BY ${ORDER[sort]}`;
    const rowsPromise = this.pool.query<ListRow>({
      name: statementName(text, 'store-list'),
      text,
      values: [...filters.values, perPage, offset],
    });
    const countsPromise = this.counts.get(JSON.stringify(['list', filters.sql, filters.values]), () =>
      this.countList(where, filters.values, categoryId),
    );
    const [{ rows }, counted] = await Promise.all([rowsPromise, countsPromise]);
    return this.answer(rows, counted, page, perPage);
  }

  private async search(
    query: StoreListQuery,
    q: string,
    categoryId: string | undefined,
    page: number,
    perPage: number,
    offset: number,
  ) {
    const filters = filterSql(query, categoryId, 2);
    const and = filters.sql.map((s) => ` AND ${s}`).join('');
    const sort = query.sort ?? 'relevance';
    const order = CAND_ORDER[sort];
    const n = filters.values.length;
    // Full-text first: websearch syntax (quotes, OR, -) is parsed by PostgreSQL, never interpreted as SQL or raw tsquery.
    // The candidates are taken in a fixed order (CANDIDATE_ORDER): a sort by a column in that column's order (its
    // covering index), so with more matches than candidates `price_asc` still shows the cheapest matches; relevance
    // ranks the newest matches. Every page reads the same candidates; rank is computed for relevance only.
    const candidates = `
      WITH cand AS MATERIALIZED (
        SELECT ${LIST_COLUMNS}, ps.created_at, ps.sold_count, ps.category_ids, ps.option_values,
               ${sort === 'relevance' ? "ts_rank_cd(ps.document, websearch_to_tsquery('english', $1))" : '0'} AS rank
          FROM product_search ps
         WHERE ps.document @@ websearch_to_tsquery('english', $1)${and}
         ORDER BY ${CANDIDATE_ORDER[sort]}
         LIMIT ${SEARCH_CANDIDATES})`;
    const text = `${candidates}
      SELECT id, slug, title, regular_price, price, on_sale, sale_ends_at, in_stock, variant_count, image, (SELECT count(*)::int FROM cand) AS total
        FROM cand ORDER BY ${order} LIMIT $${n + 2} OFFSET $${n + 3}`;
    const countsKey = (mode: 'fts' | 'fuzzy', words: string) =>
      JSON.stringify([mode, words, filters.sql, filters.values]);
    // The full-text searches read the words made safe for the websearch parser; the fuzzy pass (LIKE and
    // trigrams, no operators) the shopper's text as it is.
    const fts = websearchText(q);
    let result: { rows: (ListRow & { total: number })[] };
    let facetTotal: number | undefined; // the candidates counted along with the facets, when they were
    const started = Date.now();
    if (this.counts.has(countsKey('fts', fts))) {
      result = await this.pool.query<ListRow & { total: number }>({
        name: UNNAMED,
        text,
        values: [fts, ...filters.values, perPage, offset],
      });
    } else {
      // A term not seen lately: its page and its facets from one scan of the candidates.
      const withFacets = `${candidates},
      page AS (SELECT id, slug, title, regular_price, price, on_sale, sale_ends_at, in_stock, variant_count, image,
                      row_number() OVER (ORDER BY ${order}) AS n
                 FROM cand ORDER BY ${order} LIMIT $${n + 2} OFFSET $${n + 3}),
      f AS MATERIALIZED (SELECT $${n + 3}::bigint + 1 AS first_n, ${FACET_COLUMNS('cand')})
      SELECT page.*, f.* FROM page FULL JOIN f ON page.n = f.first_n ORDER BY page.n`;
      const combined = await this.pool.query<ListRow & FacetRow & { n: string | null; first_n: string }>({
        name: UNNAMED,
        text: withFacets,
        values: [fts, ...filters.values, perPage, offset],
      });
      // One row carries the facets: the page's first, or a row of its own when the page is empty.
      const facetRow = combined.rows.find((row) => row.categories !== null)!;
      facetTotal = facetRow.total;
      if (facetTotal > 0)
        this.counts.set(
          countsKey('fts', fts),
          await this.toCounted(facetRow, SEARCH_CANDIDATES, categoryId),
          started,
        );
      result = {
        rows: combined.rows
          .filter((row) => row.n !== null)
          .map(({ categories: _c, options: _o, prices: _p, n: _n, first_n: _f, ...row }) => ({
            ...row,
            total: facetTotal!,
          })),
      };
    }
    let mode: 'fts' | 'fuzzy' = 'fts';
    // The words the answer is for: the shopper's, or any of them when all of them match nothing.
    let words = fts;
    let total =
      result.rows[0]?.total ?? facetTotal ?? (offset > 0 ? await this.ftsTotal(fts, and, filters.values) : 0);
    // With filters, words that match elsewhere mean the filters excluded them: an empty answer.
    if (total === 0 && !(and && (await this.anyWordMatch(fts)))) {
      // All the words together find nothing: any of them (still the full-text index, ranked by how many
      // match), before the trigram pass, which is for typos and costs ten times more under load.
      const anyOf = anyWordQuery(fts);
      if (anyOf) {
        result = await this.pool.query<ListRow & { total: number }>({
          name: UNNAMED,
          text,
          values: [anyOf, ...filters.values, perPage, offset],
        });
        total = result.rows[0]?.total ?? (offset > 0 ? await this.ftsTotal(anyOf, and, filters.values) : 0);
        if (total > 0) words = anyOf;
      }
      if (total === 0 && !(anyOf && and && (await this.anyWordMatch(anyOf)))) {
        // Nothing by words (filters aside): typos and partial SKUs through trigram similarity and substring (pg_trgm GIN).
        mode = 'fuzzy';
        const lowered = q.toLowerCase().slice(0, 100);
        const fuzzy = `
        WITH cand AS MATERIALIZED (
          SELECT ${LIST_COLUMNS}, ps.created_at, ps.sold_count,
                 (CASE WHEN ps.search_text LIKE $${n + 4} THEN 1 ELSE 0 END) + word_similarity($1, ps.search_text) AS rank
            FROM product_search ps
           WHERE (ps.search_text LIKE $${n + 4} OR $1 <% ps.search_text)${and}
           ORDER BY ${CANDIDATE_ORDER[sort]}
           LIMIT ${SEARCH_CANDIDATES})
        SELECT id, slug, title, regular_price, price, on_sale, sale_ends_at, in_stock, variant_count, image, (SELECT count(*)::int FROM cand) AS total
          FROM cand ORDER BY ${order} LIMIT $${n + 2} OFFSET $${n + 3}`;
        result = await this.pool.query<ListRow & { total: number }>({
          name: UNNAMED,
          text: fuzzy,
          values: [lowered, ...filters.values, perPage, offset, containing(lowered)],
        });
        total = result.rows[0]?.total ?? 0;
      }
    }
    const facetSource =
      mode === 'fts'
        ? `SELECT ps.category_ids, ps.option_values, ps.price FROM product_search ps WHERE ps.document @@ websearch_to_tsquery('english', $1)${and} ORDER BY ${CANDIDATE_ORDER[sort]} LIMIT ${SEARCH_CANDIDATES}`
        : `SELECT ps.category_ids, ps.option_values, ps.price FROM product_search ps WHERE (ps.search_text LIKE $${n + 2} OR $1 <% ps.search_text)${and} ORDER BY ${CANDIDATE_ORDER[sort]} LIMIT ${SEARCH_CANDIDATES}`;
    const facetValues =
      mode === 'fts'
        ? [words, ...filters.values]
        : [q.toLowerCase().slice(0, 100), ...filters.values, containing(q.toLowerCase().slice(0, 100))];
    const counted = await this.counts.get(countsKey(mode, mode === 'fts' ? words : q), () =>
      this.facets(facetSource, facetValues, SEARCH_CANDIDATES, categoryId, true),
    );
    return this.answer(result.rows, { ...counted, total, exact: total < SEARCH_CANDIDATES }, page, perPage);
  }

  private async anyWordMatch(q: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ found: boolean }>({
      name: UNNAMED,
      text: `SELECT EXISTS (SELECT 1 FROM product_search ps WHERE ps.document @@ websearch_to_tsquery('english', $1)) AS found`,
      values: [q],
    });
    return rows[0]?.found ?? false;
  }

  private async ftsTotal(q: string, and: string, values: unknown[]): Promise<number> {
    const text = `SELECT count(*)::int AS total FROM (SELECT 1 FROM product_search ps WHERE ps.document @@ websearch_to_tsquery('english', $1)${and} LIMIT ${SEARCH_CANDIDATES}) t`;
    const { rows } = await this.pool.query<{ total: number }>({
      name: UNNAMED,
      text,
      values: [q, ...values],
    });
    return rows[0]?.total ?? 0;
  }

  private async countList(
    where: string,
    values: unknown[],
    categoryId: string | undefined,
  ): Promise<Counted> {
    if (!where) {
      // The whole published catalog: exact count and facets, computed in the background when stale.
      return this.facets(
        `SELECT ps.category_ids, ps.option_values, ps.price FROM product_search ps`,
        [],
        Number.POSITIVE_INFINITY,
        categoryId,
        false,
      );
    }
    return this.facets(
      `SELECT ps.category_ids, ps.option_values, ps.price FROM product_search ps ${where} LIMIT ${COUNT_CAP + 1}`,
      values,
      COUNT_CAP + 1,
      categoryId,
      false,
    );
  }

  /**
   * Category facets drill down: the top-level categories, or the sub-categories of the category filtered on
   * (with the category itself), so a shopper sees the next level to narrow to and the answer stays small.
   */
  private async facets(
    source: string,
    values: unknown[],
    cap: number,
    categoryId: string | undefined,
    byTerm: boolean,
  ): Promise<Counted> {
    const text = FACETS_SQL(source);
    const { rows } = await this.pool.query<FacetRow>({
      name: byTerm ? UNNAMED : statementName(text, 'store-facets'),
      text,
      values,
    });
    return this.toCounted(rows[0]!, cap, categoryId);
  }

  private async toCounted(row: FacetRow, cap: number, categoryId: string | undefined): Promise<Counted> {
    const tree = await this.categoryTree();
    const categories = row.categories
      .flatMap(([id, count]) => {
        const category = tree.byId.get(id);
        const shown = categoryId
          ? id === categoryId || category?.parentId === categoryId
          : category?.parentId === null;
        return category && shown ? [{ id, slug: category.slug, name: category.name, count }] : [];
      })
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    const optionMap = new Map<string, { value: string; count: number }[]>();
    for (const [pair, count] of row.options) {
      const split = pair.indexOf(':');
      const name = pair.slice(0, split);
      const values = optionMap.get(name) ?? [];
      values.push({ value: pair.slice(split + 1), count });
      optionMap.set(name, values);
    }
    const options = [...optionMap.entries()]
      .map(([name, vals]) => ({
        name,
        values: vals.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const prices = row.prices
      .map(([bucket, count]) => ({
        min: PRICE_BUCKETS[bucket - 1] ?? 0,
        max: PRICE_BUCKETS[bucket] ?? null,
        count,
      }))
      .sort((a, b) => a.min - b.min);
    const total = Math.min(row.total, cap === Number.POSITIVE_INFINITY ? row.total : cap - 1);
    return { total, exact: row.total < cap, facets: { categories, options, prices } };
  }

  private empty(page: number, perPage: number) {
    return {
      data: [],
      total: 0,
      totalExact: true,
      page,
      perPage,
      facets: { categories: [], options: [], prices: [] },
    };
  }

  private answer(rows: ListRow[], counted: Counted, page: number, perPage: number) {
    const currency = this.currency;
    return {
      data: rows.map((row) => ({
        id: row.id,
        slug: row.slug,
        title: row.title,
        price: { amount: row.regular_price, currency },
        // A "from" price: a sale shows only when it lowers the cheapest variant's price (a sale on a dearer
        // variant alone still lists the product under onSale, without a sale price equal to its price).
        ...(row.on_sale && row.price < row.regular_price
          ? {
              salePrice: { amount: row.price, currency },
              ...(row.sale_ends_at ? { saleEndsAt: row.sale_ends_at.toISOString() } : {}),
            }
          : {}),
        inStock: row.in_stock,
        variantCount: row.variant_count,
        image: row.image
          ? {
              url: mediaUrl(row.image.key),
              alt: row.image.alt,
              width: row.image.width,
              height: row.image.height,
            }
          : null,
      })),
      total: counted.total,
      totalExact: counted.exact,
      page,
      perPage,
      facets: counted.facets,
    };
  }

  async detail(idOrSlug: string): Promise<ProductAnswer | undefined> {
    await this.clock.ensureFresh();
    return this.products.get(idOrSlug, () => this.computeDetail(idOrSlug));
  }

  /** By id when it looks like one, else (or when no product has that id: a slug may look like an id) by slug. */
  private async computeDetail(idOrSlug: string) {
    if (UUID.test(idOrSlug)) return (await this.detailBy(idOrSlug, true)) ?? this.detailBy(idOrSlug, false);
    return this.detailBy(idOrSlug, false);
  }

  private async detailBy(idOrSlug: string, byId: boolean) {
    const text = `
      SELECT p.id, p.slug, p.title, p.description, p.attributes, p.weight_grams, p.length_mm, p.width_mm, p.height_mm,
             COALESCE((SELECT array_agg(pc.category_id) FROM product_category pc WHERE pc.product_id = p.id), '{}') AS category_ids,
             (SELECT COALESCE(json_agg(json_build_object(
                       'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options, 'price', v.price_amount,
                       'compareAt', v.compare_at_amount, 'salePrice', bs.sale_price, 'saleEndsAt', bs.ends_at,
                       'inStock', COALESCE(st.available > 0 OR st.backorder, false)) ORDER BY v.position, v.sku), '[]')
                FROM variant v
                LEFT JOIN LATERAL mcart_best_sale(v.id, v.product_id, v.price_amount, cl.ids, now()) bs ON bs.sale_price < v.price_amount
                LEFT JOIN catalog_variant_stock st ON st.variant_id = v.id
               WHERE v.product_id = p.id AND v.deleted_at IS NULL) AS variants,
             (SELECT COALESCE(json_agg(json_build_object('id', i.id, 'key', i.storage_key, 'alt', i.alt, 'width', i.width, 'height', i.height) ORDER BY i.position, i.created_at, i.id), '[]')
                FROM product_image i WHERE i.product_id = p.id) AS images
        FROM product p
       CROSS JOIN LATERAL (SELECT mcart_category_closure(COALESCE(array_agg(pc.category_id), '{}')) AS ids
                             FROM product_category pc WHERE pc.product_id = p.id) cl
       WHERE ${byId ? 'p.id = $1::uuid' : 'p.slug = $1'} AND p.status = 'active' AND p.deleted_at IS NULL`;
    const { rows } = await this.pool.query<DetailRow>({
      name: byId ? 'store-detail-id' : 'store-detail-slug',
      text,
      values: [idOrSlug],
    });
    const row = rows[0];
    if (!row || !row.variants.length) return undefined;
    const currency = this.currency;
    const money = (amount: number) => ({ amount, currency });
    return {
      id: row.id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      attributes: row.attributes,
      categoryIds: row.category_ids,
      weightGrams: row.weight_grams,
      dimensionsMm:
        row.length_mm !== null || row.width_mm !== null || row.height_mm !== null
          ? { length: row.length_mm, width: row.width_mm, height: row.height_mm }
          : null,
      images: row.images.map(({ key, ...image }) => ({ ...image, url: mediaUrl(key) })),
      inStock: row.variants.some((v) => v.inStock),
      ...fromPrices(row.variants, money),
      variants: row.variants.map((v) => ({
        id: v.id,
        sku: v.sku,
        title: v.title,
        options: v.options,
        price: money(v.price),
        // Only a former price above today's (a later price rise may have passed an old compare-at).
        ...(v.compareAt !== null && v.compareAt > v.price ? { compareAtPrice: money(v.compareAt) } : {}),
        ...(v.salePrice !== null
          ? {
              salePrice: money(v.salePrice),
              ...(v.saleEndsAt ? { saleEndsAt: new Date(v.saleEndsAt).toISOString() } : {}),
            }
          : {}),
        inStock: v.inStock,
      })),
    };
  }
}

/**
 * A product's "from" prices: the cheapest variant's regular price, and the cheapest price now only when a
 * sale makes it lower (a sale on a dearer variant alone would otherwise show as a "sale" to the same price).
 */
function fromPrices<M>(
  variants: { price: number; salePrice: number | null }[],
  money: (amount: number) => M,
) {
  const regular = Math.min(...variants.map((v) => v.price));
  const now = Math.min(...variants.map((v) => v.salePrice ?? v.price));
  return { price: money(regular), ...(now < regular ? { salePrice: money(now) } : {}) };
}

export type ListAnswer = ReturnType<StoreCatalog['answer']>;
export type ProductAnswer = NonNullable<Awaited<ReturnType<StoreCatalog['detailBy']>>>;

interface DetailRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  attributes: Record<string, string>;
  weight_grams: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  category_ids: string[];
  variants: {
    id: string;
    sku: string;
    title: string;
    options: Record<string, string>;
    price: number;
    compareAt: number | null;
    salePrice: number | null;
    saleEndsAt: string | null;
    inStock: boolean;
  }[];
  images: { id: string; key: string; alt: string; width: number; height: number }[];
}
