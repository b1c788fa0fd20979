import { CommonErrors, defineError } from '../../platform/errors.ts';

export const IdentityErrors = {
  invalidCredentials: defineError('MCART_ERR_INVALID_CREDENTIALS', 401, 'Wrong e-mail or password'),
  invalidRefreshToken: defineError(
    'MCART_ERR_INVALID_REFRESH_TOKEN',
    401,
    'The refresh token is invalid or spent',
  ),
  /**
   * The refresh token is not spent, but its session is over: it reached its longest lifetime from sign-in
   * (STAFF_SESSION_MAX_HOURS, CUSTOMER_SESSION_MAX_DAYS) or was unused too long. Sign in again.
   */
  sessionExpired: defineError('MCART_ERR_SESSION_EXPIRED', 401, 'The session has ended: sign in again'),
  emailTaken: defineError('MCART_ERR_EMAIL_TAKEN', 409, 'An account with this e-mail already exists'),
  /** An e-mail change to the address the account already has. */
  emailUnchanged: defineError('MCART_ERR_EMAIL_UNCHANGED', 400, 'This is already your e-mail address'),
  /** A password change on an account that has none (made by a social sign-in): it sets one with a reset link. */
  noPassword: defineError('MCART_ERR_NO_PASSWORD', 409, 'This account has no password yet'),
  addressBookFull: defineError('MCART_ERR_ADDRESS_BOOK_FULL', 409, 'The address book is full'),
  weakPassword: defineError('MCART_ERR_WEAK_PASSWORD', 400, 'The password is too common'),
  /** Reset, verification and e-mail change links (the shared kind: `body/token`). */
  invalidToken: CommonErrors.invalidToken,
  wrongPassword: defineError('MCART_ERR_WRONG_PASSWORD', 403, 'The current password is wrong'),
  ownerOnly: defineError('MCART_ERR_OWNER_ONLY', 403, 'Only an owner may do this'),
  lastOwner: defineError('MCART_ERR_LAST_OWNER', 409, 'The store must keep at least one active owner'),
  selfChange: defineError(
    'MCART_ERR_SELF_CHANGE',
    409,
    'You cannot change your own role or disable yourself',
  ),
  unknownProvider: defineError('MCART_ERR_UNKNOWN_PROVIDER', 404, 'This sign-in provider is not configured'),
  oauthFailed: defineError('MCART_ERR_OAUTH_FAILED', 400, 'The social sign-in did not complete'),
  oauthDenied: defineError('MCART_ERR_OAUTH_DENIED', 403, 'The sign-in was cancelled at the provider'),
  linkRequired: defineError(
    'MCART_ERR_LINK_REQUIRED',
    409,
    'An account with this e-mail exists: sign in with your password and link this provider from your account',
  ),
  /**
   * A social identity is linked only to an account whose e-mail is proven: else whoever registered someone
   * else's address could attach their own social account to it before its owner ever claims it.
   */
  emailNotVerified: defineError(
    'MCART_ERR_EMAIL_NOT_VERIFIED',
    409,
    'Confirm your e-mail address (the link we e-mailed you) before linking a social account',
  ),
  identityTaken: defineError(
    'MCART_ERR_IDENTITY_TAKEN',
    409,
    'This social account is linked to another customer',
  ),
  lastSignInMethod: defineError(
    'MCART_ERR_LAST_SIGN_IN_METHOD',
    409,
    'This is your only way to sign in: set a password before unlinking it',
  ),
  invalidTotp: defineError(
    'MCART_ERR_INVALID_TOTP',
    401,
    'The authentication code is wrong, expired or already used',
  ),
  wrongTotp: defineError(
    'MCART_ERR_WRONG_TOTP',
    403,
    'The authentication code is wrong, expired or already used',
  ),
  invalidRecoveryCode: defineError(
    'MCART_ERR_INVALID_RECOVERY_CODE',
    401,
    'The recovery code is wrong or already used',
  ),
  invalidChallenge: defineError(
    'MCART_ERR_INVALID_CHALLENGE',
    401,
    'The sign-in step expired or is invalid: sign in again',
  ),
  totpAlreadyEnabled: defineError(
    'MCART_ERR_TOTP_ALREADY_ENABLED',
    409,
    'Two-factor authentication is already on',
  ),
  totpNotStarted: defineError(
    'MCART_ERR_TOTP_NOT_STARTED',
    409,
    'Start the two-factor enrollment before confirming it',
  ),
  totpRequired: defineError(
    'MCART_ERR_TOTP_REQUIRED',
    409,
    'The owner requires two-factor authentication for all staff',
  ),
  totpNotEnabled: defineError('MCART_ERR_TOTP_NOT_ENABLED', 409, 'Two-factor authentication is off'),
};
