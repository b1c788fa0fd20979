import { Type } from '@sinclair/typebox';
import { StaffLoginDto, TotpStatusDto } from './identity.schemas.ts';
import { RECOVERY_CODE_COUNT } from './recovery-codes.ts';

/*
 * The TOTP answers that carry recovery codes. They extend the shapes of identity.schemas.ts (which keep their
 * names for the routes that do not change) instead of editing them.
 */

const recoveryCodeList = (
  description = 'Single-use recovery codes, shown only in this answer (the server keeps keyed hashes). Each ' +
    'one signs in once in place of a code from the authenticator app.',
) =>
  Type.Array(Type.String({ pattern: '^[a-z0-9]{5}-[a-z0-9]{5}$' }), {
    minItems: RECOVERY_CODE_COUNT,
    maxItems: RECOVERY_CODE_COUNT,
    description,
  });

const recoveryCodesRemaining = (description = 'How many unused recovery codes the member has left') =>
  Type.Integer({ minimum: 0, description });

/** `GET /api/admin/profile/totp`: the status, with how many recovery codes are left. */
export const StaffTotpStatusDto = Type.Object(
  { ...TotpStatusDto.properties, recoveryCodesRemaining: recoveryCodesRemaining() },
  { $id: 'StaffTotpStatusDto' },
);

/** The enrollment was confirmed: TOTP is on, and here are the recovery codes (once). */
export const TotpConfirmedDto = Type.Object(
  { ...StaffTotpStatusDto.properties, recoveryCodes: recoveryCodeList() },
  { $id: 'TotpConfirmedDto' },
);

/** New recovery codes (the previous ones no longer work). */
export const RecoveryCodesDto = Type.Object(
  { recoveryCodes: recoveryCodeList(), recoveryCodesRemaining: recoveryCodesRemaining() },
  { $id: 'RecoveryCodesDto' },
);

/**
 * The second sign-in step: one `code` field for both kinds, told apart by shape (the shapes never overlap).
 */
export const TotpAnswerBody = Type.Object(
  {
    challenge: Type.String({ minLength: 1, maxLength: 2000 }),
    code: Type.String({
      minLength: 1,
      maxLength: 32,
      description:
        'The six digits from the authenticator app, or a recovery code (`k7m2x-9qpfa`: ten letters and digits, ' +
        'any case, hyphen and blanks optional). A recovery code is refused (400) while enrolling.',
    }),
  },
  { $id: 'TotpAnswerBody', additionalProperties: false },
);

/** Signed in after the second step. */
export const StaffTotpLoginDto = Type.Object(
  {
    ...StaffLoginDto.properties,
    recoveryCodes: Type.Optional(
      recoveryCodeList(
        'Only when this step confirmed an enrollment (`totp_enroll`): the new single-use recovery codes, once.',
      ),
    ),
    recoveryCodesRemaining: Type.Optional(
      recoveryCodesRemaining('Only when a recovery code signed in: how many unused codes are left.'),
    ),
  },
  { $id: 'StaffTotpLoginDto' },
);
