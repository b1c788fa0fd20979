import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { emptyBodyIsEmpty, IdParams, ProblemRef } from '../../platform/schemas.ts';
import { ShipmentSchema, type Shipment } from './shipment.entity.ts';
import { ShippingErrors } from './shipping.errors.ts';
import type { ShippingService } from './shipping.service.ts';
import { importTrackingCsv } from './tracking-import.ts';
import {
  BatchLabelQuery,
  CreateShipmentBody,
  CreatedShipmentDto,
  LabelQuery,
  ShipmentDto,
  ShipmentListDto,
  ShipmentListQuery,
  TrackingImportReportDto,
  ToPackDto,
  ToPackQuery,
} from './shipping.schemas.ts';
import { isFileTooLarge, isMultipartClientError } from '../../platform/uploads.ts';
import { containing } from '../../platform/like.ts';

export type ServiceFactory = (em: EntityManager) => ShippingService;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export const toShipmentSummary = (shipment: Shipment) => ({
  id: shipment.id,
  orderId: shipment.orderId,
  orderNumber: shipment.orderNumber,
  provider: shipment.provider,
  carrier: shipment.carrier,
  service: shipment.service,
  trackingNumber: shipment.trackingNumber,
  trackingUrl: shipment.trackingUrl,
  status: shipment.status,
  weightGrams: shipment.weightGrams,
  lengthMm: shipment.lengthMm,
  widthMm: shipment.widthMm,
  heightMm: shipment.heightMm,
  rate:
    shipment.rateAmount !== null && shipment.rateCurrency
      ? { amount: shipment.rateAmount, currency: shipment.rateCurrency }
      : null,
  createdAt: shipment.createdAt.toISOString(),
  handedOverAt: iso(shipment.handedOverAt),
  deliveredAt: iso(shipment.deliveredAt),
  voidedAt: iso(shipment.voidedAt),
});

const security = [{ staffBearer: [] }];
const tags = ['admin: shipping'];

