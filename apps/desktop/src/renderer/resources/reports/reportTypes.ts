import type { paths } from '@mcart/api-client';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The server's shapes, from the generated OpenAPI types (ADR 0050 defines each column). */
export type SalesReport = Json<paths['/api/admin/reports/sales']['get']['responses'][200]>;
export type SalesRow = SalesReport['rows'][number];
export type GroupBy = SalesReport['groupBy'];
export type ProductReport = Json<paths['/api/admin/reports/products']['get']['responses'][200]>;
export type ProductRow = ProductReport['rows'][number];
export type ProductSort = ProductReport['sort'];

export const SALES_REPORT_PATH = '/api/admin/reports/sales';
export const PRODUCT_REPORT_PATH = '/api/admin/reports/products';
export const GROUP_BY: readonly GroupBy[] = ['day', 'week', 'month'];
export const PRODUCT_SORTS: readonly ProductSort[] = ['revenue', 'units'];

/** The amounts of a sales row, in the order the table shows them. */
export const SALES_AMOUNTS = ['gross', 'discounts', 'shipping', 'tax', 'refunds', 'net'] as const;

export interface ReportFilter {
  /** Local calendar days, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  timeZone: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const pad = (value: number) => String(value).padStart(2, '0');
const localDay = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** This month so far, in the desk's own days: the 1st to today. */
export function monthToDate(now = new Date()): { from: string; to: string } {
  return { from: localDay(new Date(now.getFullYear(), now.getMonth(), 1)), to: localDay(now) };
}

/** The desk's IANA time zone, the one its days are counted in (as the dashboard sends it). */
export const deskTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Both days complete (a date input being typed gives ''): only then is the report asked for. */
export const isComplete = (filter: Pick<ReportFilter, 'from' | 'to'>) =>
  DAY.test(filter.from) && DAY.test(filter.to);

export function reportQuery(
  filter: ReportFilter,
  extra: Record<string, string | number> = {},
): URLSearchParams {
  const query = new URLSearchParams({ from: filter.from, to: filter.to, tz: filter.timeZone });
  for (const [key, value] of Object.entries(extra)) query.set(key, String(value));
  return query;
}

/** Minor units in the user's locale with the currency sign (two decimals, as the dashboard shows them). */
export const formatAmount = (locale: string, minor: number, currency: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
