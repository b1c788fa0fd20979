import { Type, type Static } from '@sinclair/typebox';
import { PERMISSIONS, ROLES } from './permissions.ts';

export const Email = Type.String({ format: 'email', maxLength: 254 });
/** Length only (NIST 800-63B): at least 8, at most 128 characters, no composition rules. */
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const RoleDto = Type.Union(ROLES.map((role) => Type.Literal(role)));

export const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 254, minLength: 1 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { $id: 'LoginBody', additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: 'RefreshBody', additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const TokenPairDto = Type.Object(
  { accessToken: Type.String(), refreshToken: Type.String(), expiresIn: Type.Integer() },
  { $id: 'TokenPairDto' },
);

export const StaffDto = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    role: RoleDto,
    firstName: Type.String(),
    lastName: Type.String(),
  },
  { $id: 'StaffDto' },
);

export const StaffLoginDto = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    expiresIn: Type.Integer(),
    staff: StaffDto,
    passwordChangeRequired: Type.Boolean({
      description:
        'The password was reset by an owner or admin (a temporary one): ask the member to choose their own ' +
        '(POST /api/admin/auth/password) before anything else.',
    }),
  },
  { $id: 'StaffLoginDto' },
);

export const StaffMeDto = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    role: RoleDto,
    firstName: Type.String(),
    lastName: Type.String(),
    permissions: Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p)))),
    passwordChangeRequired: Type.Boolean({
      description:
        'The password was reset by an owner or admin (a temporary one): ask the member to choose their own ' +
        '(POST /api/admin/auth/password) before anything else.',
    }),
  },
  { $id: 'StaffMeDto' },
);

/** Password accepted, a second factor is due: answer the challenge at POST /api/admin/auth/totp. */
export const StaffLoginChallengeDto = Type.Object(
  {
    /** `totp`: enter a code; `totp_enroll`: the owner requires TOTP, enroll first (POST /api/admin/auth/totp/enroll). */
    next: Type.Union([Type.Literal('totp'), Type.Literal('totp_enroll')]),
    challenge: Type.String(),
    expiresIn: Type.Integer(),
  },
  { $id: 'StaffLoginChallengeDto' },
);

const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'six digits from the authenticator app' });

export const TotpChallengeBody = Type.Object(
  { challenge: Type.String({ minLength: 1, maxLength: 2000 }), code: TotpCode },
  { $id: 'TotpChallengeBody', additionalProperties: false },
);

export const TotpEnrollChallengeBody = Type.Object(
  { challenge: Type.String({ minLength: 1, maxLength: 2000 }) },
  { $id: 'TotpEnrollChallengeBody', additionalProperties: false },
);

export const TotpCodeBody = Type.Object(
  { code: TotpCode },
  { $id: 'TotpCodeBody', additionalProperties: false },
);

export const TotpEnrollmentDto = Type.Object(
  {
    secret: Type.String({ description: 'Base32 secret, shown once, for apps that cannot scan' }),
    otpauthUrl: Type.String(),
    qrCode: Type.String({ description: 'the otpauth URL as a PNG data: URL' }),
  },
  { $id: 'TotpEnrollmentDto' },
);

export const TotpStatusDto = Type.Object(
  { enabled: Type.Boolean(), pending: Type.Boolean(), required: Type.Boolean() },
  { $id: 'TotpStatusDto' },
);

export const SecuritySettingsDto = Type.Object(
  { staffTotpRequired: Type.Boolean() },
  { $id: 'SecuritySettingsDto' },
);

export const UpdateSecuritySettingsBody = Type.Object(
  { staffTotpRequired: Type.Boolean() },
  { $id: 'UpdateSecuritySettingsBody', additionalProperties: false },
);
