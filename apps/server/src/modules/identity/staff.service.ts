import { randomBytes } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { StaffSchema, type Staff } from './staff.entity.ts';
import { burnVerification, hashPassword, verifyPassword } from './passwords.ts';
import { IdentityErrors } from './identity.errors.ts';
import type { Role } from './permissions.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { SessionsService } from './sessions.service.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { containing } from '../../platform/like.ts';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** 409 MCART_ERR_EMAIL_TAKEN on the `body/email` field. */
export const emailTaken = () =>
  IdentityErrors.emailTaken(undefined, {
    errors: [{ path: 'body/email', message: 'is already registered' }],
  });

/**
 * Runs the flush that inserts an account: the e-mail was checked free just before, but an account with the same
 * one may commit in between (a double click, two tabs); its unique key then refuses this one, which is the same
 * answer as the check's, not a generic conflict.
 */
export async function flushNewAccount(
  em: EntityManager,
  emailConstraint: 'staff_email_unique' | 'customer_email_unique',
): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    const constraint = (error as { constraint?: unknown }).constraint;
    if (error instanceof UniqueConstraintViolationException && constraint === emailConstraint)
      throw emailTaken();
    throw error;
  }
}

export interface NewStaff {
  email: string;
  password: string;
  role: Role;
  firstName?: string;
  lastName?: string;
  /** The password was chosen by someone else: the member is asked to change it at sign-in. */
  passwordChangeRequired?: boolean;
}

/** How long a temporary password made by a reset is: 16 base64url characters, 96 random bits. */
const TEMPORARY_PASSWORD_BYTES = 12;

export interface StaffChange {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

export interface StaffListOptions {
  q?: string | undefined;
  role?: Role | undefined;
  disabled?: boolean | undefined;
  page: number;
  perPage: number;
  sort: 'createdAt' | 'email' | 'lastName' | 'role' | 'lastLoginAt';
  order: 'ASC' | 'DESC';
}

/** Who is acting: the rules differ for owners and admins. */
export interface StaffActor {
  id: string;
  role: Role;
}

export class StaffService {
  constructor(private readonly em: EntityManager) {}

  async create(input: NewStaff): Promise<Staff> {
    const email = normalizeEmail(input.email);
    if (await this.em.count(StaffSchema, { email })) throw emailTaken();
    const staff = this.em.create(StaffSchema, {
      email,
      role: input.role,
      firstName: (input.firstName ?? '').trim(),
      lastName: (input.lastName ?? '').trim(),
      passwordHash: await hashPassword(input.password),
      disabledAt: null,
      lastLoginAt: null,
      passwordChangeRequired: input.passwordChangeRequired ?? false,
    });
    await flushNewAccount(this.em, 'staff_email_unique');
    return staff;
  }

  /** Same answer and about the same time for an unknown e-mail, a wrong password and a disabled account. */
  async authenticate(emailInput: string, password: string): Promise<Staff> {
    const staff = await this.em.findOne(
      StaffSchema,
      { email: normalizeEmail(emailInput) },
      { populate: ['passwordHash'] },
    );
    const ok = staff ? await verifyPassword(staff.passwordHash, password) : await burnVerification(password);
    if (!staff || !ok || staff.disabledAt) throw IdentityErrors.invalidCredentials();
    return staff;
  }

  /**
   * A full sign-in (after the second factor, when there is one). Plain SQL on purpose: signing in is not an
   * edit of the record, so it leaves `version` alone (a flush of the entity would add `WHERE version = ?`,
   * and concurrent sign-ins of one account would answer 409 MCART_ERR_STALE_WRITE), as TotpService.spend.
   * The managed entity keeps its old `lastLoginAt` on purpose: it is not dirty, so a later flush of another
   * change writes neither a stale time nor a version conflict. A member disabled since the password was
   * checked is refused as at the password (401).
   */
  async markSignedIn(staff: Staff): Promise<void> {
    const marked = await this.em
      .getConnection()
      .execute<{ affectedRows: number }>(
        `UPDATE staff SET last_login_at = now() WHERE id = ? AND disabled_at IS NULL`,
        [staff.id],
        'run',
        this.em.getTransactionContext(),
      );
    if (marked.affectedRows === 0) throw IdentityErrors.invalidCredentials();
  }

