import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyCookie from '@fastify/cookie';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../app.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../platform/auth.ts';
import { classifyError } from '../../platform/errors.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { CustomerAuthDto, LinkedIdentityDto } from './customer.schemas.ts';
import { CustomersService } from './customers.service.ts';
import { IdentityErrors } from './identity.errors.ts';
import { enforceLimits, perClient, type Limit } from './rate-limits.ts';
import { configuredProviders } from './oauth.providers.ts';
import { OAuthService } from './oauth.service.ts';
import { SessionsService } from './sessions.service.ts';
import { sessionContext, toCustomerSummary, toLinkedIdentity } from './store.routes.ts';
import type { Customer } from './customer.entity.ts';

const ProviderParams = Type.Object(
  { provider: Type.String({ pattern: '^[a-z]{2,32}$' }) },
  { additionalProperties: false },
);
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  // Providers add their own parameters (session_state, scope, ...): accepted and ignored.
  { additionalProperties: true },
);
const tags = ['store: social sign-in'];

/**
 * Social sign-in. A shop front-end sends the browser to `GET /api/store/auth/oauth/{provider}`; the provider
 * returns it to `.../callback`, which redirects to OAUTH_RETURN_URL with a one-time `code` (2 minutes) that the
 * front-end exchanges at `POST /api/store/auth/oauth/exchange` for the usual tokens — tokens never travel in
 * a URL. Errors come back as `?error=<MCART_ERR_...>`. Without OAUTH_RETURN_URL the callback answers the
 * tokens as JSON (scripts, native apps using a loopback redirect).
 */
