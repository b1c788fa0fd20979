import type { EntityManager } from '@mikro-orm/core';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { IdentitySettingsSchema, StaffSchema, type Staff } from './staff.entity.ts';
import { IdentityErrors } from './identity.errors.ts';
import { SessionsService } from './sessions.service.ts';
import { RecoveryCodes, type RecoveryCodeHasher } from './recovery-codes.ts';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;

export interface TotpEnrollment {
  /** Base32, shown once so it can be typed into an app that cannot scan. */
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a PNG QR code (data: URL). */
  qrCode: string;
}

export interface TotpStatus {
  enabled: boolean;
  /** An enrollment was started and waits for its first code. */
  pending: boolean;
  /** The owner requires a second factor for every staff member. */
  required: boolean;
  /** Unused recovery codes left (0 while TOTP is off). */
  recoveryCodesRemaining: number;
}

/**
 * Staff TOTP second factor. The secret is sealed with the field cipher; an enrollment only becomes active
 * once a code from the authenticator proves the member has it. A code is accepted one step either side of
 * now (clock drift) and never twice: the accepted step is stored and spent with a conditional UPDATE, so
 * two concurrent sign-ins with the same code cannot both pass.
 *
 * Confirming an enrollment also makes ten single-use recovery codes (see recovery-codes.ts), answered once;
 * turning the factor off or resetting it deletes them. Making or checking codes needs the `hasher` (the
 * operator's reset, which only deletes them, does without).
 */
