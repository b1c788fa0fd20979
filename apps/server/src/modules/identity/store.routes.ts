import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../app.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../platform/auth.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { emptyBodyIsEmpty, IdParams, ProblemRef } from '../../platform/schemas.ts';
import { LoginBody, RefreshBody, TokenPairDto } from './identity.schemas.ts';
import {
  AddressBody,
  AddressDto,
  ChangeEmailBody,
  ChangePasswordBody,
  CustomerAuthDto,
  CustomerDto,
  EmailBody,
  RegisterBody,
  ResetPasswordBody,
  SessionDto,
  TokenBody,
  UpdateAddressBody,
  UpdateMeBody,
} from './customer.schemas.ts';
import { CustomersService, type DecryptedAddress } from './customers.service.ts';
import { SessionsService } from './sessions.service.ts';
import { OAuthService } from './oauth.service.ts';
import { normalizeEmail } from './staff.service.ts';
import { enforceLimits, enforceSignInLimits, perClient, type Limit } from './rate-limits.ts';
import type { SendMail } from './mail.ts';
import type { Customer } from './customer.entity.ts';
import { CustomerDataExportDto, CustomerErasureDto, EraseAccountBody } from './customer-data.schemas.ts';
import { EXPORT_LIMIT, RECENT_SIGN_IN_SECONDS, type CustomerDataService } from './customer-data.service.ts';
import { EmailChangeService } from './email-change.service.ts';

export const sessionContext = (request: FastifyRequest) => ({
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
  ip: request.ip,
});

export const toCustomerSummary = (customer: Customer) => ({
  id: customer.id,
  email: customer.email ?? null,
  firstName: customer.firstName,
  lastName: customer.lastName,
});

export const toLinkedIdentity = (identity: { provider: string; createdAt: Date }) => ({
  provider: identity.provider,
  linkedAt: identity.createdAt.toISOString(),
});

export const toAddressDto = (address: DecryptedAddress) => ({
  ...address,
  createdAt: address.createdAt.toISOString(),
});

const customerSecurity = [{ customerBearer: [] }];
const auth = { tags: ['store: auth'] };
const me = { tags: ['store: account'], security: customerSecurity };

export interface StoreRoutesOptions {
  config: AppConfig;
  sendMail: SendMail;
  /** The customer's data rights: export and erasure (ADR 0048). */
  customerData: (em: FastifyRequest['em']) => CustomerDataService;
}

/** `attachment; filename=...` for a personal data export downloaded on `date`. */
export const exportDisposition = (name: string, date = new Date()) =>
  `attachment; filename="${name}-${date.toISOString().slice(0, 10)}.json"`;

