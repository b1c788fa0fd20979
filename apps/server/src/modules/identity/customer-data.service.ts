import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { prepared } from '../../platform/prepared.ts';
import { AuditService } from '../audit/audit.service.ts';
import type { BlockingOrder, CustomerOrdersPort } from '../orders/customer-data.ts';
import {
  AccountTokenSchema,
  CustomerAddressSchema,
  CustomerIdentitySchema,
  CustomerSchema,
  OAuthStateSchema,
} from './customer.entity.ts';
import { AuthSessionSchema } from './session.entity.ts';
import { CustomersService } from './customers.service.ts';
import { CustomerDataErrors } from './customer-data.errors.ts';
import { provenCustomer } from './person-proof.ts';
import { EmailChangeService } from './email-change.service.ts';
import type { CustomerDataExport, ExportedDocument, ExportedStockAlert } from './customer-data.schemas.ts';
import type { ErasureMail } from './erasure-mail.ts';

export { RECENT_SIGN_IN_SECONDS } from './person-proof.ts';

/** Exports are heavy (every order with its payments and shipments): a few per hour and per requester. */
export const EXPORT_LIMIT = { max: 5, windowSeconds: 60 * 60 };
export const STAFF_EXPORT_LIMIT = { max: 30, windowSeconds: 60 * 60 };

/** The non-routable address (RFC 2606 `.invalid`) an erased customer's orders keep instead of theirs. */
export const placeholderEmail = (erasureId: string) => `erased-${erasureId}@erased.invalid`;

/** The invoicing context's side of the export (modules/invoicing publishes it as `app.customerDocuments`). */
export interface CustomerDocumentsPort {
  /** The documents issued for these orders, oldest first. */
  documentsOf(em: EntityManager, orderIds: string[]): Promise<ExportedDocument[]>;
}

/**
 * The catalog context's side of the data rights: the customer's back-in-stock alerts (ADR 0052; modules/catalog
 * publishes it as `app.customerStockAlerts`).
 */
export interface CustomerStockAlertsPort {
  /** The alerts linked to the account, and those left with `email` (null: none by address), oldest first. */
  alertsOf(em: EntityManager, customerId: string, email: string | null): Promise<ExportedStockAlert[]>;
  /** In the erasure's transaction: deletes the alerts linked to the account or left with `email`. */
  forget(tx: EntityManager, customerId: string, email: string | null): Promise<number>;
}

export interface CustomerDataDeps {
  cipher: FieldCipher;
  /** The orders context's port, or null when it is not installed (then there are no orders or carts). */
  orders: CustomerOrdersPort | null;
  /** The invoicing context's port, or null when it is not installed (then there are no invoices). */
  documents: CustomerDocumentsPort | null;
  /** The catalog context's port; absent or null when it is not installed (then there are no alerts). */
  stockAlerts?: CustomerStockAlertsPort | null;
  mail: ErasureMail;
}

export type ErasureActor = { kind: 'customer' } | { kind: 'staff'; staffId: string };

export interface ErasureResult {
  customerId: string;
  erasedAt: Date;
  ordersAnonymised: number;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null | undefined) => (value ? iso(value) : null);

const blocked = (orders: BlockingOrder[]) =>
  CustomerDataErrors.erasureBlocked(
    `Not yet finished: ${orders
      .map((order) => `${order.number} (${order.status}${order.openReturnRequests ? ', return open' : ''})`)
      .join(', ')}`,
    { orders },
  );

/**
 * A customer's data rights (ADR 0048): the export of everything MCart holds about them, and the erasure of
 * the account. The orders context answers for orders and carts through its port; everything else is
 * this context's own tables.
 */
