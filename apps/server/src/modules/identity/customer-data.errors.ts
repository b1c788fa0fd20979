import { defineError } from '../../platform/errors.ts';

/**
 * Refusals of a customer's data export or erasure (ADR 0048); the proofs of the person are also asked for by the
 * e-mail change (ADR 0011). A wrong password is IdentityErrors.wrongPassword.
 */
export const CustomerDataErrors = {
  /** The problem lists the orders (`orders: [{ id, number, status }]`) that must be finished first. */
  erasureBlocked: defineError(
    'MCART_ERR_ERASURE_BLOCKED',
    409,
    'Orders in progress: the account can be erased once they are delivered, cancelled or refunded',
  ),
  passwordRequired: defineError('MCART_ERR_PASSWORD_REQUIRED', 400, 'Confirm with the account password'),
  recentSignInRequired: defineError(
    'MCART_ERR_RECENT_SIGN_IN_REQUIRED',
    403,
    'Sign in again (within the last 10 minutes): the account has no password to confirm with',
  ),
};
