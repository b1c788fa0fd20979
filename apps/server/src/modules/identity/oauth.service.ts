import { createHash, randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, CommonErrors } from '../../platform/errors.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CustomerIdentitySchema, CustomerSchema, OAuthStateSchema } from './customer.entity.ts';
import { CustomersService } from './customers.service.ts';
import { IdentityErrors } from './identity.errors.ts';
import { ProviderResponseError, type OAuthProvider, type SocialProfile } from './oauth.providers.ts';
import type { Customer } from './customer.entity.ts';

/** Where a social sign-in failed, as the log says it. */
export type OAuthStep =
  'discovery' | 'state' | 'authorization' | 'token' | 'userinfo' | 'profile' | 'account';

/** The logger the service reports failures to (the request's: it carries the request id). */
export type OAuthLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const STATE_TTL_SECONDS = 10 * 60;

/**
 * A provider's name as one line, as the registration schema takes names (`SingleLine`): line breaks, tabs and
 * other control characters become spaces, since names are printed in e-mails.
 */
export const oneLine = (value: string) => value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();

export type OAuthOutcome =
  | { purpose: 'login'; customer: Customer; created: boolean }
  /** A verified identity to link once the customer who started the link confirms it with `linkCode`. */
  | { purpose: 'link'; linkCode: string };

/**
 * Authorization code flow with PKCE, state and (OIDC) nonce. The state, verifier and nonce live in
 * PostgreSQL (any instance can finish what another started), are single use and expire after 10 minutes.
 * A social identity is linked to an existing account only from inside that account (signed-in linking), and
 * only once the account's e-mail is proven (`linkableCustomer`).
 */