export const shippingAdminRoutes: FastifyPluginAsyncTypebox<{ service: ServiceFactory }> = async (
  app,
  { service },
) => {
  const toDto = (shipment: Shipment, svc: ShippingService) => ({
    ...toShipmentSummary(shipment),
    lines: shipment.lines.getItems().map((line) => ({
      id: line.id,
      orderLineId: line.orderLineId,
      variantId: line.variantId ?? null,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
    })),
    events: shipment.events
      .getItems()
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      .map((event) => ({
        status: event.status,
        occurredAt: event.occurredAt.toISOString(),
        location: event.location ?? null,
        description: event.description ?? null,
        source: event.source,
      })),
    recipient: svc.recipientOf(shipment),
  });

  app.post(
    '/api/admin/orders/:id/shipments',
    {
      schema: {
        tags,
        summary: 'Create a shipment (buys/creates the label) for some or all remaining lines of a paid order',
        description:
          'Remaining units are those not in a shipment that is out: units of a voided label, or of a parcel ' +
          'returned to sender (back in the warehouse), are to ship again; give `shippingAddress` to print a ' +
          "corrected address (same country as the order's). An order whose timeline says it was marked " +
          'shipped or delivered (by hand, since the last parcel returned to sender) has nothing left: 409 ' +
          '`MCART_ERR_ORDER_ALREADY_SHIPPED`, even once partly refunded. Without `package.weightGrams` the ' +
          "parcel weighs what its variants do when every one has a weight, the store's default weight when none " +
          'has; a parcel holding both must be weighed (400 on `body/package/weightGrams`).',
        security,
        params: IdParams,
        body: CreateShipmentBody,
        response: {
          201: CreatedShipmentDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          422: ProblemRef,
          502: ProblemRef,
        },
      },
      config: { auth: { permission: 'shipping:write' } },
      // No body at all ships every remaining unit, as `{}` does.
      preValidation: emptyBodyIsEmpty,
    },
    async (request, reply) => {
      const shipment = await service(request.em).create(request.params.id, request.body, {
        kind: 'staff',
        id: request.staff!.id,
      });
      return reply
        .status(201)
        .send({ id: shipment.id, trackingNumber: shipment.trackingNumber, status: shipment.status });
    },
  );

  app.get(
    '/api/admin/shipping/to-pack',
    {
      schema: {
        tags,
        summary: 'Paid orders with units left to ship, oldest paid first, each with its pick list',
        security,
        querystring: ToPackQuery,
        response: { 200: ToPackDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'shipping:read' } },
    },
    async (request) => {
      const data = await service(request.em).toPack(request.query.limit ?? 50);
      return { data, total: data.length };
    },
  );

  app.get(
    '/api/admin/shipments',
    {
      schema: {
        tags,
        summary: 'List shipments',
        security,
        querystring: ShipmentListQuery,
        response: { 200: ShipmentListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'shipping:read' } },
    },
    async (request) => {
      const {
        page = 1,
        perPage = 25,
        sort = 'createdAt',
        order = 'DESC',
        orderId,
        status,
        trackingNumber,
        q,
      } = request.query;
      const where: Record<string, unknown> = {};
      if (orderId) where.orderId = orderId;
      if (status) where.status = status;
      if (trackingNumber) where.trackingNumber = trackingNumber.toUpperCase();
      if (q)
        where.$or = [
          { trackingNumber: { $ilike: containing(q) } },
          { orderNumber: { $ilike: containing(q) } },
        ];
      const [items, total] = await request.em.findAndCount(ShipmentSchema, where, {
        orderBy: { [sort]: order, id: 'ASC' },
        limit: perPage,
        offset: (page - 1) * perPage,
      });
      return { data: items.map(toShipmentSummary), total };
    },
  );

  app.get(
    '/api/admin/shipments/:id',
    {
      schema: {
        tags,
        summary: 'One shipment with its lines, recipient and tracking timeline',
        security,
        params: IdParams,
        response: { 200: ShipmentDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth: { permission: 'shipping:read' } },
    },
    async (request) => {
      const svc = service(request.em);
      return toDto(await svc.get(request.params.id), svc);
    },
  );

  app.get(
    '/api/admin/shipments/:id/label',
    {
      schema: {
        tags,
        summary:
          'The shipping label: 4x6 inch PDF (application/pdf) or ZPL for thermal printers (text/plain)',
        security,
        params: IdParams,
        querystring: LabelQuery,
        produces: ['application/pdf', 'text/plain'],
        response: {
          200: {
            description: 'The label file',
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          422: ProblemRef,
          502: ProblemRef,
        },
      },
      config: { auth: { permission: 'shipping:read' } },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'pdf';
      const label = await service(request.em).labels([request.params.id], format);
      return sendLabel(reply, label, format, `label-${request.params.id}`);
    },
  );

  app.get(
    '/api/admin/shipments/labels',
    {
      schema: {
        tags,
        summary:
          'Labels of several shipments as one file (one PDF page each, or concatenated ZPL): one print job',
        security,
        querystring: BatchLabelQuery,
        produces: ['application/pdf', 'text/plain'],
        response: {
          200: {
            description: 'The labels file',
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          422: ProblemRef,
        },
      },
      config: { auth: { permission: 'shipping:read' } },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'pdf';
      const ids = [...new Set(request.query.ids)];
      return sendLabel(reply, await service(request.em).labels(ids, format), format, `labels-${ids.length}`);
    },
  );

  app.post(
    '/api/admin/shipments/:id/void',
    {
      schema: {
        tags,
        summary: 'Void the label of a shipment not yet handed to the carrier',
        security,
        params: IdParams,
        response: {
          200: ShipmentDto,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          502: ProblemRef,
        },
      },
      config: { auth: { permission: 'shipping:write' } },
    },
    async (request) => {
      const svc = service(request.em);
      return toDto(await svc.void(request.params.id, { kind: 'staff', id: request.staff!.id }), svc);
    },
  );

  // Multipart only in this scope: the CSV upload.
  await app.register(async (upload) => {
    if (!upload.hasContentTypeParser('multipart/form-data')) {
      await upload.register(multipart, {
        limits: TRACKING_UPLOAD_LIMITS,
      });
    }
    upload.post(
      '/api/admin/shipments/tracking-import',
      {
        schema: {
          tags,
          summary:
            'Import tracking events from a CSV (columns: tracking_number or order_number, status, time, location)',
          description:
            'multipart/form-data with one file field (at most 2 MB and 5000 rows). Separated by commas, ' +
            "semicolons or tabs; UTF-8, UTF-16 or Windows-1252. Good rows join their shipment's timeline " +
            '(`imported`): `applied` ones moved the shipment, the others are listed in `notApplied` with the ' +
            'reason; `rejected` lists the rows not imported, each with its reason and, when one column is at ' +
            'fault, that column (`field`, as the header names it). A row giving both a tracking number and an ' +
            'order number is imported only when the tracking number is a parcel of that order. ' +
            "`time` is ISO 8601 with a zone (2026-11-26T14:00:00Z), from 2000 to 15 minutes after the server's clock.",
          security,
          consumes: ['multipart/form-data'],
          response: {
            200: TrackingImportReportDto,
            400: ProblemRef,
            401: ProblemRef,
            403: ProblemRef,
            413: ProblemRef,
            415: ProblemRef,
          },
        },
        config: { auth: { permission: 'shipping:write' } },
      },
      async (request) => {
        if (!request.isMultipart()) throw ShippingErrors.badCsv('Send the CSV as multipart/form-data');
        let csv: Buffer;
        try {
          const file = await request.file({ limits: TRACKING_UPLOAD_LIMITS });
          if (!file) throw ShippingErrors.badCsv('No file in the upload');
          csv = await file.toBuffer();
          if (file.file.truncated) throw ShippingErrors.csvTooLarge(TOO_LARGE);
        } catch (err) {
          throw uploadError(err, request.log);
        }
        return importTrackingCsv(csv, request.em, service(request.em), request.log);
      },
    );
  });
};

const TRACKING_UPLOAD_LIMITS = { fileSize: 2 * 1024 * 1024, files: 1, fields: 5, parts: 6 };
const TOO_LARGE = 'At most 2 MB per file: split the export into several files';

/**
 * A failed tracking upload as the problem it is: over the size limit → 413 (as the product import);
 * a body that ends before the multipart form does (a connection cut, a client giving up) → 400 "incomplete".
 */
function uploadError(err: unknown, log: FastifyBaseLogger): unknown {
  if (err instanceof AppError) return err;
  if (isFileTooLarge(err)) return ShippingErrors.csvTooLarge(TOO_LARGE);
  // The plugin's own 4xx errors, answered with their status by the error handler.
  if (isMultipartClientError(err)) return err;
  log.info({ err }, 'tracking import: the upload did not arrive whole');
  return ShippingErrors.badCsv('The upload is incomplete: the file did not arrive whole. Send it again.');
}

function sendLabel(
  reply: import('fastify').FastifyReply,
  label: Buffer | string,
  format: 'pdf' | 'zpl',
  name: string,
) {
  if (format === 'pdf') {
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${name}.pdf"`)
      .send(label);
  }
  return reply
    .type('text/plain; charset=utf-8')
    .header('content-disposition', `inline; filename="${name}.zpl"`)
    .send(label);
}