export class TotpService {
  private readonly recoveryCodes: RecoveryCodes;

  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
    hasher?: RecoveryCodeHasher,
  ) {
    this.recoveryCodes = new RecoveryCodes(em, hasher);
  }

  async isRequired(): Promise<boolean> {
    const settings = await this.em.findOne(IdentitySettingsSchema, { id: 1 });
    return settings?.staffTotpRequired ?? false;
  }

  /** Owner switch: require TOTP for every staff member. Returns the previous value for the audit log. */
  async setRequired(actorId: string, required: boolean): Promise<{ previous: boolean }> {
    const settings = await this.em.findOneOrFail(IdentitySettingsSchema, { id: 1 });
    const previous = settings.staffTotpRequired;
    settings.staffTotpRequired = required;
    settings.updatedBy = actorId;
    await this.em.flush();
    return { previous };
  }

  async status(staffId: string): Promise<TotpStatus> {
    const staff = await this.load(staffId);
    return {
      enabled: staff.totpEnabledAt !== null,
      pending: staff.totpEnabledAt === null && staff.totpSecret !== null,
      required: await this.isRequired(),
      recoveryCodesRemaining: staff.totpEnabledAt ? await this.recoveryCodes.count(staff.id) : 0,
    };
  }

  /** Starts (or restarts) an enrollment with a fresh secret; refused while a second factor is active. */
  async beginEnrollment(staffId: string, issuer: string): Promise<TotpEnrollment> {
    const staff = await this.load(staffId);
    if (staff.totpEnabledAt) throw IdentityErrors.totpAlreadyEnabled();
    const secret = generateSecret();
    staff.totpSecret = this.cipher.encrypt(secret);
    staff.totpLastStep = null;
    await this.em.flush();
    const otpauthUrl = generateURI({ issuer, label: staff.email, secret });
    return { secret, otpauthUrl, qrCode: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 }) };
  }

  /**
   * Activates a started enrollment with a first valid code and answers the member's new recovery codes (the
   * only time they are seen); null for a wrong (or replayed) code.
   */
  async confirmEnrollment(staffId: string, code: string): Promise<{ recoveryCodes: string[] } | null> {
    const staff = await this.load(staffId);
    if (staff.totpEnabledAt) throw IdentityErrors.totpAlreadyEnabled();
    if (!staff.totpSecret) throw IdentityErrors.totpNotStarted();
    if (!(await this.spend(staff, code))) return null;
    staff.totpEnabledAt = new Date();
    recordChange(this.em, { resource: 'staff', ids: [staff.id], type: 'updated' });
    await this.em.flush();
    return { recoveryCodes: await this.recoveryCodes.replace(staff.id) };
  }

  /** Checks a sign-in code against the active secret and spends its step; false when wrong or replayed. */
  async verifyActive(staffId: string, code: string): Promise<boolean> {
    const staff = await this.load(staffId);
    if (!staff.totpEnabledAt || !staff.totpSecret) return false;
    return this.spend(staff, code);
  }

  /**
   * Signs in with a recovery code instead of a TOTP code: the code is spent (never accepted again) and the
   * answer says how many are left; null when it is wrong or used, or the member's TOTP is off.
   */
  async useRecoveryCode(staffId: string, code: string): Promise<{ remaining: number } | null> {
    const staff = await this.load(staffId);
    if (!staff.totpEnabledAt) return null;
    return this.recoveryCodes.consume(staff.id, code);
  }

  /**
   * New recovery codes for a member with TOTP on, proven with a current TOTP code (as turning it off is); the
   * old codes stop working. Null for a wrong (or replayed) code.
   */
  async regenerateRecoveryCodes(staffId: string, code: string): Promise<{ recoveryCodes: string[] } | null> {
    const staff = await this.load(staffId);
    if (!staff.totpEnabledAt) throw IdentityErrors.totpNotEnabled();
    if (!(await this.spend(staff, code))) return null;
    return { recoveryCodes: await this.recoveryCodes.replace(staff.id) };
  }

  /** The member turns their second factor off, proving it with a current code. */
  async disable(staffId: string, code: string): Promise<boolean> {
    const staff = await this.load(staffId);
    if (!staff.totpEnabledAt) throw IdentityErrors.totpNotEnabled();
    if (!(await this.spend(staff, code))) return false;
    await this.clear(staff);
    return true;
  }

  /**
   * The owner resets a member's second factor (lost phone). Their sessions end: whoever holds them
   * signed in under the old factor; the member signs in again (and enrolls again when it is required).
   */
  async reset(staffId: string): Promise<Staff> {
    const staff = await this.load(staffId);
    if (!staff.totpEnabledAt && !staff.totpSecret) throw IdentityErrors.totpNotEnabled();
    await new SessionsService(this.em).revokeAllFor('staff', staff.id);
    await this.clear(staff);
    return staff;
  }

  /**
   * The operator's reset (`npm run staff-totp-reset -- <email>`), for an owner who lost their authenticator
   * with no other owner to reset it from the desktop app: the same as the owner's reset, found by e-mail.
   */
  async resetByEmail(email: string): Promise<Staff> {
    const staff = await this.em.findOne(StaffSchema, { email: email.trim().toLowerCase() });
    if (!staff) throw CommonErrors.notFound(`No staff member has the e-mail ${email}`);
    return this.reset(staff.id);
  }

  /** Turns the factor off: secret, activation and step gone, and the recovery codes with them. */
  private async clear(staff: Staff): Promise<void> {
    await this.recoveryCodes.removeAll(staff.id);
    staff.totpSecret = null;
    staff.totpEnabledAt = null;
    staff.totpLastStep = null;
    recordChange(this.em, { resource: 'staff', ids: [staff.id], type: 'updated' });
    await this.em.flush();
  }

  private async spend(staff: Staff, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code) || !staff.totpSecret) return false;
    const result = await verify({
      secret: this.cipher.decrypt(staff.totpSecret),
      token: code,
      epochTolerance: PERIOD_SECONDS,
    });
    if (!result.valid || !('timeStep' in result)) return false;
    // One winner per step, even across instances: the row only moves forward.
    // Plain SQL on purpose: spending a step is not an edit of the record, so it leaves `version` alone.
    const spent = await this.em
      .getConnection()
      .execute<{ affectedRows: number }>(
        `UPDATE staff SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
        [result.timeStep, staff.id, result.timeStep],
        'run',
      );
    // The managed entity keeps its old step on purpose: it is not dirty, so a later flush leaves the row alone.
    return spent.affectedRows > 0;
  }

  private async load(staffId: string): Promise<Staff> {
    const staff = await this.em.findOne(StaffSchema, { id: staffId }, { populate: ['totpSecret'] });
    if (!staff) throw CommonErrors.notFound('No such staff member');
    return staff;
  }
}
