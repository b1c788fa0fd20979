import { createHash, randomBytes } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { withCheckedRegion } from '../../platform/regions.ts';
import { recordChange } from '../../platform/outbox.ts';
import { AuditService } from '../audit/audit.service.ts';
import {
  AccountTokenSchema,
  CustomerAddressSchema,
  CustomerIdentitySchema,
  CustomerSchema,
  OAuthStateSchema,
  type AccountTokenPurpose,
  type Customer,
  type CustomerAddress,
} from './customer.entity.ts';
import type { AddressBody, AddressFields, UpdateAddressBody } from './customer.schemas.ts';
import { burnVerification, hashPassword, verifyPassword } from './passwords.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { IdentityErrors } from './identity.errors.ts';
import { SessionsService } from './sessions.service.ts';
import { emailTaken, flushNewAccount, normalizeEmail } from './staff.service.ts';
import type { SendMail } from './mail.ts';
import { containing } from '../../platform/like.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The most addresses one customer keeps. Every read of the book (the account, the back-office's customer page,
 * the data export) opens all of them: an account must not be able to grow it without end.
 */
export const MAX_ADDRESSES = 100;

/** How long each kind of e-mailed or handed-over token stays valid. */
export const TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  password_reset: 60 * 60,
  email_verification: 48 * 60 * 60,
  oauth_handover: 2 * 60,
  email_change: 24 * 60 * 60,
};

export interface NewCustomer {
  email: string | null;
  password: string | null;
  firstName: string;
  lastName: string;
  emailVerified?: boolean;
}

export interface ProfileChange {
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | null | undefined;
}

export interface DecryptedAddress extends AddressFields {
  id: string;
  isDefault: boolean;
  createdAt: Date;
}

export interface CustomerListOptions {
  q?: string | undefined;
  disabled?: boolean | undefined;
  page: number;
  perPage: number;
  sort: 'createdAt' | 'email' | 'lastName' | 'lastLoginAt';
  order: 'ASC' | 'DESC';
}

/**
 * Customer accounts: registration, credentials, profile, address book, e-mailed tokens. Every method that
 * takes a customer id acts on that customer only; an id that is not theirs is simply not found.
 */
