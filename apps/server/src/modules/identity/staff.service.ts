import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { StaffSchema, type Staff } from './staff.entity.ts';
import { burnVerification, hashPassword, verifyPassword } from './passwords.ts';
import { IdentityErrors } from './identity.errors.ts';
import type { Role } from './permissions.ts';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface NewStaff {
  email: string;
  password: string;
  role: Role;
  firstName?: string;
  lastName?: string;
}

export class StaffService {
  constructor(private readonly em: EntityManager) {}

  async create(input: NewStaff): Promise<Staff> {
    const email = normalizeEmail(input.email);
    if (await this.em.count(StaffSchema, { email })) throw IdentityErrors.emailTaken();
    const staff = this.em.create(StaffSchema, {
      email,
      role: input.role,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      passwordHash: await hashPassword(input.password),
      disabledAt: null,
      lastLoginAt: null,
    });
    await this.em.flush();
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
    staff.lastLoginAt = new Date();
    await this.em.flush();
    return staff;
  }

  findActive(id: string): Promise<Staff | null> {
    return this.em.findOne(StaffSchema, { id, disabledAt: null });
  }

  /**
   * First start of an empty database: create the owner from configuration, or with a random password that
   * the caller shows once. Returns the generated password, if any.
   */
  async ensureOwner(email: string | undefined, password: string | undefined): Promise<{ email: string; generatedPassword?: string } | undefined> {
    if (await this.em.count(StaffSchema, {})) return undefined;
    const ownerEmail = email ?? 'admin@mcart.local';
    const generatedPassword = password ? undefined : randomBytes(12).toString('base64url');
    await this.create({ email: ownerEmail, password: password ?? generatedPassword!, role: 'owner', firstName: 'Store', lastName: 'Owner' });
    return { email: ownerEmail, ...(generatedPassword ? { generatedPassword } : {}) };
  }
}
