import type { EntityManager } from '@mikro-orm/postgresql';
import { CommonErrors } from '../../platform/errors.ts';
import { prepared } from '../../platform/prepared.ts';
import { CustomerDataErrors } from './customer-data.errors.ts';
import { type Customer, CustomerSchema } from './customer.entity.ts';
import { IdentityErrors } from './identity.errors.ts';
import { verifyPassword } from './passwords.ts';

/** How recent the sign-in of an account without a password must be for it to erase itself or move its e-mail. */
export const RECENT_SIGN_IN_SECONDS = 10 * 60;

/**
 * The person behind an access token, proven before an irreversible or account-moving step (the erasure, the
 * e-mail change): the account's password when it has one (400 MCART_ERR_PASSWORD_REQUIRED without it, 403
 * MCART_ERR_WRONG_PASSWORD when wrong, both on `body/password`); an account made by a social sign-in has none, so
 * its session (`sessionId`, the access token's) must have started less than RECENT_SIGN_IN_SECONDS ago (403
 * MCART_ERR_RECENT_SIGN_IN_REQUIRED): a fresh sign-in at the provider is its proof.
 */
export async function assertPersonProven(
  em: EntityManager,
  customer: { id: string; passwordHash?: string | null },
  sessionId: string,
  password: string | undefined,
): Promise<void> {
  if (customer.passwordHash) {
    if (password === undefined)
      throw CustomerDataErrors.passwordRequired(undefined, {
        errors: [{ path: 'body/password', message: 'is required: the account has a password' }],
      });
    if (!(await verifyPassword(customer.passwordHash, password)))
      throw IdentityErrors.wrongPassword(undefined, {
        errors: [{ path: 'body/password', message: 'is wrong' }],
      });
    return;
  }
  // The session's first token was issued by the sign-in itself; a refresh keeps the session's start.
  const [session] = await prepared<{ recent: boolean }>(
    em,
    `SELECT min(created_at) > now() - make_interval(secs => ?) AS recent
       FROM auth_session WHERE family_id = ?::uuid AND subject_kind = 'customer' AND subject_id = ?::uuid`,
    [RECENT_SIGN_IN_SECONDS, sessionId, customer.id],
  );
  if (!session?.recent) throw CustomerDataErrors.recentSignInRequired();
}

/** The signed-in customer (401 when the account was disabled meanwhile), once `assertPersonProven` holds. */
export async function provenCustomer(
  em: EntityManager,
  customerId: string,
  sessionId: string,
  password: string | undefined,
): Promise<Customer> {
  const customer = await em.findOne(
    CustomerSchema,
    { id: customerId, disabledAt: null },
    { populate: ['passwordHash'] },
  );
  if (!customer) throw CommonErrors.unauthorized('The account is disabled');
  await assertPersonProven(em, customer, sessionId, password);
  return customer;
}