export class CustomersService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
  ) {}

  async register(input: NewCustomer): Promise<Customer> {
    if (input.password !== null) assertAcceptablePassword(input.password, 'body/password', input.email);
    const email = input.email === null ? null : normalizeEmail(input.email);
    if (email !== null && (await this.em.count(CustomerSchema, { email }))) throw emailTaken();
    const passwordHash = input.password === null ? null : await hashPassword(input.password);
    const customer = this.em.create(CustomerSchema, {
      email,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      phone: null,
      passwordHash,
      emailVerifiedAt: input.emailVerified ? new Date() : null,
      disabledAt: null,
      lastLoginAt: null,
    });
    recordChange(this.em, { resource: 'customers', ids: [customer.id], type: 'created' });
    await flushNewAccount(this.em, 'customer_email_unique');
    return customer;
  }

  /** Same answer and about the same time for an unknown e-mail, a wrong password and a disabled account. */
  async authenticate(emailInput: string, password: string): Promise<Customer> {
    const customer = await this.em.findOne(
      CustomerSchema,
      { email: normalizeEmail(emailInput) },
      { populate: ['passwordHash'] },
    );
    const ok = customer?.passwordHash
      ? await verifyPassword(customer.passwordHash, password)
      : await burnVerification(password);
    if (!customer || !ok || customer.disabledAt) throw IdentityErrors.invalidCredentials();
    await this.markSignedIn(customer.id);
    return customer;
  }

  /**
   * Records a sign-in. Plain SQL on purpose: signing in is not an edit of the record, so it leaves `version`
   * alone (a flush of the entity would add `WHERE version = ?`, and concurrent sign-ins of one account would
   * answer 409 MCART_ERR_STALE_WRITE). A managed entity keeps its old `lastLoginAt`: it is not dirty, so a
   * later flush of another change writes neither a stale time nor a version conflict. An account disabled or
   * erased since its credentials were checked (the erasure holds the row locked: this waits for it) is
   * refused as a wrong password is (401), before any session starts.
   */
  async markSignedIn(customerId: string): Promise<void> {
    const marked = await this.em
      .getConnection()
      .execute<{ affectedRows: number }>(
        `UPDATE customer SET last_login_at = now() WHERE id = ? AND disabled_at IS NULL`,
        [customerId],
        'run',
        this.em.getTransactionContext(),
      );
    if (marked.affectedRows === 0) throw IdentityErrors.invalidCredentials();
  }

  findActive(id: string): Promise<Customer | null> {
    return this.em.findOne(CustomerSchema, { id, disabledAt: null });
  }

  async getActive(id: string): Promise<Customer> {
    const customer = await this.findActive(id);
    if (!customer) throw CommonErrors.unauthorized('The account is disabled');
    return customer;
  }

  async get(id: string): Promise<Customer> {
    const customer = await this.em.findOne(CustomerSchema, { id });
    if (!customer) throw CommonErrors.notFound('No such customer');
    return customer;
  }

  async hasPassword(id: string): Promise<boolean> {
    const customer = await this.em.findOne(CustomerSchema, { id }, { populate: ['passwordHash'] });
    return Boolean(customer?.passwordHash);
  }

  phoneOf(customer: Customer): string | null {
    return customer.phone ? this.cipher.decrypt(customer.phone) : null;
  }

  async updateProfile(id: string, change: ProfileChange): Promise<Customer> {
    const customer = await this.getActive(id);
    if (change.firstName !== undefined) customer.firstName = change.firstName.trim();
    if (change.lastName !== undefined) customer.lastName = change.lastName.trim();
    if (change.phone !== undefined)
      customer.phone = change.phone === null ? null : this.cipher.encrypt(change.phone.trim());
    recordChange(this.em, { resource: 'customers', ids: [id], type: 'updated' });
    await this.em.flush();
    return customer;
  }

  /**
   * Checks the current password, sets the new one and ends every session of the account. The change, the
   * sessions' end and the retired reset links commit together.
   */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<void> {
    const customer = await this.em.findOne(
      CustomerSchema,
      { id, disabledAt: null },
      { populate: ['passwordHash'] },
    );
    if (!customer) throw CommonErrors.unauthorized('The account is disabled');
    const checkedHash = customer.passwordHash;
    // Made by a social sign-in: there is no current password to give, "wrong" would send them guessing.
    if (!checkedHash)
      throw IdentityErrors.noPassword(
        customer.email
          ? 'Set a password with the link POST /api/store/auth/password-reset e-mails to the account address'
          : 'The account signs in with its social account only: it has no e-mail address to send a reset link to',
      );
    const ok = await verifyPassword(checkedHash, currentPassword);
    const wrong = () =>
      IdentityErrors.wrongPassword(undefined, {
        errors: [{ path: 'body/currentPassword', message: 'is wrong' }],
      });
    if (!ok) throw wrong();
    assertAcceptablePassword(newPassword, 'body/newPassword', customer.email);
    const passwordHash = await hashPassword(newPassword);
    await this.em.transactional(async (em) => {
      // The customer row first, then its sessions: the order of the reset and the erasure.
      const locked = await lockActive(em, id);
      if (!locked) throw CommonErrors.unauthorized('The account is disabled');
      // Changed since it was checked (another change, a reset): the password given is not the current one.
      if (locked.passwordHash !== checkedHash) throw wrong();
      locked.passwordHash = passwordHash;
      await new SessionsService(em).revokeAllFor('customer', id);
      // A reset link asked for before the change must not set another password afterwards, nor an e-mail
      // change asked for with the old password move the account afterwards.
      await em.nativeUpdate(
        AccountTokenSchema,
        { customerId: id, purpose: { $in: ['password_reset', 'email_change'] }, usedAt: null },
        { usedAt: new Date() },
      );
    });
  }

  // ---- e-mailed single-use tokens ----

  /**
   * A new token for this purpose. An e-mailed link retires the earlier unused ones of its purpose (only the
   * newest e-mail works); a hand-over code does not: each belongs to its own sign-in, and two of them at once
   * (two tabs, two devices) must both work.
   */
  async issueToken(
    customerId: string,
    purpose: AccountTokenPurpose,
    /** `email_change`: the new address, sealed by the caller. */
    newEmail: string | null = null,
  ): Promise<string> {
    if (purpose !== 'oauth_handover') {
      await this.em.nativeUpdate(
        AccountTokenSchema,
        { customerId, purpose, usedAt: null },
        { usedAt: new Date() },
      );
    }
    const token = randomBytes(32).toString('base64url');
    this.em.create(AccountTokenSchema, {
      customerId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS[purpose] * 1000),
      usedAt: null,
      newEmail,
    });
    return token;
  }

  /** Whose usable token this is, without spending it or taking a lock; null for an unknown, used or expired one. */
  async tokenOwner(token: string, purpose: AccountTokenPurpose): Promise<string | null> {
    const rows = await this.em.getConnection().execute<{ customer_id: string }[]>(
      `SELECT customer_id FROM account_token
        WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > now()`,
      [sha256(token), purpose],
      'all',
      this.em.getTransactionContext(),
    );
    return rows[0]?.customer_id ?? null;
  }

  /**
   * Spends a token (one concurrent caller wins) and returns its customer, or throws invalidToken naming `path`
   * (the request field the token came in). In `em`'s transaction when there is one: a reset or verification that
   * then fails leaves the token unspent.
   */
  async consumeToken(token: string, purpose: AccountTokenPurpose, path = 'body/token'): Promise<string> {
    const rows = await this.em.getConnection().execute<{ customer_id: string }[]>(
      `UPDATE account_token SET used_at = now(), updated_at = now()
        WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > now()
        RETURNING customer_id`,
      [sha256(token), purpose],
      'all',
      this.em.getTransactionContext(),
    );
    const customerId = rows[0]?.customer_id;
    if (!customerId)
      throw IdentityErrors.invalidToken(undefined, {
        errors: [{ path, message: 'is invalid, used or expired' }],
      });
    return customerId;
  }

  /**
   * Sends a reset link when an active account with a password or e-mail exists; says nothing either way
   * (the route always answers 202), so the form cannot be used to find accounts.
   */
  async requestPasswordReset(emailInput: string, publicUrl: string, send: SendMail): Promise<void> {
    const customer = await this.em.findOne(CustomerSchema, {
      email: normalizeEmail(emailInput),
      disabledAt: null,
    });
    if (!customer?.email) return;
    const email = customer.email;
    // Token and e-mail commit together (the notifications module queues it in this transaction).
    await this.em.transactional(async (em) => {
      const token = await new CustomersService(em, this.cipher).issueToken(customer.id, 'password_reset');
      await send(em, {
        template: 'password-reset',
        to: email,
        data: {
          firstName: customer.firstName,
          resetUrl: `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
        },
      });
    });
  }

  /**
   * Sets a new password from a reset link; the link also proves the mailbox, and every session ends. When the
   * e-mail was not proven until now, the social identities linked to the account go too (see
   * `detachIdentitiesOfUnprovenHolder`). One transaction.
   */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    assertAcceptablePassword(newPassword);
    const passwordHash = await hashPassword(newPassword);
    await this.em.transactional(async (em) => {
      const service = new CustomersService(em, this.cipher);
      // The customer row first, then the token (spent in this transaction: a reset that fails leaves the link
      // as it was), its sessions and identities: the order of the password change, the disabling and the
      // erasure, and a link being confirmed takes turns with this.
      const owner = await service.tokenOwner(token, 'password_reset');
      const customer = owner === null ? null : await lockActive(em, owner);
      if (!customer) throw IdentityErrors.invalidToken();
      // Whose address to keep out of the password is known only now; refused, the link stays usable.
      assertAcceptablePassword(newPassword, 'body/password', customer.email);
      const customerId = await service.consumeToken(token, 'password_reset');
      if (customerId !== customer.id) throw IdentityErrors.invalidToken();
      customer.passwordHash = passwordHash;
      const mailboxFirstProven = customer.emailVerifiedAt === null;
      customer.emailVerifiedAt ??= new Date();
      await new SessionsService(em).revokeAllFor('customer', customerId);
      // An e-mail change asked for with the old password must not move the account afterwards.
      await em.nativeUpdate(
        AccountTokenSchema,
        { customerId, purpose: 'email_change', usedAt: null },
        { usedAt: new Date() },
      );
      if (mailboxFirstProven) {
        await service.detachIdentitiesOfUnprovenHolder(customerId);
        recordChange(em, { resource: 'customers', ids: [customerId], type: 'updated' });
      }
    });
  }

  /**
   * In the reset's transaction, once a reset link has proven the mailbox of an account whose e-mail was never
   * proven before: whoever held the password until then may not be the owner of the address (anyone can
   * register any address), so every social identity linked to the account, and every link left pending, goes.
   * Else someone who registered a stranger's address and linked their own social account would still sign in
   * to it after its owner took it over with a reset (pre-account hijacking). The audit log says so, with the
   * providers, never the identities.
   */
  private async detachIdentitiesOfUnprovenHolder(customerId: string): Promise<void> {
    const connection = this.em.getConnection();
    const removed: { provider: string }[] = await connection.execute(
      `DELETE FROM customer_identity WHERE customer_id = ? RETURNING provider`,
      [customerId],
      'all',
      this.em.getTransactionContext(),
    );
    await this.em.nativeDelete(OAuthStateSchema, { customerId });
    if (!removed.length) return;
    await new AuditService(this.em).record({
      staffId: null,
      action: 'customer.identities_detached',
      details: {
        customerId,
        providers: [...new Set(removed.map((row) => row.provider))].sort(),
        by: 'password_reset',
      },
    });
  }

  async requestEmailVerification(customerId: string, publicUrl: string, send: SendMail): Promise<void> {
    const customer = await this.getActive(customerId);
    if (!customer.email || customer.emailVerifiedAt) return;
    const email = customer.email;
    await this.em.transactional(async (em) => {
      const token = await new CustomersService(em, this.cipher).issueToken(customer.id, 'email_verification');
      await send(em, {
        template: 'verify-email',
        to: email,
        data: {
          firstName: customer.firstName,
          verifyUrl: `${publicUrl}/verify-email?token=${encodeURIComponent(token)}`,
        },
      });
    });
  }

  async verifyEmail(token: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const service = new CustomersService(em, this.cipher);
      // The customer row first, then the token: the erasure's order (it deletes the tokens under that lock).
      const owner = await service.tokenOwner(token, 'email_verification');
      const customer =
        owner === null
          ? null
          : await em.findOne(
              CustomerSchema,
              { id: owner },
              { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
            );
      if (!customer) throw IdentityErrors.invalidToken();
      const customerId = await service.consumeToken(token, 'email_verification');
      if (customerId !== customer.id) throw IdentityErrors.invalidToken();
      customer.emailVerifiedAt ??= new Date();
      recordChange(em, { resource: 'customers', ids: [customerId], type: 'updated' });
    });
  }

  // ---- address book (each address one sealed JSON value) ----

  private open(address: CustomerAddress): DecryptedAddress {
    return {
      ...this.cipher.decryptJson<AddressFields>(address.sealed),
      id: address.id,
      isDefault: address.isDefault,
      createdAt: address.createdAt,
    };
  }

  async listAddresses(customerId: string): Promise<DecryptedAddress[]> {
    const rows = await this.em.find(
      CustomerAddressSchema,
      { customerId },
      { orderBy: { createdAt: 'ASC', id: 'ASC' } },
    );
    return rows.map((row) => this.open(row));
  }

  private async ownAddress(customerId: string, addressId: string): Promise<CustomerAddress> {
    const address = await this.em.findOne(CustomerAddressSchema, { id: addressId, customerId });
    if (!address) throw CommonErrors.notFound('No such address');
    return address;
  }

  async getAddress(customerId: string, addressId: string): Promise<DecryptedAddress> {
    return this.open(await this.ownAddress(customerId, addressId));
  }

  private async clearDefault(customerId: string, exceptId: string): Promise<void> {
    await this.em.nativeUpdate(
      CustomerAddressSchema,
      { customerId, isDefault: true, id: { $ne: exceptId } },
      { isDefault: false },
    );
  }

  /**
   * Company and region as the checkout takes them (ADR 0047): trimmed, blank ones left out; a US or Canadian
   * address needs its 2-letter state or province code (any case, stored upper case), 400 on `body/region`.
   */
  private checkedAddress(fields: AddressFields): AddressFields {
    return withCheckedRegion(fields, 'body');
  }

  /**
   * Address book writes run one at a time per customer (the customer row locked in a transaction): which
   * address is the default is decided from the others, and two at once (a double click, a shop saving several)
   * each made theirs the default, or each the first one.
   */
  private inAddressBook<T>(customerId: string, work: (book: CustomersService) => Promise<T>): Promise<T> {
    return this.em.transactional(async (em) => {
      const [locked] = await em
        .getConnection()
        .execute<{ id: string }[]>(
          `SELECT id FROM customer WHERE id = ? AND disabled_at IS NULL FOR UPDATE`,
          [customerId],
          'all',
          em.getTransactionContext(),
        );
      if (!locked) throw CommonErrors.unauthorized('The account is disabled');
      return work(new CustomersService(em, this.cipher));
    });
  }

  async addAddress(customerId: string, input: AddressBody): Promise<DecryptedAddress> {
    const { isDefault, ...rest } = input;
    const fields = this.checkedAddress(rest);
    return this.inAddressBook(customerId, async (book) => {
      const count = await book.em.count(CustomerAddressSchema, { customerId });
      if (count >= MAX_ADDRESSES)
        throw IdentityErrors.addressBookFull(
          `An address book holds at most ${MAX_ADDRESSES} addresses; delete one you no longer use first`,
        );
      const address = book.em.create(CustomerAddressSchema, {
        customerId,
        sealed: this.cipher.encryptJson(fields),
        isDefault: Boolean(isDefault) || count === 0,
      });
      if (address.isDefault) await book.clearDefault(customerId, address.id);
      await book.em.flush();
      return this.open(address);
    });
  }

  async updateAddress(
    customerId: string,
    addressId: string,
    change: UpdateAddressBody,
  ): Promise<DecryptedAddress> {
    return this.inAddressBook(customerId, async (book) => {
      const address = await book.ownAddress(customerId, addressId);
      const { isDefault, ...fields } = change;
      const current = this.cipher.decryptJson<AddressFields>(address.sealed);
      // The address as it will be is checked, whatever the change touched (a region kept while the country
      // changes must suit the new country).
      address.sealed = this.cipher.encryptJson(this.checkedAddress({ ...current, ...fields }));
      if (isDefault === true) {
        address.isDefault = true;
        await book.clearDefault(customerId, address.id);
      } else if (isDefault === false) address.isDefault = false;
      await book.em.flush();
      return this.open(address);
    });
  }

  /** Deleting the default address makes the oldest remaining one the default (as the first one added was). */
  async deleteAddress(customerId: string, addressId: string): Promise<void> {
    await this.inAddressBook(customerId, async (book) => {
      const address = await book.ownAddress(customerId, addressId);
      book.em.remove(address);
      if (address.isDefault) {
        const next = await book.em.findOne(
          CustomerAddressSchema,
          { customerId, id: { $ne: addressId } },
          { orderBy: { createdAt: 'ASC', id: 'ASC' } },
        );
        if (next) next.isDefault = true;
      }
      await book.em.flush();
    });
  }

  // ---- staff side ----

  async list(
    options: CustomerListOptions,
  ): Promise<{ rows: Customer[]; total: number; providers: Map<string, string[]> }> {
    const where: Record<string, unknown> = {};
    if (options.disabled !== undefined) where.disabledAt = options.disabled ? { $ne: null } : null;
    if (options.q?.trim()) {
      const like = containing(options.q.trim());
      where.$or = [
        { email: { $ilike: like } },
        { firstName: { $ilike: like } },
        { lastName: { $ilike: like } },
      ];
    }
    const [rows, total] = await this.em.findAndCount(CustomerSchema, where, {
      orderBy: { [options.sort]: options.order, id: 'ASC' },
      limit: options.perPage,
      offset: (options.page - 1) * options.perPage,
    });
    return { rows, total, providers: await this.providersOf(rows.map((row) => row.id)) };
  }

  async providersOf(customerIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (!customerIds.length) return map;
    for (const identity of await this.em.find(CustomerIdentitySchema, { customerId: { $in: customerIds } })) {
      map.set(identity.customerId, [...(map.get(identity.customerId) ?? []), identity.provider]);
    }
    return map;
  }

  /**
   * Disabling ends every session at once and retires the reset links not used yet (one must not outlive the
   * decision and set a password once the account is enabled again); enabling lets the customer sign in again.
   */
  async setDisabled(id: string, disabled: boolean): Promise<Customer> {
    return this.em.transactional(async (em) => {
      // The customer row first, then its sessions (the order of the reset and the erasure).
      const customer = await em.findOne(
        CustomerSchema,
        { id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!customer) throw CommonErrors.notFound('No such customer');
      if (disabled && !customer.disabledAt) {
        customer.disabledAt = new Date();
        await new SessionsService(em).revokeAllFor('customer', id);
        // Its links too: a reset or an e-mail change asked for before would work again once it is enabled.
        await em.nativeUpdate(
          AccountTokenSchema,
          { customerId: id, purpose: { $in: ['password_reset', 'email_change'] }, usedAt: null },
          { usedAt: new Date() },
        );
      } else if (!disabled) customer.disabledAt = null;
      recordChange(em, { resource: 'customers', ids: [id], type: 'updated' });
      return customer;
    });
  }
}

/** The active customer, its row locked for the rest of `em`'s transaction (password hash loaded). */
export const lockActive = (em: EntityManager, id: string): Promise<Customer | null> =>
  em.findOne(
    CustomerSchema,
    { id, disabledAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['passwordHash'], refresh: true },
  );
