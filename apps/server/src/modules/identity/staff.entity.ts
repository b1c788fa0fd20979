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
    version: p.integer().version(),
  },
});

export type Staff = InferEntity<typeof StaffSchema>;