export class OAuthService {
  /** `log`: where failures are reported (the routes pass the request's logger); none, nothing is logged. */
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
    private readonly log?: OAuthLog,
  ) {}

  /**
   * Tells the operator why a social sign-in failed: the provider, the step and what the provider answered (HTTP
   * status, OAuth error code), never a token, code, secret, state, e-mail address or the provider's own text.
   * Cancelled consent is `info`; what the operator must look at (the provider down or slow, its server errors,
   * the client registration refused, discovery) is `error`; the rest `warn`.
   */
  private failed(
    provider: OAuthProvider,
    step: OAuthStep,
    purpose: 'login' | 'link' | undefined,
    details: ProviderFailure,
  ): void {
    const level =
      details.oauthError === 'access_denied'
        ? 'info'
        : step === 'discovery' ||
            details.timeout ||
            details.unreachable ||
            (details.status !== undefined && (details.status >= 500 || details.status === 401)) ||
            CLIENT_REGISTRATION_ERRORS.has(details.oauthError ?? '')
          ? 'error'
          : 'warn';
    this.log?.[level](
      { provider: provider.id, step, ...(purpose ? { purpose } : {}), ...details },
      'social sign-in failed',
    );
  }

  /** The provider's metadata (OIDC: discovered), or 503 when it cannot be reached (logged). */
  private async serverOf(
    provider: OAuthProvider,
    purpose: 'login' | 'link' | undefined,
  ): Promise<oauth.AuthorizationServer> {
    try {
      return await provider.server();
    } catch (error) {
      this.failed(provider, 'discovery', purpose, describeFailure(error));
      throw providerUnavailable();
    }
  }

  async authorizationUrl(
    provider: OAuthProvider,
    redirectUri: string,
    purpose: 'login' | 'link',
    customerId: string | null,
    /** The random value the start put in the browser's cookie: only that browser may finish. */
    browserBinding: string | null = null,
  ): Promise<string> {
    // Refused before anything is written: no state, no provider round trip for a link that could not be made.
    if (purpose === 'link') await linkableCustomer(this.em, customerId!);
    const server = await this.serverOf(provider, purpose);
    const state = oauth.generateRandomState();
    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    this.em.create(OAuthStateSchema, {
      stateHash: sha256(state),
      provider: provider.id,
      codeVerifier: this.cipher.encrypt(verifier),
      nonce,
      purpose,
      customerId,
      browserHash: browserBinding ? sha256(browserBinding) : null,
      expiresAt: new Date(Date.now() + STATE_TTL_SECONDS * 1000),
      usedAt: null,
    });
    await this.em.flush();
    const url = new URL(server.authorization_endpoint!);
    url.searchParams.set('client_id', provider.client.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', provider.scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (provider.oidc) url.searchParams.set('nonce', nonce);
    return url.toString();
  }

  /** Spends the state (one caller wins), or throws: forged, replayed, expired or for another provider. */
  private async spendState(provider: OAuthProvider, state: string | null, browserBinding: string | null) {
    if (!state) {
      this.failed(provider, 'state', undefined, { reason: 'the callback carries no state' });
      throw IdentityErrors.oauthFailed('The sign-in response carries no state');
    }
    const rows = await this.em.getConnection().execute<
      {
        code_verifier: string;
        nonce: string;
        purpose: 'login' | 'link';
        customer_id: string | null;
        browser_hash: string | null;
      }[]
    >(
      `UPDATE oauth_state SET used_at = now(), updated_at = now()
        WHERE state_hash = ? AND provider = ? AND used_at IS NULL AND expires_at > now()
        RETURNING code_verifier, nonce, purpose, customer_id, browser_hash`,
      [sha256(state), provider.id],
    );
    const row = rows[0];
    if (!row) {
      this.failed(provider, 'state', undefined, { reason: 'the state is unknown, used or expired' });
      throw IdentityErrors.oauthFailed('The sign-in state is unknown, used or expired; start again');
    }
    // Spent either way: a callback carried to another browser is dead for both.
    if (row.browser_hash !== null && (!browserBinding || sha256(browserBinding) !== row.browser_hash)) {
      this.failed(provider, 'state', row.purpose, {
        reason: browserBinding
          ? 'the browser is not the one that started the sign-in'
          : 'the browser has no sign-in cookie (another browser, or cookies blocked)',
      });
      throw IdentityErrors.oauthFailed('The sign-in was started in another browser; start again here');
    }
    return {
      verifier: this.cipher.decrypt(row.code_verifier),
      nonce: row.nonce,
      purpose: row.purpose,
      customerId: row.customer_id,
    };
  }

  /** Completes the flow from the provider's redirect: checks state, exchanges the code, identifies the person. */
  async complete(
    provider: OAuthProvider,
    callbackUrl: URL,
    redirectUri: string,
    browserBinding: string | null = null,
  ): Promise<OAuthOutcome> {
    const spent = await this.spendState(provider, callbackUrl.searchParams.get('state'), browserBinding);
    const server = await this.serverOf(provider, spent.purpose);
    const client: oauth.Client = { client_id: provider.client.clientId };
    const options = {
      [oauth.allowInsecureRequests]: provider.insecure,
      signal: () => AbortSignal.timeout(provider.timeoutMs),
    };
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(
        server,
        client,
        callbackUrl,
        callbackUrl.searchParams.get('state')!,
      );
    } catch (error) {
      this.failed(provider, 'authorization', spent.purpose, describeFailure(error));
      if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied')
        throw IdentityErrors.oauthDenied();
      throw IdentityErrors.oauthFailed('The provider refused the sign-in');
    }
    let profile: SocialProfile;
    let step: OAuthStep = 'token';
    try {
      const auth =
        provider.clientAuth === 'basic'
          ? oauth.ClientSecretBasic(provider.client.clientSecret)
          : oauth.ClientSecretPost(provider.client.clientSecret);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        client,
        auth,
        params,
        redirectUri,
        spent.verifier,
        options,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, {
        ...(provider.oidc ? { expectedNonce: spent.nonce, requireIdToken: true } : {}),
      });
      if (provider.oidc) {
        const claims = oauth.getValidatedIdTokenClaims(tokens)!;
        step = 'userinfo';
        // Many servers put e-mail and names in the UserInfo answer only, not in the ID token.
        const userInfo = server.userinfo_endpoint
          ? await oauth.processUserInfoResponse(
              server,
              client,
              claims.sub,
              await oauth.userInfoRequest(server, client, tokens.access_token, options),
            )
          : {};
        profile = profileFromClaims({ ...claims, ...userInfo, sub: claims.sub });
      } else {
        step = 'profile';
        profile = await provider.profile!(tokens.access_token);
      }
    } catch (error) {
      this.failed(provider, step, spent.purpose, describeFailure(error));
      if (unreachable(error)) throw providerUnavailable();
      // A replayed or stolen code, a bad client secret, a forged ID token: all end here, told apart only in logs.
      throw IdentityErrors.oauthFailed('The provider did not confirm the sign-in');
    }
    if (spent.purpose === 'link') {
      // Not linked here: whoever finished the provider step may not be the customer who started the link.
      const linkCode = randomBytes(32).toString('base64url');
      await this.em
        .getConnection()
        .execute(
          `UPDATE oauth_state SET link_code_hash = ?, link_subject = ?, link_email = ?, updated_at = now() WHERE state_hash = ?`,
          [sha256(linkCode), profile.subject, profile.email, sha256(callbackUrl.searchParams.get('state')!)],
        );
      return { purpose: 'link', linkCode };
    }
    try {
      return { purpose: 'login', ...(await this.signIn(provider.id, profile)) };
    } catch (error) {
      // The provider vouched for the person; the store refused them. Said by code only (no e-mail, no subject).
      if (error instanceof AppError)
        this.log?.info(
          {
            provider: provider.id,
            step: 'account' satisfies OAuthStep,
            purpose: 'login',
            outcome: error.code,
          },
          'social sign-in refused',
        );
      throw error;
    }
  }

  /**
   * The signed-in customer confirms a link they started: the code from the callback turns into the link, once,
   * within the state's 10 minutes, and only for the customer the link was started for, whose e-mail is proven
   * by then. One transaction, the customer row locked first: a refusal writes nothing, and a password reset
   * that detaches the account's identities (`CustomersService.resetPassword`) takes turns with it.
   */
  async confirmLink(providerId: string, linkCode: string, customerId: string): Promise<Customer> {
    return this.em.transactional(async (em) => {
      const customer = await linkableCustomer(em, customerId, { lock: true });
      const rows = await em.getConnection().execute<{ link_subject: string; link_email: string | null }[]>(
        `UPDATE oauth_state SET link_code_hash = NULL, updated_at = now()
          WHERE link_code_hash = ? AND provider = ? AND purpose = 'link' AND customer_id = ? AND expires_at > now()
          RETURNING link_subject, link_email`,
        [sha256(linkCode), providerId, customerId],
        'all',
        em.getTransactionContext(),
      );
      const row = rows[0];
      if (!row)
        throw IdentityErrors.oauthFailed('The link code is unknown, used, expired or for another account', {
          errors: [{ path: 'body/code', message: 'not a pending link of this account' }],
        });
      const existing = await em.findOne(CustomerIdentitySchema, {
        provider: providerId,
        subject: row.link_subject,
      });
      if (existing && existing.customerId !== customerId) throw IdentityErrors.identityTaken();
      if (!existing)
        em.create(CustomerIdentitySchema, {
          customerId,
          provider: providerId,
          subject: row.link_subject,
          email: row.link_email,
        });
      return customer;
    });
  }

  private async signIn(
    providerId: string,
    profile: SocialProfile,
  ): Promise<{ customer: Customer; created: boolean }> {
    const linked = await this.linkedCustomer(providerId, profile.subject);
    if (linked) return { customer: linked, created: false };
    const email = profile.email && profile.emailVerified ? profile.email.trim().toLowerCase() : null;
    // Never link silently: the owner of the existing account must sign in and link from there.
    if (email && (await this.em.count(CustomerSchema, { email }))) throw IdentityErrors.linkRequired();
    try {
      // One transaction: a first sign-in that fails leaves no customer behind without its identity.
      const customer = await this.em.transactional(async (em) => {
        const customers = new CustomersService(em, this.cipher);
        const created = await customers.register({
          email,
          password: null,
          firstName: oneLine(profile.firstName) || 'Customer', // a provider's blank name is none
          lastName: oneLine(profile.lastName),
          emailVerified: email !== null,
        });
        em.create(CustomerIdentitySchema, {
          customerId: created.id,
          provider: providerId,
          subject: profile.subject,
          email: profile.email,
        });
        await em.flush();
        await customers.markSignedIn(created.id);
        return created;
      });
      return { customer, created: true };
    } catch (error) {
      // The same person's other callback (a double click, a second tab) created the account first: it is theirs.
      const winner = await this.linkedCustomer(providerId, profile.subject);
      if (winner) return { customer: winner, created: false };
      if (email && (await this.em.count(CustomerSchema, { email }))) throw IdentityErrors.linkRequired();
      throw error;
    }
  }

  /** The active customer this social identity is linked to, signed in; null when it is linked to no one. */
  private async linkedCustomer(providerId: string, subject: string): Promise<Customer | null> {
    const linked = await this.em.findOne(CustomerIdentitySchema, { provider: providerId, subject });
    if (!linked) return null;
    const customer = await this.em.findOne(CustomerSchema, { id: linked.customerId, disabledAt: null });
    if (!customer) throw IdentityErrors.invalidCredentials();
    // Not through the entity: concurrent sign-ins of one account must not conflict on its version.
    await new CustomersService(this.em, this.cipher).markSignedIn(customer.id);
    return customer;
  }

  async identitiesOf(customerId: string) {
    return this.em.find(CustomerIdentitySchema, { customerId }, { orderBy: { createdAt: 'ASC' } });
  }

  /**
   * Unlinks the customer's identities at one provider, unless that would leave no way to sign in (no
   * password and no other provider). The customer row is locked so that two concurrent unlinks cannot
   * each see the other identity as the remaining one.
   */
  async unlink(customerId: string, provider: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const customer = await em.findOne(
        CustomerSchema,
        { id: customerId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['passwordHash'] },
      );
      if (!customer) throw CommonErrors.notFound('No such customer');
      const identities = await em.find(CustomerIdentitySchema, { customerId });
      const unlinked = identities.filter((identity) => identity.provider === provider);
      if (unlinked.length === 0) throw CommonErrors.notFound('No account of this provider is linked');
      if (!customer.passwordHash && unlinked.length === identities.length)
        throw IdentityErrors.lastSignInMethod();
      await em.nativeDelete(CustomerIdentitySchema, { customerId, provider });
    });
  }
}

