import type { DataProvider, Identifier, RaRecord } from 'react-admin';
import { appendQuery, type HttpClient } from './http.ts';

export const ADMIN_API = '/api/admin';

// Paging and sorting keys of the list convention; a filter with the same name must not override them.
const RESERVED = new Set(['page', 'perPage', 'sort', 'order']);

/** The server's largest page (`perPage` maximum of every admin list, platform/schemas.ts). */
export const MAX_PER_PAGE = 500;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The server pages to fetch for a react-admin page larger than the server allows (the export
 * button asks for 1000 rows at once): pages of a size that divides both, so they tile it exactly.
 */
export function serverPages(page: number, perPage: number): { page: number; perPage: number }[] {
  if (perPage <= MAX_PER_PAGE) return [{ page, perPage }];
  const size = gcd(perPage, MAX_PER_PAGE);
  const first = ((page - 1) * perPage) / size + 1;
  return Array.from({ length: perPage / size }, (_, i) => ({ page: first + i, perPage: size }));
}

interface ListBody<T> {
  data: T[];
  total: number;
}

const resourcePath = (resource: string, id?: Identifier): string =>
  `${ADMIN_API}/${encodeURIComponent(resource)}${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}`;

function listQuery(
  pagination: { page: number; perPage: number } | undefined,
  sort: { field: string; order: 'ASC' | 'DESC' | string } | undefined,
  filter: Record<string, unknown> | undefined,
): URLSearchParams {
  const params = new URLSearchParams();
  if (pagination) {
    params.set('page', String(pagination.page));
    params.set('perPage', String(pagination.perPage));
  }
  if (sort?.field) {
    params.set('sort', sort.field);
    params.set('order', sort.order === 'DESC' ? 'DESC' : 'ASC');
  }
  const filters = Object.fromEntries(Object.entries(filter ?? {}).filter(([key]) => !RESERVED.has(key)));
  return appendQuery(params, filters);
}

/** PATCH sends only what the form changed, so two staff editing different fields do not clobber each other. */
export function changedFields(
  data: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!previous) return data;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'id') continue;
    if (JSON.stringify(value) !== JSON.stringify(previous[key])) changes[key] = value;
  }
  return changes;
}

/**
 * Optimistic concurrency (docs/modules.md): a PATCH carries the `version` of the record as the user
 * loaded it, so the server refuses (409 MCART_ERR_STALE_WRITE) a save over someone else's change.
 */
export function withVersion(
  changes: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const version = previous?.version;
  return typeof version === 'number' ? { ...changes, version } : changes;
}

/**
 * react-admin's DataProvider over the MCart admin list convention:
 * `GET /api/admin/<resource>?page&perPage&sort&order&<filters>` → `{ data, total }`, and
 * GET/POST/PATCH/DELETE on `/api/admin/<resource>[/<id>]`. References (getMany) use repeated
 * `id` filters: `?id=a&id=b`.
 */
export function createDataProvider(http: HttpClient): DataProvider {
  const getList = async <T>(
    resource: string,
    query: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<ListBody<T>> =>
    (await http.request<ListBody<T>>(resourcePath(resource), { query, signal })).body;

  return {
    async getList(resource, params) {
      const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 };
      const data: RaRecord[] = [];
      let total = 0;
      // One request, unless the page is larger than the server's: then its pages, until one runs short.
      for (const part of serverPages(page, perPage)) {
        const answer = await getList<RaRecord>(
          resource,
          listQuery(params.pagination ? part : undefined, params.sort, params.filter),
          params.signal,
        );
        data.push(...answer.data);
        total = answer.total;
        if (answer.data.length < part.perPage) break;
      }
      return { data, total };
    },

    async getOne(resource, params) {
      const { body } = await http.request<RaRecord>(resourcePath(resource, params.id), {
        signal: params.signal,
      });
      return { data: body };
    },

    async getMany(resource, params) {
      if (params.ids.length === 0) return { data: [] };
      const query = listQuery({ page: 1, perPage: params.ids.length }, undefined, {
        id: params.ids.map(String),
      });
      const { data } = await getList<RaRecord>(resource, query, params.signal);
      return { data };
    },

    async getManyReference(resource, params) {
      const query = listQuery(params.pagination, params.sort, {
        ...params.filter,
        [params.target]: params.id,
      });
      const { data, total } = await getList<RaRecord>(resource, query, params.signal);
      return { data, total };
    },

    async create(resource, params) {
      const { body } = await http.request<RaRecord>(resourcePath(resource), {
        method: 'POST',
        body: params.data,
      });
      return { data: body };
    },

    async update(resource, params) {
      const { body } = await http.request<RaRecord>(resourcePath(resource, params.id), {
        method: 'PATCH',
        body: withVersion(
          changedFields(
            params.data as Record<string, unknown>,
            params.previousData as Record<string, unknown> | undefined,
          ),
          params.previousData as Record<string, unknown> | undefined,
        ),
      });
      return { data: body };
    },

    async updateMany(resource, params) {
      await Promise.all(
        params.ids.map((id) =>
          http.request(resourcePath(resource, id), { method: 'PATCH', body: params.data }),
        ),
      );
      return { data: params.ids };
    },

    async delete(resource, params) {
      const { body } = await http.request<RaRecord | undefined>(resourcePath(resource, params.id), {
        method: 'DELETE',
      });
      // DELETE answers 204: react-admin still wants the removed record for undo and notifications.
      return { data: body ?? params.previousData ?? { id: params.id } };
    },

    async deleteMany(resource, params) {
      await Promise.all(
        params.ids.map((id) => http.request(resourcePath(resource, id), { method: 'DELETE' })),
      );
      return { data: params.ids };
    },
  } as DataProvider;
}