export class CustomerDataService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: CustomerDataDeps,
  ) {}

  async export(customerId: string): Promise<CustomerDataExport> {
    const customers = new CustomersService(this.em, this.deps.cipher);
    const customer = await customers.get(customerId);
    const identities = await this.em.find(
      CustomerIdentitySchema,
      { customerId },
      { orderBy: { createdAt: 'ASC', id: 'ASC' } },
    );
    const pending = await new EmailChangeService(this.em, this.deps.cipher).pendingOf(customerId);
    const commerce = this.deps.orders
      ? await this.deps.orders.exportFor(this.em, customerId)
      : { orders: [], carts: [] };
    return {
      format: 'mcart.customer-data.v1',
      exportedAt: new Date().toISOString(),
      customer: {
        id: customer.id,
        email: customer.email ?? null,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customers.phoneOf(customer),
        emailVerifiedAt: isoOrNull(customer.emailVerifiedAt),
        hasPassword: await customers.hasPassword(customer.id),
        disabledAt: isoOrNull(customer.disabledAt),
        createdAt: iso(customer.createdAt),
        updatedAt: iso(customer.updatedAt),
        lastLoginAt: isoOrNull(customer.lastLoginAt),
        pendingEmailChange: pending && {
          newEmail: pending.newEmail,
          requestedAt: iso(pending.requestedAt),
          expiresAt: iso(pending.expiresAt),
        },
      },
      identities: identities.map((identity) => ({
        provider: identity.provider,
        email: identity.email ?? null,
        linkedAt: iso(identity.createdAt),
      })),
      addresses: (await customers.listAddresses(customerId)).map((address) => ({
        ...address,
        createdAt: iso(address.createdAt),
      })),
      sessions: await this.sessionsOf(customerId),
      orders: commerce.orders,
      invoices:
        this.deps.documents && commerce.orders.length
          ? await this.deps.documents.documentsOf(
              this.em,
              commerce.orders.map((order) => order.id),
            )
          : [],
      carts: commerce.carts,
      // Alerts left with the account's address count as theirs only once the address is proven theirs.
      stockAlerts: this.deps.stockAlerts
        ? await this.deps.stockAlerts.alertsOf(
            this.em,
            customerId,
            customer.emailVerifiedAt ? (customer.email ?? null) : null,
          )
        : [],
      consents: [],
    };
  }

  /** Every sign-in session stored (one per family of refresh tokens), newest use first. Never a token hash. */
  private async sessionsOf(customerId: string): Promise<CustomerDataExport['sessions']> {
    const rows = await prepared<{
      started_at: Date | string;
      last_used_at: Date | string;
      active: boolean;
      user_agents: string[] | null;
      ips: string[] | null;
    }>(
      this.em,
      `SELECT min(created_at) AS started_at, max(created_at) AS last_used_at,
              bool_or(spent_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS active,
              array_agg(DISTINCT user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
              array_agg(DISTINCT ip) FILTER (WHERE ip IS NOT NULL) AS ips
         FROM auth_session WHERE subject_kind = 'customer' AND subject_id = ?::uuid
        GROUP BY family_id ORDER BY max(created_at) DESC`,
      [customerId],
    );
    return rows.map((row) => ({
      startedAt: iso(row.started_at),
      lastUsedAt: iso(row.last_used_at),
      active: row.active,
      userAgents: row.user_agents ?? [],
      ips: row.ips ?? [],
    }));
  }

  /**
   * The customer erases their own account: with its password when it has one, else within 10 minutes of
   * signing in (`sessionId`: the session of the access token used). Credentials are checked before
   * anything else, and a refusal changes nothing.
   */
  async eraseOwnAccount(
    customerId: string,
    sessionId: string,
    password: string | undefined,
  ): Promise<ErasureResult> {
    await provenCustomer(this.em, customerId, sessionId, password);
    return this.erase(customerId, { kind: 'customer' });
  }

  /** Staff erase an account on a request received by e-mail (owners and admins: `customers:erase`). */
  async eraseByStaff(customerId: string, staffId: string): Promise<ErasureResult> {
    await new CustomersService(this.em, this.deps.cipher).get(customerId); // 404 for an unknown id
    return this.erase(customerId, { kind: 'staff', staffId });
  }

  /**
   * One transaction: the customer's carts and orders through the orders port (refused with 409 while an
   * order is in progress), the confirmation e-mail, every identity row of the account (sessions, social
   * identities, addresses, tokens, the customer), the outbox events and the audit entry.
   */
  private async erase(customerId: string, actor: ErasureActor): Promise<ErasureResult> {
    const orders = this.deps.orders;
    // A cheap first answer without any lock; the transaction checks again under lock.
    const blocking = orders ? await orders.blockingOrders(this.em, customerId) : [];
    if (blocking.length) throw blocked(blocking);
    const erasureId = randomUUID();
    return this.em.transactional(async (tx) => {
      const [customer] = await prepared<{
        email: string | null;
        first_name: string;
        email_verified_at: Date | null;
      }>(tx, `SELECT email, first_name, email_verified_at FROM customer WHERE id = ?::uuid FOR UPDATE`, [
        customerId,
      ]);
      if (!customer) throw CommonErrors.notFound('No such customer');
      const detached = orders
        ? await orders.detachCustomer(tx, customerId, placeholderEmail(erasureId))
        : { anonymised: [], blocking: [] };
      if (detached.blocking.length) throw blocked(detached.blocking);

      // Back-in-stock alerts: the account's, and any left with its address once proven theirs (ADR 0052), as
      // the export lists them: an unverified account must not delete a stranger's alerts.
      await this.deps.stockAlerts?.forget(tx, customerId, customer.email_verified_at ? customer.email : null);

      // Written into this transaction: sent if and only if the erasure commits. Only to a proven address:
      // anyone can register any address, and the account's holder must not have the store write to a stranger.
      if (customer.email && customer.email_verified_at)
        this.deps.mail(tx, { to: customer.email, firstName: customer.first_name });

      // Locked first: a refresh in flight (its spent token's row locked) commits its successor before this
      // returns, and the DELETE, a later statement, sees that successor too. (A sign-in racing the erasure
      // waits on the customer row and fails.)
      await prepared(
        tx,
        `SELECT id FROM auth_session WHERE subject_kind = 'customer' AND subject_id = ?::uuid FOR UPDATE`,
        [customerId],
      );
      await tx.nativeDelete(AuthSessionSchema, { subjectKind: 'customer', subjectId: customerId });
      await tx.nativeDelete(OAuthStateSchema, { customerId });
      await tx.nativeDelete(CustomerIdentitySchema, { customerId });
      await tx.nativeDelete(CustomerAddressSchema, { customerId });
      await tx.nativeDelete(AccountTokenSchema, { customerId });
      await tx.nativeDelete(CustomerSchema, { id: customerId });

      recordChange(tx, { resource: 'customers', ids: [customerId], type: 'deleted' });
      if (detached.anonymised.length)
        recordChange(tx, {
          resource: 'orders',
          ids: detached.anonymised.map((order) => order.id),
          type: 'updated',
          payload: { event: 'customer_erased' },
        });
      // Ids and counts only: the person is gone, what remains says that it was done, when, by whom.
      await new AuditService(tx).record({
        staffId: actor.kind === 'staff' ? actor.staffId : null,
        action: 'customer.erased',
        details: {
          customerId,
          erasureId,
          by: actor.kind,
          ordersAnonymised: detached.anonymised.length,
        },
      });
      return { customerId, erasedAt: new Date(), ordersAnonymised: detached.anonymised.length };
    });
  }
}
