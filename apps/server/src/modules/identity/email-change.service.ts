import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { AuditService } from '../audit/audit.service.ts';
import { AccountTokenSchema, CustomerSchema } from './customer.entity.ts';
import { CustomersService, lockActive } from './customers.service.ts';
import { provenCustomer } from './person-proof.ts';
import { IdentityErrors } from './identity.errors.ts';
import { SessionsService } from './sessions.service.ts';
import { normalizeEmail } from './staff.service.ts';
import type { SendMail } from './mail.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A change asked for and not yet confirmed (the newest usable link's). */
export interface PendingEmailChange {
  newEmail: string;
  requestedAt: Date;
  expiresAt: Date;
}

const takenAtRequest = () =>
  IdentityErrors.emailTaken(undefined, {
    errors: [{ path: 'body/newEmail', message: 'is already registered' }],
  });

const takenSince = () =>
  IdentityErrors.emailTaken(
    'Another account took this address after the change was asked for; the address was not changed',
  );

/**
 * A customer moves their account to another e-mail address (ADR 0011). The request proves the person (password,
 * or a recent sign-in for an account without one) and e-mails a single-use link (account token `email_change`,
 * 24 hours, the new address sealed in it) to the new address; the signed-in owner confirms it, which switches
 * the address, marks it verified, ends every session and tells the old address.
 */
export class EmailChangeService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
  ) {}

  /**
   * Checks come in this order, so a stolen access token alone learns nothing: the proof of the person first,
   * then the address (the same as now: 400 MCART_ERR_EMAIL_UNCHANGED; another account's: 409
   * MCART_ERR_EMAIL_TAKEN, as the registration says). Asking again retires the earlier link.
   */
  async request(
    customerId: string,
    sessionId: string,
    newEmailInput: string,
    password: string | undefined,
    publicUrl: string,
    send: SendMail,
  ): Promise<void> {
    const customer = await provenCustomer(this.em, customerId, sessionId, password);
    const newEmail = normalizeEmail(newEmailInput);
    if (newEmail === customer.email)
      throw IdentityErrors.emailUnchanged(undefined, {
        errors: [{ path: 'body/newEmail', message: 'is already your e-mail address' }],
      });
    if (await this.em.count(CustomerSchema, { email: newEmail, id: { $ne: customerId } }))
      throw takenAtRequest();
    // Token and e-mail commit together (the notifications module queues it in this transaction).
    await this.em.transactional(async (em) => {
      const token = await new CustomersService(em, this.cipher).issueToken(
        customerId,
        'email_change',
        this.cipher.encrypt(newEmail),
      );
      await send(em, {
        template: 'email-change',
        to: newEmail,
        data: {
          firstName: customer.firstName,
          confirmUrl: `${publicUrl}/confirm-email-change?token=${encodeURIComponent(token)}`,
        },
      });
    });
  }

  /**
   * Confirms the link, for the signed-in customer who asked for it only (anyone else's token, or an unknown,
   * used or expired one: 400 MCART_ERR_INVALID_TOKEN, and it stays as it was): a person tricked into following
   * a link sent to their address never moves someone else's account onto it. One transaction, the customer row
   * locked first (the order of the password change, the reset and the erasure): the address is checked free
   * again (409 MCART_ERR_EMAIL_TAKEN when another account took it since; the link stays unspent), switched and
   * marked verified; every session ends; the links still out (reset, verification, other changes) are retired;
   * the old address, when there was one, is told, without a link.
   */
  async confirm(customerId: string, token: string, send: SendMail): Promise<void> {
    await this.em.transactional(async (em) => {
      const tokens = new CustomersService(em, this.cipher);
      const [row] = await em.getConnection().execute<{ customer_id: string; new_email: string }[]>(
        `SELECT customer_id, new_email FROM account_token
          WHERE token_hash = ? AND purpose = 'email_change' AND used_at IS NULL AND expires_at > now()`,
        [sha256(token)],
        'all',
        em.getTransactionContext(),
      );
      if (!row || row.customer_id !== customerId) throw IdentityErrors.invalidToken();
      const customer = await lockActive(em, customerId);
      if (!customer) throw CommonErrors.unauthorized('The account is disabled');
      if ((await tokens.consumeToken(token, 'email_change')) !== customerId)
        throw IdentityErrors.invalidToken();
      const newEmail = this.cipher.decrypt(row.new_email);
      if (await em.count(CustomerSchema, { email: newEmail, id: { $ne: customerId } })) throw takenSince();
      const oldEmail = customer.email ?? null;
      customer.email = newEmail;
      customer.emailVerifiedAt = new Date();
      try {
        await em.flush();
      } catch (error) {
        // An account registered with the address between the check and this write: its unique key answers.
        const constraint = (error as { constraint?: unknown }).constraint;
        if (error instanceof UniqueConstraintViolationException && constraint === 'customer_email_unique')
          throw takenSince();
        throw error;
      }
      await new SessionsService(em).revokeAllFor('customer', customerId);
      // Links e-mailed to the old address (a reset, a verification) must not act on the account any more.
      await em.nativeUpdate(
        AccountTokenSchema,
        {
          customerId,
          purpose: { $in: ['password_reset', 'email_verification', 'email_change'] },
          usedAt: null,
        },
        { usedAt: new Date() },
      );
      if (oldEmail !== null && oldEmail !== newEmail)
        await send(em, {
          template: 'email-changed',
          to: oldEmail,
          data: { firstName: customer.firstName },
        });
      recordChange(em, { resource: 'customers', ids: [customerId], type: 'updated' });
      // Ids only: the log is kept for ever, addresses never go in it.
      await new AuditService(em).record({
        staffId: null,
        action: 'customer.email_changed',
        details: { customerId },
      });
    });
  }

  /**
   * The change waiting for its link, if any (GET /api/store/me and the data export show it): the newest unspent,
   * unexpired `email_change` token. One indexed query; expiry by the database clock, as `confirm` judges it.
   */
  async pendingOf(customerId: string): Promise<PendingEmailChange | null> {
    const [row] = await this.em
      .getConnection()
      .execute<{ new_email: string | null; created_at: Date | string; expires_at: Date | string }[]>(
        `SELECT new_email, created_at, expires_at FROM account_token
          WHERE customer_id = ? AND purpose = 'email_change' AND used_at IS NULL AND expires_at > now()
          ORDER BY created_at DESC, id DESC LIMIT 1`,
        [customerId],
        'all',
        this.em.getTransactionContext(),
      );
    if (!row?.new_email) return null;
    return {
      newEmail: this.cipher.decrypt(row.new_email),
      requestedAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    };
  }
}