  /**
   * Staff management by an owner or admin: only an owner creates owners. The initial password was chosen by the
   * one creating the account (and handed over), so the member must replace it at their first sign-in, as after a
   * reset. The first owner (`ensureOwner`) chose their own in the configuration and is not asked.
   */
  async createBy(actor: StaffActor, input: NewStaff): Promise<Staff> {
    if (input.role === 'owner' && actor.role !== 'owner')
      throw IdentityErrors.ownerOnly('Only an owner may create an owner');
    assertAcceptablePassword(input.password, 'body/password', input.email);
    const staff = await this.create({ ...input, passwordChangeRequired: true });
    recordChange(this.em, { resource: 'staff', ids: [staff.id], type: 'created' });
    await this.em.flush();
    return staff;
  }

  async get(id: string): Promise<Staff> {
    const staff = await this.em.findOne(StaffSchema, { id });
    if (!staff) throw CommonErrors.notFound('No such staff member');
    return staff;
  }

  async list(options: StaffListOptions): Promise<{ rows: Staff[]; total: number }> {
    const where: Record<string, unknown> = {};
    if (options.role) where.role = options.role;
    if (options.disabled !== undefined) where.disabledAt = options.disabled ? { $ne: null } : null;
    if (options.q?.trim()) {
      const like = containing(options.q.trim());
      where.$or = [
        { email: { $ilike: like } },
        { firstName: { $ilike: like } },
        { lastName: { $ilike: like } },
      ];
    }
    const [rows, total] = await this.em.findAndCount(StaffSchema, where, {
      orderBy: { [options.sort]: options.order, id: 'ASC' },
      limit: options.perPage,
      offset: (options.page - 1) * options.perPage,
    });
    return { rows, total };
  }

  /**
   * Role change, disable/enable, name. Admins cannot change owners (not even their names) or make one; nobody
   * changes their own role or disables themselves; the last active owner stays. A role change or disabling
   * ends the member's sessions (their tokens carry the old role). Returns the previous role for the audit log.
   */
  update(actor: StaffActor, id: string, change: StaffChange): Promise<{ staff: Staff; previousRole: Role }> {
    return this.em.transactional((em) => new StaffService(em).applyUpdate(actor, id, change));
  }

