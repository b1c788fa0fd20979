import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { productsCsv, salesCsv } from './reports.csv.ts';
import {
  MAX_RANGE_DAYS,
  ProductReportDto,
  ProductReportQuery,
  SalesReportDto,
  SalesReportQuery,
} from './reports.schemas.ts';
import { ReportsService, type ReportRange } from './reports.service.ts';
import { zoneOf } from '../../platform/time-zones.ts';

const tags = ['admin: reports'];
const security = [{ staffBearer: [] }];
const auth = { permission: 'reports:read' } as const;
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef };

const DAY_MS = 86_400_000;

/** JSON by default; `format=csv` answers the same report as a download. */
const jsonOrCsv = (schema: typeof SalesReportDto | typeof ProductReportDto, what: string) => ({
  description: `${what} (application/json), or with \`format=csv\` the same rows as a CSV download (text/csv)`,
  content: {
    'application/json': { schema },
    'text/csv': { schema: { type: 'string' } },
  },
});

/**
 * The range as the report reads it, or a 400 naming each field that is wrong: `from` after `to`, more than
 * MAX_RANGE_DAYS days, a time zone that is not an IANA name. (A year 0, which PostgreSQL has not, is refused
 * by the `date` format itself: STRICT_FORMATS.)
 */
function rangeOf(query: { from: string; to: string; tz?: string | undefined }): ReportRange {
  const timeZone = zoneOf(query.tz ?? 'UTC');
  const problems: FieldError[] = [];
  if (!timeZone)
    problems.push({ path: 'querystring/tz', message: 'must be an IANA time zone such as Europe/Paris' });
  const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) problems.push({ path: 'querystring/to', message: 'must be on or after from' });
  else if (days > MAX_RANGE_DAYS)
    problems.push({
      path: 'querystring/to',
      message: `must be within ${MAX_RANGE_DAYS} days of from (both included)`,
    });
  if (!timeZone || problems.length)
    throw CommonErrors.validation(
      problems.map(({ path, message }) => `${path.replace('querystring/', '')} ${message}`).join('; '),
      { errors: problems },
    );
  return { from: query.from, to: query.to, timeZone };
}

const sendCsv = (reply: FastifyReply, name: string, csv: Readable) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(csv);

export const reportsAdminRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (
  app,
  { currency },
) => {
  const service = (request: FastifyRequest) => new ReportsService(request.em as EntityManager, currency);

  app.get(
    '/api/admin/reports/sales',
    {
      schema: {
        tags,
        summary: 'Sales per day, week or month: orders, units and money, for the owner and the accountant',
        description:
          '`from` and `to` are local calendar days in `tz` (`to` included, at most 366 days). An order counts in ' +
          'the bucket of the day it was paid, whatever happened to it later (a cancellation after payment is ' +
          'a refund on the day its money went back); orders never paid never count. Refunds count on the day ' +
          'the gateway confirmed them; a refund reversed later (failed at the gateway after it went through, a ' +
          'lost dispute won on appeal) counts back, negatively, on the day of the reversal, so a past day never ' +
          'changes. Amounts are minor units of `currency`; each column is described in the ' +
          'schema. `net` = gross − discounts + shipping (+ tax when prices exclude it) − refunds. ADR 0050.',
        security,
        querystring: SalesReportQuery,
        response: { 200: jsonOrCsv(SalesReportDto, 'The report'), ...errors },
      },
      config: { auth },
    },
    async (request, reply) => {
      const range = rangeOf(request.query);
      const report = await service(request).sales(range, request.query.groupBy ?? 'day');
      if (request.query.format === 'csv')
        return sendCsv(reply, `sales-${range.from}-${range.to}`, salesCsv(report));
      return report;
    },
  );

  app.get(
    '/api/admin/reports/products',
    {
      schema: {
        tags,
        summary: 'Variants sold in a date range, best first by revenue or units',
        description:
          'Lines of the orders paid between `from` and `to` (local days in `tz`, `to` included), per variant. ' +
          'Sku and title are the latest order line snapshot. ADR 0050.',
        security,
        querystring: ProductReportQuery,
        response: { 200: jsonOrCsv(ProductReportDto, 'The variants'), ...errors },
      },
      config: { auth },
    },
    async (request, reply) => {
      const range = rangeOf(request.query);
      const { sort = 'revenue', limit = 50 } = request.query;
      const report = await service(request).products(range, sort, limit);
      if (request.query.format === 'csv')
        return sendCsv(reply, `product-sales-${range.from}-${range.to}`, productsCsv(report));
      return report;
    },
  );
};