export const oauthRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (app, { config }) => {
  const providers = configuredProviders(config.auth.oauth);
  const returnUrl = config.auth.oauth.returnUrl;
  const redirectUri = (provider: string) => `${config.publicUrl}/api/store/auth/oauth/${provider}/callback`;
  /** The configured provider the request names; 404 MCART_ERR_UNKNOWN_PROVIDER (logged: a shop offering it) else. */
  const providerOf = (request: { params: { provider: string }; log: FastifyBaseLogger }) => {
    const id = request.params.provider;
    const provider = providers.get(id);
    if (!provider) {
      request.log.warn({ provider: id, step: 'configuration' }, 'social sign-in provider is not configured');
      throw IdentityErrors.unknownProvider(
        `Sign-in with "${id}" is not available here; the configured providers are at GET /api/store/auth/oauth/providers`,
      );
    }
    return provider;
  };
  const service = (request: FastifyRequest) => new OAuthService(request.em, app.cipher, request.log);
  /**
   * Per client IP, as the password sign-in: each start costs a provider round trip and a stored state, each
   * callback a token exchange with the provider, each hand-over a guess at a one-time code.
   */
  const { accountLimit, ipLimit, limitWindowSeconds } = config.auth;
  const perIp = (
    step: 'start' | 'callback' | 'exchange' | 'link-start' | 'link-confirm' | 'unlink',
    request: FastifyRequest,
  ): Limit[] => [perClient(`oauth-${step}`, request.ip, ipLimit, limitWindowSeconds)];
  /**
   * A link's start (a provider round trip and a stored state), its confirmation (a guess at a one-time code) and
   * an unlink (a locked customer row) also count per account: one signed-in customer spread over many addresses
   * gets one budget.
   */
  const perIpAndAccount = (
    step: 'link-start' | 'link-confirm' | 'unlink',
    request: FastifyRequest,
  ): Limit[] => [
    ...perIp(step, request),
    {
      key: `oauth-${step}:account:${request.customer!.id}`,
      max: accountLimit,
      windowSeconds: limitWindowSeconds,
    },
  ];
  /** OAUTH_RETURN_URL with these parameters added to its own (an operator's `?next=...` stays, `&` joins them). */
  const landing = (params: Record<string, string>) => {
    const url = new URL(returnUrl!);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  };
  /**
   * The start and the callback are pages the shopper's browser goes to, not calls of the shop's scripts: with
   * OAUTH_RETURN_URL, a failure sends the browser back to the shop with `?error=<MCART_ERR_...>` (a provider that
   * is not configured or no longer is, one that cannot be reached, a refused sign-in) instead of leaving it on a
   * JSON page. The error is told as the error handler would (a database that timed out is MCART_ERR_UNAVAILABLE,
   * a bug MCART_ERR_INTERNAL), and logged as it would be.
   */
  const backToShop = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!returnUrl) throw error;
    const { appError, unexpected } = classifyError(error, request);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    else if (appError.status >= 500) request.log.warn({ code: appError.code }, appError.title);
    return reply.redirect(landing({ error: appError.code }), 302);
  };

  // The browser that starts a sign-in carries a random value in a cookie scoped to these routes; the callback
  // finishes only in that browser (else a half-finished sign-in, handed to someone else, would sign them into
  // the account of whoever started it). SameSite=Lax: sent on the provider's top-level redirect back.
  const BINDING_COOKIE = 'mcart_oauth';
  const bindingCookie = {
    path: '/api/store/auth/oauth',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
  } as const;
  await app.register(fastifyCookie);

  const tokensFor = async (request: FastifyRequest, customer: Customer) => {
    const { refreshToken, familyId } = await new SessionsService(
      request.em,
      config.auth.sessionMaxSeconds,
    ).start('customer', customer.id, sessionContext(request));
    const accessToken = app.signAccessToken({ sub: customer.id, kind: 'customer', sid: familyId });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      customer: toCustomerSummary(customer),
    };
  };

  app.get(
    '/api/store/auth/oauth/providers',
    {
      schema: {
        tags,
        summary: 'The configured social sign-in providers',
        response: {
          200: Type.Object({ data: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
        },
      },
      config: { auth: 'public' },
    },
    async () => ({ data: [...providers.values()].map(({ id, name }) => ({ id, name })) }),
  );

  app.get(
    '/api/store/auth/oauth/:provider',
    {
      schema: {
        tags,
        summary: 'Start a social sign-in: 302 to the provider',
        description:
          'With OAUTH_RETURN_URL, a failure is a 302 back to it with `?error=`: MCART_ERR_UNKNOWN_PROVIDER for a ' +
          'provider that is not configured, MCART_ERR_UNAVAILABLE when the provider cannot be reached, ' +
          'MCART_ERR_RATE_LIMITED past AUTH_IP_LIMIT starts per client IP in AUTH_LIMIT_WINDOW_SECONDS. Without ' +
          'it, the same errors as problems (404, 503, 429 with Retry-After).',
        params: ProviderParams,
        response: { 302: { type: 'null' } as const, 404: ProblemRef, 429: ProblemRef, 503: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      try {
        await enforceLimits(request.em, reply, perIp('start', request));
        const provider = providerOf(request);
        const binding = randomBytes(32).toString('base64url');
        const url = await service(request).authorizationUrl(
          provider,
          redirectUri(provider.id),
          'login',
          null,
          binding,
        );
        reply.setCookie(BINDING_COOKIE, binding, { ...bindingCookie, maxAge: 600 });
        return reply.redirect(url, 302);
      } catch (error) {
        return backToShop(request, reply, error);
      }
    },
  );

  app.get(
    '/api/store/auth/oauth/:provider/callback',
    {
      schema: {
        tags,
        summary: 'The provider returns here; completes the sign-in or the linking',
        description:
          'At most AUTH_IP_LIMIT callbacks per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 ' +
          'MCART_ERR_RATE_LIMITED with Retry-After (with OAUTH_RETURN_URL, a 302 back to it with that `?error=`).',
        params: ProviderParams,
        querystring: CallbackQuery,
        response: {
          200: Type.Union([CustomerAuthDto, Type.Object({ linkCode: Type.String() })]),
          302: { type: 'null' } as const,
          400: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
          503: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const callbackUrl = new URL(request.url, config.publicUrl);
      reply.clearCookie(BINDING_COOKIE, bindingCookie);
      try {
        await enforceLimits(request.em, reply, perIp('callback', request));
        const provider = providerOf(request);
        const outcome = await service(request).complete(
          provider,
          callbackUrl,
          redirectUri(provider.id),
          request.cookies[BINDING_COOKIE] ?? null,
        );
        if (outcome.purpose === 'link') {
          // The signed-in front-end confirms it (POST /api/store/me/identities/{provider}/confirm).
          if (returnUrl)
            return reply.redirect(landing({ link: provider.id, linkCode: outcome.linkCode }), 302);
          return reply.send({ linkCode: outcome.linkCode });
        }
        if (!returnUrl) return reply.send(await tokensFor(request, outcome.customer));
        const customers = new CustomersService(request.em, app.cipher);
        const code = await customers.issueToken(outcome.customer.id, 'oauth_handover');
        await request.em.flush();
        return reply.redirect(landing({ code }), 302);
      } catch (error) {
        return backToShop(request, reply, error);
      }
    },
  );

  app.post(
    '/api/store/auth/oauth/exchange',
    {
      schema: {
        tags,
        summary: 'Exchange the one-time code from OAUTH_RETURN_URL for tokens',
        description:
          'At most AUTH_IP_LIMIT exchanges per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 ' +
          'MCART_ERR_RATE_LIMITED with Retry-After.',
        body: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: CustomerAuthDto, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, perIp('exchange', request));
      const customers = new CustomersService(request.em, app.cipher);
      const customerId = await customers.consumeToken(request.body.code, 'oauth_handover', 'body/code');
      return tokensFor(request, await customers.getActive(customerId));
    },
  );

  app.post(
    '/api/store/me/identities/:provider',
    {
      schema: {
        tags,
        summary: 'Link a social account to the signed-in customer',
        description:
          'Answers the provider URL to send the browser to; the provider returns to the usual callback, ' +
          'which sends the browser to OAUTH_RETURN_URL with `link` and `linkCode`: the signed-in front-end ' +
          'then confirms with POST /api/store/me/identities/{provider}/confirm. The account’s e-mail must be ' +
          'verified first (409 MCART_ERR_EMAIL_NOT_VERIFIED; POST /api/store/me/verify-email sends the link ' +
          'again); an account without an e-mail (made by a social sign-in) may link. At most AUTH_IP_LIMIT ' +
          'starts per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: then 429 ' +
          'MCART_ERR_RATE_LIMITED with Retry-After.',
        security: [{ customerBearer: [] }],
        params: ProviderParams,
        response: {
          200: Type.Object({ authorizationUrl: Type.String() }),
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, perIpAndAccount('link-start', request));
      const provider = providerOf(request);
      return {
        authorizationUrl: await service(request).authorizationUrl(
          provider,
          redirectUri(provider.id),
          'link',
          request.customer!.id,
        ),
      };
    },
  );

  app.post(
    '/api/store/me/identities/:provider/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a link: the code the callback gave turns into the link',
        description:
          'Only the signed-in customer who started the link can confirm it, once, within 10 minutes; anyone ' +
          'else gets 400 MCART_ERR_OAUTH_FAILED (so a person tricked into finishing the provider step of ' +
          "someone else's link never gets linked to that account). 409 MCART_ERR_EMAIL_NOT_VERIFIED while the " +
          'account’s e-mail is not verified; 409 MCART_ERR_IDENTITY_TAKEN when the social account is linked to ' +
          'another customer. At most AUTH_IP_LIMIT confirmations per client IP and AUTH_ACCOUNT_LIMIT per account ' +
          'in AUTH_LIMIT_WINDOW_SECONDS: then 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        security: [{ customerBearer: [] }],
        params: ProviderParams,
        body: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: LinkedIdentityDto,
          400: ProblemRef,
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, perIpAndAccount('link-confirm', request));
      const provider = providerOf(request);
      const customerId = request.customer!.id;
      await service(request).confirmLink(provider.id, request.body.code, customerId);
      const linked = (await service(request).identitiesOf(customerId)).find(
        (i) => i.provider === provider.id,
      );
      return toLinkedIdentity(linked!);
    },
  );

  app.get(
    '/api/store/me/identities',
    {
      schema: {
        tags,
        summary: 'Social accounts linked to the signed-in customer',
        security: [{ customerBearer: [] }],
        response: {
          200: Type.Object({
            data: Type.Array(LinkedIdentityDto),
          }),
          401: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request) => ({
      data: (await service(request).identitiesOf(request.customer!.id)).map(toLinkedIdentity),
    }),
  );

  app.delete(
    '/api/store/me/identities/:provider',
    {
      schema: {
        tags,
        summary: 'Unlink a social account from the signed-in customer',
        description:
          'Refused with 409 MCART_ERR_LAST_SIGN_IN_METHOD when it is the only way to sign in (no password ' +
          'and no other linked provider). Works for a provider that is no longer configured. At most ' +
          'AUTH_IP_LIMIT unlinks per client IP and AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: ' +
          'then 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        security: [{ customerBearer: [] }],
        params: ProviderParams,
        response: {
          204: { type: 'null' } as const,
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, perIpAndAccount('unlink', request));
      await service(request).unlink(request.customer!.id, request.params.provider);
      return reply.status(204).send();
    },
  );
};
