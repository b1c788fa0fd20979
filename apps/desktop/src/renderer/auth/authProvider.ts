import type { AuthProvider, UserIdentity } from 'react-admin';
import type { HttpClient } from '../api/http.ts';
import { hasPermission } from './permissions.ts';
import type { AuthTokens, TokenStore } from './tokenStore.ts';

export type StaffRole = 'owner' | 'admin' | 'manager' | 'warehouse' | 'support';

export interface StaffProfile {
  id: string;
  email: string;
  role: StaffRole;
  permissions: string[];
  /** The password was given by an owner or admin (new account, reset): the member must choose their own first. */
  passwordChangeRequired?: boolean;
}

export interface LoginCredentials {
  email: string;
  password: string;
}

/** The second sign-in step: the challenge the password step answered, and a code from the app. */
export interface TotpCredentials {
  challenge: string;
  code: string;
}

interface LoginResponse extends AuthTokens {
  staff: { id: string; email: string; role: StaffRole };
}

/** `StaffLoginChallengeDto`: the password was right, a second factor is due. */
interface ChallengeResponse {
  next: 'totp' | 'totp_enroll';
  challenge: string;
  expiresIn: number;
}

/**
 * Thrown by `login` when the password is right and the member must give a TOTP code (or, when the owner
 * requires TOTP and they have none, enroll first). The login page catches it and asks for the code.
 */
export class SecondFactorRequired extends Error {
  constructor(
    readonly next: ChallengeResponse['next'],
    readonly challenge: string,
  ) {
    super('mcart.security.code_required');
    this.name = 'SecondFactorRequired';
  }
}

export const AUTH_PATHS = {
  login: '/api/admin/auth/login',
  totp: '/api/admin/auth/totp',
  totpEnroll: '/api/admin/auth/totp/enroll',
  logout: '/api/admin/auth/logout',
  me: '/api/admin/auth/me',
} as const;

export interface McartAuthProvider extends AuthProvider {
  /** The signed-in staff member, fetched once per session. */
  getProfile(): Promise<StaffProfile>;
}

/**
 * `scopeOf` names the permission scope of a react-admin resource (products → catalog); see
 * permissions.ts. Resources without a declared scope use their own name.
 */
export function createAuthProvider(
  http: HttpClient,
  tokens: TokenStore,
  scopeOf: (resource: string) => string = (resource) => resource,
): McartAuthProvider {
  // One /me request per session, shared by getIdentity, getPermissions and every canAccess check.
  let profile: Promise<StaffProfile> | null = null;
  let profileFor: string | null = null;

  const getProfile = (): Promise<StaffProfile> => {
    const session = tokens.get();
    if (!session) return Promise.reject(new Error('ra.auth.auth_check_error'));
    if (!profile || profileFor !== session.refreshToken) {
      profileFor = session.refreshToken;
      const pending = http.request<StaffProfile>(AUTH_PATHS.me).then((response) => response.body);
      pending.catch(() => {
        if (profile === pending) profile = null;
      });
      profile = pending;
    }
    return profile;
  };

  const forget = (): void => {
    profile = null;
    profileFor = null;
  };

  return {
    async login(params: unknown) {
      const { email, password, challenge, code } = (params ?? {}) as Partial<
        LoginCredentials & TotpCredentials
      >;
      if (typeof challenge === 'string' && typeof code === 'string') {
        try {
          const { body } = await http.request<LoginResponse>(AUTH_PATHS.totp, {
            method: 'POST',
            body: { challenge, code: code.trim() },
            auth: false,
          });
          forget();
          tokens.set({ accessToken: body.accessToken, refreshToken: body.refreshToken });
          return;
        } catch (error) {
          const { status, body } = error as { status?: number; body?: { code?: string } };
          if (body?.code === 'MCART_ERR_INVALID_CHALLENGE')
            throw new Error('mcart.security.challenge_expired');
          if (status === 401 || status === 400) throw new Error('mcart.security.invalid_code');
          if (status === 429) throw new Error('mcart.auth.too_many_attempts');
          throw error;
        }
      }
      if (typeof email !== 'string' || typeof password !== 'string') throw new Error('ra.auth.sign_in_error');
      let body: LoginResponse | ChallengeResponse;
      try {
        ({ body } = await http.request<LoginResponse | ChallengeResponse>(AUTH_PATHS.login, {
          method: 'POST',
          body: { email: email.trim(), password },
          auth: false,
        }));
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 401) throw new Error('mcart.auth.invalid_credentials');
        if (status === 429) throw new Error('mcart.auth.too_many_attempts');
        throw error;
      }
      if ('challenge' in body) throw new SecondFactorRequired(body.next, body.challenge);
      forget();
      tokens.set({ accessToken: body.accessToken, refreshToken: body.refreshToken });
    },

    async logout() {
      const session = tokens.get();
      tokens.clear();
      forget();
      if (session) {
        // Revoke server-side too; if the server is unreachable the local session is still gone.
        await http
          .request(AUTH_PATHS.logout, {
            method: 'POST',
            body: { refreshToken: session.refreshToken },
            auth: false,
          })
          .catch(() => undefined);
      }
    },

    async checkAuth() {
      if (!tokens.get()) throw new Error('ra.auth.auth_check_error');
    },

    async checkError(error: unknown) {
      const status = (error as { status?: number } | null)?.status;
      // The HTTP client already tried a refresh: a 401 reaching here means the session is over.
      // A 403 is a missing permission, not a reason to sign out.
      if (status === 401) {
        tokens.clear();
        forget();
        throw new Error('ra.notification.logged_out');
      }
    },

    async getIdentity(): Promise<UserIdentity> {
      const me = await getProfile();
      return {
        id: me.id,
        fullName: me.email,
        email: me.email,
        role: me.role,
        passwordChangeRequired: me.passwordChangeRequired === true,
      };
    },

    // The server's permission names for this staff member (e.g. 'inventory:write'); the role is in getIdentity.
    async getPermissions() {
      if (!tokens.get()) return null;
      return (await getProfile()).permissions;
    },

    async canAccess({ resource, action }) {
      if (!tokens.get()) return false;
      const me = await getProfile();
      return hasPermission(me.permissions, scopeOf(resource), action);
    },

    getProfile,
  };
}