  private async applyUpdate(
    actor: StaffActor,
    id: string,
    change: StaffChange,
  ): Promise<{ staff: Staff; previousRole: Role }> {
    // Owners' rows are locked (in id order) before anything is read: two owners demoting or disabling each
    // other at the same moment take turns, and the second sees the first's change, so one owner stays.
    await this.em.find(
      StaffSchema,
      { role: 'owner' },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    const staff = await this.em.findOne(StaffSchema, { id }, { refresh: true });
    if (!staff) throw CommonErrors.notFound('No such staff member');
    const previousRole = staff.role;
    const roleChanges = change.role !== undefined && change.role !== staff.role;
    const disabling = change.disabled === true && staff.disabledAt === null;
    // Any change of an owner (names included) or to owner, before anything is written.
    if (actor.role !== 'owner' && (staff.role === 'owner' || change.role === 'owner'))
      throw IdentityErrors.ownerOnly('Only an owner may change an owner or promote to owner');
    if (staff.id === actor.id && (roleChanges || disabling)) throw IdentityErrors.selfChange();
    if (staff.role === 'owner' && (roleChanges || disabling)) {
      const owners = await this.em.count(StaffSchema, {
        role: 'owner',
        disabledAt: null,
        id: { $ne: staff.id },
      });
      if (owners === 0) throw IdentityErrors.lastOwner();
    }
    if (change.firstName !== undefined) staff.firstName = change.firstName.trim();
    if (change.lastName !== undefined) staff.lastName = change.lastName.trim();
    if (roleChanges) staff.role = change.role!;
    if (disabling) staff.disabledAt = new Date();
    if (change.disabled === false) staff.disabledAt = null;
    if (roleChanges || disabling) await new SessionsService(this.em).revokeAllFor('staff', staff.id);
    recordChange(this.em, { resource: 'staff', ids: [staff.id], type: 'updated' });
    await this.em.flush();
    return { staff, previousRole };
  }

  /**
   * The member changes their own password, proving the current one. The new one follows the policy (8..128 by
   * the schema, not a common one, not the e-mail address) and must differ from the current one (a temporary
   * password kept would stay known to whoever gave it). Every session of the member ends, this one included: the
   * caller starts a fresh one. Clears `passwordChangeRequired`. 403 MCART_ERR_WRONG_PASSWORD on
   * `body/currentPassword`.
   */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<Staff> {
    const staff = await this.em.findOne(
      StaffSchema,
      { id, disabledAt: null },
      { populate: ['passwordHash'] },
    );
    if (!staff) throw CommonErrors.unauthorized('The account is disabled');
    const checkedHash = staff.passwordHash;
    const wrong = () =>
      IdentityErrors.wrongPassword(undefined, {
        errors: [{ path: 'body/currentPassword', message: 'is wrong' }],
      });
    if (!(await verifyPassword(checkedHash, currentPassword))) throw wrong();
    if (newPassword === currentPassword) {
      throw CommonErrors.validation('Choose a password other than the current one', {
        errors: [{ path: 'body/newPassword', message: 'must differ from the current password' }],
      });
    }
    assertAcceptablePassword(newPassword, 'body/newPassword', staff.email);
    const passwordHash = await hashPassword(newPassword);
    return this.em.transactional(async (em) => {
      // The member's row first, then their sessions: the order of the owner's reset and of disabling.
      const locked = await lockActive(em, id);
      if (!locked) throw CommonErrors.unauthorized('The account is disabled');
      // Changed since it was checked (another change, a reset): the password given is not the current one.
      if (locked.passwordHash !== checkedHash) throw wrong();
      locked.passwordHash = passwordHash;
      locked.passwordChangeRequired = false;
      await new SessionsService(em).revokeAllFor('staff', id);
      recordChange(em, { resource: 'staff', ids: [id], type: 'updated' });
      await em.flush();
      return locked;
    });
  }

  /**
   * An owner or admin gives a member a new, random password (answered once, to hand over) that the member must
   * change at their next sign-in; every session of the member ends. Role, enabled state and second factor stay:
   * nobody is demoted or locked out by it. Admins cannot reset an owner's (403 MCART_ERR_OWNER_ONLY), nobody
   * their own here (409 MCART_ERR_SELF_CHANGE: that is the password change, with the current one).
   */
  async resetPassword(actor: StaffActor, id: string): Promise<{ staff: Staff; temporaryPassword: string }> {
    if (actor.id === id)
      throw IdentityErrors.selfChange(
        'Change your own password with your current one (POST /api/admin/auth/password)',
      );
    const temporaryPassword = randomBytes(TEMPORARY_PASSWORD_BYTES).toString('base64url');
    const passwordHash = await hashPassword(temporaryPassword);
    const staff = await this.em.transactional(async (em) => {
      const locked = await em.findOne(
        StaffSchema,
        { id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['passwordHash'], refresh: true },
      );
      if (!locked) throw CommonErrors.notFound('No such staff member');
      if (locked.role === 'owner' && actor.role !== 'owner')
        throw IdentityErrors.ownerOnly("Only an owner may reset an owner's password");
      locked.passwordHash = passwordHash;
      locked.passwordChangeRequired = true;
      await new SessionsService(em).revokeAllFor('staff', id);
      recordChange(em, { resource: 'staff', ids: [id], type: 'updated' });
      await em.flush();
      return locked;
    });
    return { staff, temporaryPassword };
  }

  findActive(id: string): Promise<Staff | null> {
    return this.em.findOne(StaffSchema, { id, disabledAt: null });
  }

  /**
   * First start of an empty database: create the owner from configuration, or with a random password that
   * the caller shows once. Returns the generated password, if any.
   */
  async ensureOwner(
    email: string | undefined,
    password: string | undefined,
  ): Promise<{ email: string; generatedPassword?: string } | undefined> {
    if (await this.em.count(StaffSchema, {})) return undefined;
    const ownerEmail = email ?? 'admin@mcart.local';
    const generatedPassword = password ? undefined : randomBytes(12).toString('base64url');
    await this.create({
      email: ownerEmail,
      password: password ?? generatedPassword!,
      role: 'owner',
      firstName: 'Store',
      lastName: 'Owner',
    });
    return { email: ownerEmail, ...(generatedPassword ? { generatedPassword } : {}) };
  }
}

/** The active member, their row locked for the rest of `em`'s transaction (password hash loaded). */
const lockActive = (em: EntityManager, id: string): Promise<Staff | null> =>
  em.findOne(
    StaffSchema,
    { id, disabledAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['passwordHash'], refresh: true },
  );
