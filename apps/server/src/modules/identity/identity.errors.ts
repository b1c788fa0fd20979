import { defineError } from '../../platform/errors.ts';

export const IdentityErrors = {
  invalidCredentials: defineError('MCART_ERR_INVALID_CREDENTIALS', 401, 'Wrong e-mail or password'),
  invalidRefreshToken: defineError('MCART_ERR_INVALID_REFRESH_TOKEN', 401, 'The refresh token is invalid or spent'),
  emailTaken: defineError('MCART_ERR_EMAIL_TAKEN', 409, 'An account with this e-mail already exists'),
};