/** Customer accounts: sign-up, sign-in, tokens, profile, address book, sessions, password reset. */
export const storeIdentityRoutes: FastifyPluginAsyncTypebox<StoreRoutesOptions> = async (
  app,
  { config, sendMail, customerData },
) => {
  const { accountLimit, ipLimit, limitWindowSeconds, sessionMaxSeconds } = config.auth;
  const limits = (action: string, request: FastifyRequest, email?: string): Limit[] => [
    perClient(action, request.ip, ipLimit, limitWindowSeconds),
    ...(email === undefined
      ? []
      : [
          {
            key: `${action}:account:${normalizeEmail(email)}`,
            max: accountLimit,
            windowSeconds: limitWindowSeconds,
          },
        ]),
  ];
  const customers = (request: FastifyRequest) => new CustomersService(request.em, app.cipher);
  // Every route that checks the signed-in customer's password counts against this one limit (the password
  // change and the erasure): a stolen access token gets one budget of guesses, not one per route.
  const passwordGuesses = (request: FastifyRequest): Limit[] => [
    {
      key: `password-change:account:${request.customer!.id}`,
      max: accountLimit,
      windowSeconds: limitWindowSeconds,
    },
  ];

  const signIn = async (request: FastifyRequest, customer: Customer) => {
    const { refreshToken, familyId } = await new SessionsService(request.em, sessionMaxSeconds).start(
      'customer',
      customer.id,
      sessionContext(request),
    );
    const accessToken = app.signAccessToken({ sub: customer.id, kind: 'customer', sid: familyId });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      customer: toCustomerSummary(customer),
    };
  };

  const toCustomerDto = async (request: FastifyRequest, customer: Customer) => ({
    ...toCustomerSummary(customer),
    phone: customers(request).phoneOf(customer),
    emailVerified: customer.emailVerifiedAt !== null,
    hasPassword: await customers(request).hasPassword(customer.id),
    identities: (await new OAuthService(request.em, app.cipher).identitiesOf(customer.id)).map(
      toLinkedIdentity,
    ),
    createdAt: customer.createdAt.toISOString(),
    pendingEmail: await new EmailChangeService(request.em, app.cipher)
      .pendingOf(customer.id)
      .then(
        (pending) => pending && { newEmail: pending.newEmail, expiresAt: pending.expiresAt.toISOString() },
      ),
  });

  app.post(
    '/api/store/auth/register',
    {
      schema: {
        ...auth,
        summary: 'Create a customer account and sign in',
        description:
          'Sends an e-mail verification link. 409 MCART_ERR_EMAIL_TAKEN (on `body/email`) when the e-mail is ' +
          'taken; 400 MCART_ERR_WEAK_PASSWORD (on `body/password`) for a too common password or one holding the ' +
          'e-mail address or its part before the @.',
        body: RegisterBody,
        response: { 201: CustomerAuthDto, 400: ProblemRef, 409: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits('register', request, request.body.email));
      const customer = await customers(request).register(request.body);
      // Registering signs the customer in: recorded as a sign-in is (as a first social sign-in is).
      await customers(request).markSignedIn(customer.id);
      const answer = await signIn(request, customer);
      await customers(request).requestEmailVerification(customer.id, config.publicUrl, sendMail);
      return reply.status(201).send(answer);
    },
  );

  app.post(
    '/api/store/auth/login',
    {
      schema: {
        ...auth,
        summary: 'Customer sign-in',
        description:
          'Same 401 for an unknown e-mail, a wrong password and a disabled account. At most AUTH_IP_LIMIT ' +
          'attempts per client (an IPv4 address or an IPv6 /64) and AUTH_ACCOUNT_LIMIT per account from one ' +
          'client in AUTH_LIMIT_WINDOW_SECONDS, and ten times AUTH_ACCOUNT_LIMIT per account from all clients: ' +
          'then 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        body: LoginBody,
        response: { 200: CustomerAuthDto, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceSignInLimits(
        request.em,
        reply,
        'login',
        normalizeEmail(request.body.email),
        request.ip,
        config.auth,
      );
      const customer = await customers(request).authenticate(request.body.email, request.body.password);
      return signIn(request, customer);
    },
  );

  app.post(
    '/api/store/auth/refresh',
    {
      schema: {
        ...auth,
        summary: 'Exchange a refresh token (single use) for a new token pair',
        description:
          'A spent token is refused with 401 MCART_ERR_INVALID_REFRESH_TOKEN and its whole family (session) is ' +
          'revoked. A session ends CUSTOMER_SESSION_MAX_DAYS after sign-in however often it is refreshed (or ' +
          'after 30 days unused): then 401 MCART_ERR_SESSION_EXPIRED, sign in again.',
        body: RefreshBody,
        response: { 200: TokenPairDto, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
      // As the staff refresh: guessing 256-bit tokens is hopeless, but each guess costs a database lookup.
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const sessions = new SessionsService(request.em, sessionMaxSeconds);
      const rotated = await sessions.rotate('customer', request.body.refreshToken, sessionContext(request));
      const customer = await customers(request).findActive(rotated.subjectId);
      if (!customer) {
        await sessions.revokeFamily(rotated.familyId);
        throw CommonErrors.unauthorized('The account is disabled');
      }
      const accessToken = app.signAccessToken({ sub: customer.id, kind: 'customer', sid: rotated.familyId });
      return { accessToken, refreshToken: rotated.refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  );

  app.post(
    '/api/store/auth/logout',
    {
      schema: {
        ...auth,
        summary: 'End the session of this refresh token',
        body: RefreshBody,
        response: { 204: { type: 'null' } as const, 400: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await new SessionsService(request.em).revokeByToken('customer', request.body.refreshToken);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/store/auth/password-reset',
    {
      schema: {
        ...auth,
        summary: 'E-mail a password reset link',
        description:
          'Always 202, whether or not the account exists. The link (`PUBLIC_URL/reset-password?token=...`) works once, for one hour.',
        body: EmailBody,
        response: { 202: { type: 'null' } as const, 400: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits('reset', request, request.body.email));
      // Answered before the work, which takes longer for an existing account (a token and an e-mail to
      // write): the time to answer must not tell which addresses have accounts.
      const email = request.body.email;
      new CustomersService(app.orm.em.fork(), app.cipher)
        .requestPasswordReset(email, config.publicUrl, sendMail)
        .catch((err: unknown) => request.log.error({ err }, 'password reset e-mail failed'));
      return reply.status(202).send();
    },
  );

  app.post(
    '/api/store/auth/password-reset/confirm',
    {
      schema: {
        ...auth,
        summary: 'Set a new password with a reset token',
        description:
          'Ends every session of the account. 400 MCART_ERR_WEAK_PASSWORD on `body/password` for a too common ' +
          'password or one holding the e-mail address or its part before the @ (the link stays usable).',
        body: ResetPasswordBody,
        response: { 204: { type: 'null' } as const, 400: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits('reset-confirm', request));
      await customers(request).resetPassword(request.body.token, request.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/store/auth/verify-email',
    {
      schema: {
        ...auth,
        summary: 'Confirm the e-mail address with the e-mailed token',
        description:
          'At most AUTH_IP_LIMIT attempts per client IP in AUTH_LIMIT_WINDOW_SECONDS: then 429 ' +
          'MCART_ERR_RATE_LIMITED with Retry-After.',
        body: TokenBody,
        response: { 204: { type: 'null' } as const, 400: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits('verify-confirm', request));
      await customers(request).verifyEmail(request.body.token);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/store/me',
    {
      schema: { ...me, summary: 'The signed-in customer', response: { 200: CustomerDto, 401: ProblemRef } },
      config: { auth: 'customer' },
    },
    async (request) => toCustomerDto(request, await customers(request).getActive(request.customer!.id)),
  );

  app.patch(
    '/api/store/me',
    {
      schema: {
        ...me,
        summary: 'Change your name or phone',
        body: UpdateMeBody,
        response: { 200: CustomerDto, 400: ProblemRef, 401: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request) =>
      toCustomerDto(request, await customers(request).updateProfile(request.customer!.id, request.body)),
  );

  app.post(
    '/api/store/me/password',
    {
      schema: {
        ...me,
        summary: 'Change your password',
        description:
          'Ends every session (other devices too) and returns a fresh token pair for this one. 403 ' +
          'MCART_ERR_WRONG_PASSWORD when the current password is wrong; 409 MCART_ERR_NO_PASSWORD for an account ' +
          'made by a social sign-in that has none yet (`hasPassword: false`: it sets one with a reset link). 400 ' +
          'MCART_ERR_WEAK_PASSWORD on `body/newPassword` for a too common one or one holding the e-mail address or ' +
          'its part before the @.',
        body: ChangePasswordBody,
        response: {
          200: TokenPairDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, passwordGuesses(request));
      await customers(request).changePassword(
        request.customer!.id,
        request.body.currentPassword,
        request.body.newPassword,
      );
      const { accessToken, refreshToken } = await signIn(
        request,
        await customers(request).getActive(request.customer!.id),
      );
      return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  );

  app.post(
    '/api/store/me/verify-email',
    {
      schema: {
        ...me,
        summary: 'Send the e-mail verification link again',
        description:
          'At most AUTH_ACCOUNT_LIMIT per account and AUTH_IP_LIMIT per client IP in AUTH_LIMIT_WINDOW_SECONDS: ' +
          'then 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        response: { 202: { type: 'null' } as const, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, [
        ...limits('verify-resend', request),
        {
          key: `verify:account:${request.customer!.id}`,
          max: accountLimit,
          windowSeconds: limitWindowSeconds,
        },
      ]);
      await customers(request).requestEmailVerification(request.customer!.id, config.publicUrl, sendMail);
      return reply.status(202).send();
    },
  );

  app.post(
    '/api/store/me/email',
    {
      schema: {
        ...me,
        summary: 'Change your e-mail address: e-mails a confirmation link to the new one',
        description:
          'Send `{ newEmail, password }`: the password is required when the account has one (400 ' +
          'MCART_ERR_PASSWORD_REQUIRED without it, 403 MCART_ERR_WRONG_PASSWORD on `body/password` when wrong); an ' +
          `account made by a social sign-in has none and must have signed in within the last ${RECENT_SIGN_IN_SECONDS / 60} ` +
          'minutes (403 MCART_ERR_RECENT_SIGN_IN_REQUIRED). Then 400 MCART_ERR_EMAIL_UNCHANGED for the current ' +
          'address and 409 MCART_ERR_EMAIL_TAKEN (on `body/newEmail`) for an address another account has, as the ' +
          'registration answers. 202: a link (`PUBLIC_URL/confirm-email-change?token=...`, once, 24 hours; a new ' +
          'request retires it) is e-mailed to the new address; nothing changes until it is confirmed at POST ' +
          '/api/store/me/email/confirm. Counts against the password-guess budget of the account (with the password ' +
          'change and the erasure) and AUTH_IP_LIMIT per client IP: 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        body: ChangeEmailBody,
        response: {
          202: { type: 'null' } as const,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      const { id, sid } = request.customer!;
      await enforceLimits(request.em, reply, [
        ...limits('email-change', request),
        ...passwordGuesses(request),
        { key: `email-change:account:${id}`, max: accountLimit, windowSeconds: limitWindowSeconds },
      ]);
      await new EmailChangeService(request.em, app.cipher).request(
        id,
        sid,
        request.body.newEmail,
        request.body.password,
        config.publicUrl,
        sendMail,
      );
      return reply.status(202).send();
    },
  );

  app.post(
    '/api/store/me/email/confirm',
    {
      schema: {
        ...me,
        summary: 'Confirm your new e-mail address with the e-mailed token',
        description:
          'Signed in as the account that asked for the change (anyone else, or an unknown, used or expired ' +
          'token: 400 MCART_ERR_INVALID_TOKEN). The address changes and counts as verified, every session ends ' +
          '(other devices too) and a fresh token pair for this one is returned; the old address is told. 409 ' +
          'MCART_ERR_EMAIL_TAKEN when another account took the address since the request (nothing changes). ' +
          'Orders keep the address they were placed with. At most AUTH_IP_LIMIT per client IP and ' +
          'AUTH_ACCOUNT_LIMIT per account in AUTH_LIMIT_WINDOW_SECONDS: 429 MCART_ERR_RATE_LIMITED with Retry-After.',
        body: TokenBody,
        response: {
          200: TokenPairDto,
          400: ProblemRef,
          401: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      const { id } = request.customer!;
      await enforceLimits(request.em, reply, [
        ...limits('email-change-confirm', request),
        { key: `email-change-confirm:account:${id}`, max: accountLimit, windowSeconds: limitWindowSeconds },
      ]);
      await new EmailChangeService(request.em, app.cipher).confirm(id, request.body.token, sendMail);
      const { accessToken, refreshToken } = await signIn(request, await customers(request).getActive(id));
      return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  );

  app.get(
    '/api/store/me/sessions',
    {
      schema: {
        ...me,
        summary: 'Your signed-in devices',
        response: { 200: Type.Object({ data: Type.Array(SessionDto) }), 401: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      const sessions = await new SessionsService(request.em, sessionMaxSeconds).listFamilies(
        'customer',
        request.customer!.id,
      );
      return {
        data: sessions.map((session) => ({
          ...session,
          createdAt: session.createdAt.toISOString(),
          lastUsedAt: session.lastUsedAt.toISOString(),
          current: session.id === request.customer!.sid,
        })),
      };
    },
  );

  app.delete(
    '/api/store/me/sessions/:id',
    {
      schema: {
        ...me,
        summary: 'Sign one device out',
        params: IdParams,
        response: { 204: { type: 'null' } as const, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      const ended = await new SessionsService(request.em).revokeFamilyOf(
        'customer',
        request.customer!.id,
        request.params.id,
      );
      if (!ended) throw CommonErrors.notFound('No such session');
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/store/me/addresses',
    {
      schema: {
        ...me,
        summary: 'Your address book',
        response: {
          200: Type.Object({ data: Type.Array(AddressDto), total: Type.Integer() }),
          401: ProblemRef,
        },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      const data = (await customers(request).listAddresses(request.customer!.id)).map(toAddressDto);
      return { data, total: data.length };
    },
  );

  app.post(
    '/api/store/me/addresses',
    {
      schema: {
        ...me,
        summary: 'Add an address',
        description:
          'The first address is the default. An address book holds at most 100 addresses (409 ' +
          'MCART_ERR_ADDRESS_BOOK_FULL).',
        body: AddressBody,
        response: { 201: AddressDto, 400: ProblemRef, 401: ProblemRef, 409: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(toAddressDto(await customers(request).addAddress(request.customer!.id, request.body))),
  );

  app.get(
    '/api/store/me/addresses/:id',
    {
      schema: {
        ...me,
        summary: 'One of your addresses',
        params: IdParams,
        response: { 200: AddressDto, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request) =>
      toAddressDto(await customers(request).getAddress(request.customer!.id, request.params.id)),
  );

  app.patch(
    '/api/store/me/addresses/:id',
    {
      schema: {
        ...me,
        summary: 'Change one of your addresses',
        params: IdParams,
        body: UpdateAddressBody,
        response: { 200: AddressDto, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request) =>
      toAddressDto(
        await customers(request).updateAddress(request.customer!.id, request.params.id, request.body),
      ),
  );

  app.delete(
    '/api/store/me/addresses/:id',
    {
      schema: {
        ...me,
        summary: 'Delete one of your addresses',
        description: 'Deleting the default address makes the oldest remaining one the default.',
        params: IdParams,
        response: { 204: { type: 'null' } as const, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await customers(request).deleteAddress(request.customer!.id, request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/store/me/data-export',
    {
      schema: {
        ...me,
        summary: 'Download everything the store holds about you (JSON)',
        description:
          'Profile, linked social accounts (never their tokens), addresses, orders with their lines, payments ' +
          '(card brand and last 4 digits only), shipments and tracking, open carts, sign-in sessions (device, IP, ' +
          'dates). Sent as an attachment. At most 5 exports an hour (429 with Retry-After).',
        response: { 200: CustomerDataExportDto, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, [
        { key: `data-export:account:${request.customer!.id}`, ...EXPORT_LIMIT },
      ]);
      const document = await customerData(request.em).export(request.customer!.id);
      return reply.header('content-disposition', exportDisposition('personal-data')).send(document);
    },
  );

  app.delete(
    '/api/store/me',
    {
      schema: {
        ...me,
        summary: 'Erase your account and personal data',
        description:
          'Send `{ password }` when the account has a password (400 MCART_ERR_PASSWORD_REQUIRED without it, ' +
          '403 MCART_ERR_WRONG_PASSWORD when wrong). An account created by a social sign-in has none: it must have ' +
          'signed in within the last 10 minutes (403 MCART_ERR_RECENT_SIGN_IN_REQUIRED). 409 ' +
          'MCART_ERR_ERASURE_BLOCKED lists the orders (`orders: [{ id, number, status, openReturnRequests? }]`) ' +
          'not yet delivered, cancelled or refunded, or with a return request still open. Then the account, its ' +
          'addresses, sign-in methods and sessions are deleted (the e-mail may register again) and its orders ' +
          'kept for the books without the person: a placeholder e-mail and the country alone. A confirmation is ' +
          'e-mailed to the address. Nothing can be undone.',
        body: EraseAccountBody,
        response: {
          200: CustomerErasureDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer' },
      // A social-only account or a button sends no body at all: that is an empty one, not a 400.
      preValidation: emptyBodyIsEmpty,
    },
    async (request, reply) => {
      const { id, sid } = request.customer!;
      // Password guesses through this route count with those of the password change (one budget).
      await enforceLimits(request.em, reply, passwordGuesses(request));
      const erased = await customerData(request.em).eraseOwnAccount(id, sid, request.body.password);
      return { ...erased, erasedAt: erased.erasedAt.toISOString() };
    },
  );
};
