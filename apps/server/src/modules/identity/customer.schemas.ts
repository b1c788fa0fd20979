import { Type, type Static } from '@sinclair/typebox';
import { COMPANY_MAX_LENGTH, REGION_MAX_LENGTH } from '../../platform/regions.ts';
import { listQuery, listOf, SingleLine } from '../../platform/schemas.ts';
import { Email, Password } from './identity.schemas.ts';

/** Not blank, one line (no line breaks or other control characters: names are printed in e-mails); stored trimmed. */
const Name = SingleLine({ maxLength: 100 });
/** Loose on purpose (formats differ by country): digits, spaces, + ( ) - . only, and at least one digit. */
const Phone = Type.String({ minLength: 5, maxLength: 32, pattern: '^(?=[^0-9]*[0-9])\\+?[0-9 ().-]{5,32}$' });

export const RegisterBody = Type.Object(
  { email: Email, password: Password, firstName: Name, lastName: Name },
  { $id: 'RegisterBody', additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const CustomerSummaryDto = Type.Object(
  {
    id: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    firstName: Type.String(),
    lastName: Type.String(),
  },
  { $id: 'CustomerSummaryDto' },
);

export const CustomerAuthDto = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    expiresIn: Type.Integer(),
    customer: CustomerSummaryDto,
  },
  { $id: 'CustomerAuthDto' },
);

export const LinkedIdentityDto = Type.Object(
  { provider: Type.String(), linkedAt: Type.String({ format: 'date-time' }) },
  { $id: 'LinkedIdentityDto' },
);

export const CustomerDto = Type.Object(
  {
    id: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    firstName: Type.String(),
    lastName: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    emailVerified: Type.Boolean(),
    hasPassword: Type.Boolean(),
    /** The social accounts the customer signs in with (unlink at DELETE /api/store/me/identities/{provider}). */
    identities: Type.Array(LinkedIdentityDto),
    createdAt: Type.String({ format: 'date-time' }),
    /**
     * The e-mail change asked for at POST /api/store/me/email and not yet confirmed (its link unspent, not expired,
     * not retired by a newer request or a password change); null when there is none. `email` stays the old
     * address until the link is confirmed.
     */
    pendingEmail: Type.Union([
      Type.Object({ newEmail: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
      Type.Null(),
    ]),
  },
  { $id: 'CustomerDto' },
);

/** What a customer may change about themselves: nothing else (no role, id, e-mail verification...). */
export const UpdateMeBody = Type.Object(
  {
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  },
  { $id: 'UpdateMeBody', additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { $id: 'ChangePasswordBody', additionalProperties: false },
);

/** `password` is required when the account has one; an account without (social sign-in) proves a recent sign-in. */
export const ChangeEmailBody = Type.Object(
  { newEmail: Email, password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
  { $id: 'ChangeEmailBody', additionalProperties: false },
);

export const EmailBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }) },
  { $id: 'EmailBody', additionalProperties: false },
);
export const TokenBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: 'TokenBody', additionalProperties: false },
);
export const ResetPasswordBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), password: Password },
  { $id: 'ResetPasswordBody', additionalProperties: false },
);

/** Every text field is one line (`SingleLine`: no control characters); the required ones are not blank either. */
const addressFields = {
  name: SingleLine({ maxLength: 200 }),
  company: Type.Optional(
    SingleLine({
      maxLength: COMPANY_MAX_LENGTH,
      blank: true,
      description: 'Company or organisation (trimmed; blank is left out)',
    }),
  ),
  line1: SingleLine({ maxLength: 200 }),
  line2: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
  city: SingleLine({ maxLength: 100 }),
  /** As at checkout (ADR 0047). */
  region: Type.Optional(
    SingleLine({
      maxLength: REGION_MAX_LENGTH,
      blank: true,
      description:
        'State, province or county, optional. For US and CA the 2-letter state or province code (IL, ON; ' +
        'anything else is 400 MCART_ERR_VALIDATION on `body/region`), taken in any case, stored upper case. ' +
        'Free text elsewhere (trimmed; blank is left out).',
    }),
  ),
  postalCode: SingleLine({ maxLength: 20 }),
  /** As at checkout (ADR 0059). */
  country: Type.String({
    pattern: '^[A-Za-z]{2}$',
    description:
      'An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION ' +
      'on `body/country` otherwise (XX, ZZ, EU, UK).',
  }),
  phone: Type.Optional(Phone),
};

export const AddressBody = Type.Object(
  { ...addressFields, isDefault: Type.Optional(Type.Boolean()) },
  { $id: 'AddressBody', additionalProperties: false },
);
export type AddressBody = Static<typeof AddressBody>;

export const UpdateAddressBody = Type.Partial(AddressBody, {
  $id: 'UpdateAddressBody',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAddressBody = Static<typeof UpdateAddressBody>;

export const AddressDto = Type.Object(
  {
    id: Type.String(),
    ...addressFields,
    isDefault: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AddressDto' },
);
export type AddressFields = Omit<AddressBody, 'isDefault'>;

export const SessionDto = Type.Object(
  {
    id: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.String({ format: 'date-time' }),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean(),
  },
  { $id: 'SessionDto' },
);

export const AdminCustomerDto = Type.Object(
  {
    id: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    firstName: Type.String(),
    lastName: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    emailVerified: Type.Boolean(),
    disabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    providers: Type.Array(Type.String()),
  },
  { $id: 'AdminCustomerDto' },
);
export const AdminCustomerDetailDto = Type.Object(
  { ...AdminCustomerDto.properties, addresses: Type.Array(AddressDto) },
  { $id: 'AdminCustomerDetailDto' },
);
export const AdminCustomerListQuery = listQuery(
  { q: Type.Optional(Type.String({ maxLength: 200 })), disabled: Type.Optional(Type.Boolean()) },
  ['createdAt', 'email', 'lastName', 'lastLoginAt'] as const,
);
export const AdminCustomerList = listOf(AdminCustomerDto);
export const AdminUpdateCustomerBody = Type.Object(
  { disabled: Type.Boolean() },
  { $id: 'AdminUpdateCustomerBody', additionalProperties: false },
);
