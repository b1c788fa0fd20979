import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { StaffService, type StaffListOptions } from './staff.service.ts';
import { CustomersService, type CustomerListOptions } from './customers.service.ts';
import type { Staff } from './staff.entity.ts';
import type { Customer } from './customer.entity.ts';
import {
  AdminStaffDto,
  CreateStaffBody,
  StaffList,
  StaffListQuery,
  UpdateStaffBody,
} from './staff.schemas.ts';
import {
  AdminCustomerDetailDto,
  AdminCustomerDto,
  AdminCustomerList,
  AdminCustomerListQuery,
  AdminUpdateCustomerBody,
} from './customer.schemas.ts';
import { exportDisposition, toAddressDto } from './store.routes.ts';
import { enforceLimits } from './rate-limits.ts';
import { AuditService } from '../audit/audit.service.ts';
import { CustomerDataExportDto, CustomerErasureDto } from './customer-data.schemas.ts';
import { STAFF_EXPORT_LIMIT, type CustomerDataService } from './customer-data.service.ts';

export const toAdminStaffDto = (staff: Staff) => ({
  id: staff.id,
  email: staff.email,
  role: staff.role,
  firstName: staff.firstName,
  lastName: staff.lastName,
  disabled: Boolean(staff.disabledAt),
  // Unset (undefined) on an entity just created.
  totpEnabled: Boolean(staff.totpEnabledAt),
  passwordChangeRequired: staff.passwordChangeRequired === true,
  createdAt: staff.createdAt.toISOString(),
  lastLoginAt: staff.lastLoginAt?.toISOString() ?? null,
});

const staffSecurity = [{ staffBearer: [] }];

export interface AdminIdentityRoutesOptions {
  /** A customer's data rights, for requests received by e-mail (ADR 0048). */
  customerData: (em: FastifyRequest['em']) => CustomerDataService;
}

