import { Type } from '@sinclair/typebox';
import { listOf, listQuery, SingleLine } from '../../platform/schemas.ts';
import { Email, Password, RoleDto } from './identity.schemas.ts';

/** Not blank, one line (no line breaks or other control characters); stored trimmed. */
const Name = SingleLine({ maxLength: 100 });

export const CreateStaffBody = Type.Object(
  { email: Email, password: Password, role: RoleDto, firstName: Name, lastName: Name },
  { $id: 'CreateStaffBody', additionalProperties: false },
);

export const UpdateStaffBody = Type.Object(
  {
    role: Type.Optional(RoleDto),
    disabled: Type.Optional(Type.Boolean()),
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
  },
  { $id: 'UpdateStaffBody', additionalProperties: false, minProperties: 1 },
);

export const AdminStaffDto = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    role: RoleDto,
    firstName: Type.String(),
    lastName: Type.String(),
    disabled: Type.Boolean(),
    totpEnabled: Type.Boolean(),
    /** The member has not yet replaced the password an owner or admin gave them (at creation or a reset). */
    passwordChangeRequired: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'AdminStaffDto' },
);

export const StaffListQuery = listQuery(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(RoleDto),
    disabled: Type.Optional(Type.Boolean()),
  },
  ['createdAt', 'email', 'lastName', 'role', 'lastLoginAt'] as const,
);
export const StaffList = listOf(AdminStaffDto);

/** The answer of an owner's (or admin's) password reset: the temporary password, shown only here. */
export const StaffPasswordResetDto = Type.Object(
  {
    temporaryPassword: Type.String({
      description: 'Hand it to the member: it signs in once more, then they must choose their own.',
    }),
    staff: AdminStaffDto,
  },
  { $id: 'StaffPasswordResetDto' },
);
