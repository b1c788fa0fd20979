import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';
import { ROLES } from './permissions.ts';

export const StaffSchema = defineEntity({
  name: 'Staff',
  tableName: 'staff',
  properties: {
    ...baseProperties,
    email: p.string().length(254).unique(),
    firstName: p.string().length(100).default(''),
    lastName: p.string().length(100).default(''),
    role: p.enum([...ROLES]),
    passwordHash: p.string().hidden().lazy(true, false),
    disabledAt: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    /**
     * The password was reset by an owner or admin (who knows the temporary one): the sign-in answer asks the member
     * to choose their own, which clears this.
     */
    passwordChangeRequired: p.boolean().default(false),
    /** The TOTP shared secret, sealed with app.cipher; set while enrolling, active once totpEnabledAt is set. */
    totpSecret: p.text().nullable().lazy(true, false),
    totpEnabledAt: p.datetime().nullable(),
    /** The last TOTP time step accepted: a code of this step or an earlier one is never accepted again. */
    totpLastStep: p.integer().nullable(),
    version: p.integer().version(),
  },
});

export type Staff = InferEntity<typeof StaffSchema>;

/** The store-wide identity policy: one row (id 1), created by the migration. */
export const IdentitySettingsSchema = defineEntity({
  name: 'IdentitySettings',
  tableName: 'identity_settings',
  properties: {
    id: p.integer().primary(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    staffTotpRequired: p.boolean().default(false),
    updatedBy: p.uuid().nullable(),
    version: p.integer().version(),
  },
});

export type IdentitySettings = InferEntity<typeof IdentitySettingsSchema>;