/**
 * The active customer a social identity may be linked to, or the refusal. Their e-mail must be proven (the
 * verification link, or a reset link, reached its mailbox): an identity linked by whoever registered an
 * address they do not own would outlive the owner's password reset (pre-account hijacking). An account with
 * no e-mail at all (made by a social sign-in that shared none) has no mailbox anyone could prove later.
 */
async function linkableCustomer(
  em: EntityManager,
  customerId: string,
  { lock = false } = {},
): Promise<Customer> {
  const customer = await em.findOne(
    CustomerSchema,
    { id: customerId, disabledAt: null },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
  );
  if (!customer) throw IdentityErrors.oauthFailed('The account to link is not active');
  if (customer.email !== null && customer.emailVerifiedAt === null)
    throw IdentityErrors.emailNotVerified(
      'The e-mail address of this account is not verified yet; POST /api/store/me/verify-email sends the link again',
    );
  return customer;
}

const providerUnavailable = () =>
  CommonErrors.unavailable(
    'The sign-in provider cannot be reached or did not answer in time; try again later',
  );

/** The provider was not reached or did not answer in time (fetch failed or timed out), as opposed to a refusal. */
const unreachable = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (error instanceof TypeError && error.message === 'fetch failed'));

/** OAuth error codes that say the client registration (id, secret, redirect URI) is wrong: the operator's to fix. */
const CLIENT_REGISTRATION_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'redirect_uri_mismatch',
]);