/** Staff accounts and customers, as the back-office manages them. */
export const adminIdentityRoutes: FastifyPluginAsyncTypebox<AdminIdentityRoutesOptions> = async (
  app,
  { customerData },
) => {
  const actor = (request: FastifyRequest) => ({ id: request.staff!.id, role: request.staff!.role });
  const customers = (request: FastifyRequest) => new CustomersService(request.em, app.cipher);
  const toAdminCustomerDto = (request: FastifyRequest, customer: Customer, providers: string[]) => ({
    id: customer.id,
    email: customer.email ?? null,
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customers(request).phoneOf(customer),
    emailVerified: customer.emailVerifiedAt !== null,
    disabled: customer.disabledAt !== null,
    createdAt: customer.createdAt.toISOString(),
    lastLoginAt: customer.lastLoginAt?.toISOString() ?? null,
    providers,
  });

  const staffTags = { tags: ['admin: staff'], security: staffSecurity };

  app.post(
    '/api/admin/staff',
    {
      schema: {
        ...staffTags,
        summary: 'Create a staff account (owners and admins; only an owner creates an owner)',
        description:
          'The password is an initial one to hand over: the member’s sign-in answers `passwordChangeRequired: ' +
          'true` until they choose their own (POST /api/admin/auth/password). It follows the password policy: ' +
          '400 MCART_ERR_WEAK_PASSWORD on `body/password` for a common one or one holding the e-mail address.',
        body: CreateStaffBody,
        response: { 201: AdminStaffDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 409: ProblemRef },
      },
      config: { auth: { permission: 'staff:manage' } },
    },
    async (request, reply) => {
      const staff = await new StaffService(request.em).createBy(actor(request), request.body);
      request.audit = { action: 'staff.created', details: { staffId: staff.id, role: staff.role } };
      return reply.status(201).send(toAdminStaffDto(staff));
    },
  );

  app.get(
    '/api/admin/staff',
    {
      schema: {
        ...staffTags,
        summary: 'Staff accounts',
        querystring: StaffListQuery,
        response: { 200: StaffList, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'staff:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort = 'createdAt', order = 'ASC', ...filters } = request.query;
      const { rows, total } = await new StaffService(request.em).list({
        ...filters,
        page,
        perPage,
        sort: sort as StaffListOptions['sort'],
        order,
      });
      return { data: rows.map(toAdminStaffDto), total };
    },
  );

  app.get(
    '/api/admin/staff/:id',
    {
      schema: {
        ...staffTags,
        summary: 'One staff account',
        params: IdParams,
        response: { 200: AdminStaffDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth: { permission: 'staff:read' } },
    },
    async (request) => toAdminStaffDto(await new StaffService(request.em).get(request.params.id)),
  );

  app.patch(
    '/api/admin/staff/:id',
    {
      schema: {
        ...staffTags,
        summary: 'Change role, disable/enable, or rename a staff account',
        description:
          'A role change or disabling ends the member’s sessions. Admins cannot change owners, not even their ' +
          'names, nor promote to owner (403 MCART_ERR_OWNER_ONLY, nothing written).',
        params: IdParams,
        body: UpdateStaffBody,
        response: {
          200: AdminStaffDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth: { permission: 'staff:manage' } },
    },
    async (request) => {
      const { staff, previousRole } = await new StaffService(request.em).update(
        actor(request),
        request.params.id,
        request.body,
      );
      if (staff.role !== previousRole) {
        request.audit = {
          action: 'staff.role_changed',
          details: { staffId: staff.id, from: previousRole, to: staff.role },
        };
      } else if (request.body.disabled !== undefined) {
        request.audit = {
          action: request.body.disabled ? 'staff.disabled' : 'staff.enabled',
          details: { staffId: staff.id },
        };
      }
      return toAdminStaffDto(staff);
    },
  );

  const customerTags = { tags: ['admin: customers'], security: staffSecurity };

  app.get(
    '/api/admin/customers',
    {
      schema: {
        ...customerTags,
        summary: 'Customers (`q` searches e-mail and names)',
        querystring: AdminCustomerListQuery,
        response: { 200: AdminCustomerList, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'customers:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort = 'createdAt', order = 'DESC', ...filters } = request.query;
      const { rows, total, providers } = await customers(request).list({
        ...filters,
        page,
        perPage,
        sort: sort as CustomerListOptions['sort'],
        order,
      });
      return {
        data: rows.map((row) => toAdminCustomerDto(request, row, providers.get(row.id) ?? [])),
        total,
      };
    },
  );

  app.get(
    '/api/admin/customers/:id',
    {
      schema: {
        ...customerTags,
        summary: 'One customer with their addresses (decrypted)',
        params: IdParams,
        response: { 200: AdminCustomerDetailDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth: { permission: 'customers:read' } },
    },
    async (request) => {
      const service = customers(request);
      const customer = await service.get(request.params.id);
      const providers = (await service.providersOf([customer.id])).get(customer.id) ?? [];
      const addresses = (await service.listAddresses(customer.id)).map(toAddressDto);
      return { ...toAdminCustomerDto(request, customer, providers), addresses };
    },
  );

  app.patch(
    '/api/admin/customers/:id',
    {
      schema: {
        ...customerTags,
        summary: 'Disable or enable a customer (disabling ends their sessions)',
        params: IdParams,
        body: AdminUpdateCustomerBody,
        response: {
          200: AdminCustomerDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: { permission: 'customers:write' } },
    },
    async (request) => {
      const service = customers(request);
      const customer = await service.setDisabled(request.params.id, request.body.disabled);
      request.audit = {
        action: request.body.disabled ? 'customer.disabled' : 'customer.enabled',
        details: { customerId: customer.id },
      };
      return toAdminCustomerDto(
        request,
        customer,
        (await service.providersOf([customer.id])).get(customer.id) ?? [],
      );
    },
  );
  app.get(
    '/api/admin/customers/:id/data-export',
    {
      schema: {
        ...customerTags,
        summary: 'Everything the store holds about a customer (JSON), for a request received by e-mail',
        description:
          'The document the customer gets at GET /api/store/me/data-export, as an attachment. Owners and admins ' +
          '(`customers:export`); at most 30 exports an hour per staff member.',
        params: IdParams,
        response: {
          200: CustomerDataExportDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: { permission: 'customers:export' } },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, [
        { key: `data-export:staff:${request.staff!.id}`, ...STAFF_EXPORT_LIMIT },
      ]);
      const document = await customerData(request.em).export(request.params.id);
      // Reads are not audited, but this one hands a customer's whole dossier out as a file: who took whose is.
      await new AuditService(request.em).record({
        staffId: request.staff!.id,
        action: 'customer.exported',
        method: request.method,
        route: request.routeOptions.url,
        params: request.params,
        status: 200,
        ip: request.ip,
        requestId: request.id,
        details: { customerId: document.customer.id },
      });
      return reply
        .header('content-disposition', exportDisposition(`customer-${request.params.id}-personal-data`))
        .send(document);
    },
  );

  app.post(
    '/api/admin/customers/:id/erase',
    {
      schema: {
        ...customerTags,
        summary: 'Erase a customer and their personal data, for a request received by e-mail',
        description:
          'What DELETE /api/store/me does, without the password: 409 MCART_ERR_ERASURE_BLOCKED lists the orders ' +
          '(`orders: [{ id, number, status, openReturnRequests? }]`) not yet delivered, cancelled or refunded, or ' +
          'with a return request still open; otherwise the account, addresses, sign-in methods and sessions are ' +
          'deleted, the orders kept without the person, and a confirmation e-mailed. Audited as ' +
          '`customer.erased`. Owners and admins (`customers:erase`).',
        params: IdParams,
        response: {
          200: CustomerErasureDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth: { permission: 'customers:erase' } },
    },
    async (request) => {
      const erased = await customerData(request.em).eraseByStaff(request.params.id, request.staff!.id);
      return { ...erased, erasedAt: erased.erasedAt.toISOString() };
    },
  );
};