/** What the log may say about a provider failure: fixed texts, numbers and short codes only. */
export interface ProviderFailure {
  /** The error's class (`ResponseBodyError`, `TimeoutError`, ...). */
  error?: string;
  /** The HTTP status the provider answered. */
  status?: number;
  /** The OAuth `error` code the provider sent (`invalid_grant`, `access_denied`, ...). */
  oauthError?: string;
  /** oauth4webapi's code for a check that failed (`OAUTH_JWT_CLAIM_COMPARISON_FAILED`, ...). */
  code?: string;
  /** Our words, or oauth4webapi's fixed text (it names claims and fields, never their values). */
  reason?: string;
  timeout?: true;
  /** The provider could not be reached at all (DNS, refused connection, TLS). */
  unreachable?: true;
}

/** A short code as providers and libraries send them; anything else (free text, echoed values) is left out. */
const safeCode = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;

/**
 * A provider failure as the log may tell it. Never the error itself: oauth4webapi keeps the provider's answer
 * (tokens, ID token claims with the e-mail) in `cause`, and error descriptions are the provider's free text.
 */
export function describeFailure(error: unknown): ProviderFailure {
  if (!(error instanceof Error)) return { error: typeof error };
  const name = error.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { error: name, timeout: true };
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return { error: name, reason: 'fetch failed', unreachable: true, code: safeCode(cause?.code) };
  }
  if (error instanceof oauth.ResponseBodyError)
    return { error: name, status: error.status, oauthError: safeCode(error.error) };
  if (error instanceof oauth.AuthorizationResponseError)
    return { error: name, oauthError: safeCode(error.error) };
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    return {
      error: name,
      status: error.status,
      oauthError: safeCode(challenge?.parameters.error),
      reason: `${safeCode(challenge?.scheme) ?? 'a'} challenge`,
    };
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    const cause: unknown = error.cause;
    return {
      error: name,
      code: safeCode(error.code),
      reason: error.message.slice(0, 200),
      ...(cause instanceof Response ? { status: cause.status } : {}),
    };
  }
  if (error instanceof ProviderResponseError)
    return { error: name, reason: error.message, ...(error.status ? { status: error.status } : {}) };
  return { error: name };
}

function profileFromClaims(claims: Record<string, unknown> & { sub: string }): SocialProfile {
  const str = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');
  const email = typeof claims.email === 'string' ? claims.email : null;
  return {
    subject: claims.sub,
    email,
    emailVerified: email !== null && claims.email_verified === true,
    firstName: str(claims.given_name),
    lastName: str(claims.family_name),
  };
}
