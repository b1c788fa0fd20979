import * as oauth from 'oauth4webapi';
import type { AuthConfig, OAuthClientConfig } from '../../config.ts';

/** What a provider tells us about the person, normalized. */
export interface SocialProfile {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
}

export interface OAuthProvider {
  id: string;
  name: string;
  scope: string;
  /** OIDC providers prove the person with an ID token (nonce-bound); plain OAuth 2.0 ones through a profile API. */
  oidc: boolean;
  clientAuth: 'basic' | 'post';
  client: OAuthClientConfig;
  server: () => Promise<oauth.AuthorizationServer>;
  /** Plain OAuth providers: reads the profile with the access token. */
  profile?: (accessToken: string) => Promise<SocialProfile>;
  /** http:// issuers are accepted only on loopback (a test or local authorization server). */
  insecure: boolean;
  /** How long one request to the provider may take before the sign-in fails (a hung provider holds nothing). */
  timeoutMs: number;
}

/** Default time limit of one request to a provider (discovery, code exchange, profile). */
export const PROVIDER_TIMEOUT_MS = 15_000;

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * A provider's API answered, but not with what a sign-in needs: an HTTP error, or a profile without the person's
 * id. Its message and fields are ours (never the provider's text, which could echo what it was sent): safe to log.
 */
export class ProviderResponseError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderResponseError';
  }
}

async function getJson(
  accessToken: string,
  url: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    undefined,
    undefined,
    {
      signal: AbortSignal.timeout(timeoutMs),
    },
  );
  if (!response.ok)
    throw new ProviderResponseError(`profile request failed with ${response.status}`, response.status);
  return (await response.json()) as Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');

/** The configured providers (an unconfigured one does not exist): Facebook, X/Twitter, one generic OIDC issuer. */
export function configuredProviders(
  config: AuthConfig['oauth'],
  { timeoutMs = PROVIDER_TIMEOUT_MS } = {},
): Map<string, OAuthProvider> {
  const providers = new Map<string, OAuthProvider>();
  if (config.facebook) {
    providers.set('facebook', {
      id: 'facebook',
      name: 'Facebook',
      scope: 'email public_profile',
      oidc: false,
      clientAuth: 'post',
      client: config.facebook,
      insecure: false,
      timeoutMs,
      server: async () => ({
        issuer: 'https://www.facebook.com',
        authorization_endpoint: 'https://www.facebook.com/v19.0/dialog/oauth',
        token_endpoint: 'https://graph.facebook.com/v19.0/oauth/access_token',
      }),
      // Facebook only returns e-mail addresses it has confirmed.
      profile: async (accessToken) => {
        const me = await getJson(
          accessToken,
          'https://graph.facebook.com/v19.0/me?fields=id,email,first_name,last_name',
          timeoutMs,
        );
        // Without an id there is no one to sign in (never the subject "undefined", shared by all such answers).
        if (typeof me.id !== 'string' || !me.id)
          throw new ProviderResponseError('Facebook returned no user id');
        const email = typeof me.email === 'string' ? me.email : null;
        return {
          subject: me.id,
          email,
          emailVerified: email !== null,
          firstName: text(me.first_name),
          lastName: text(me.last_name),
        };
      },
    });
  }
  if (config.twitter) {
    providers.set('twitter', {
      id: 'twitter',
      name: 'X',
      scope: 'users.read tweet.read',
      oidc: false,
      clientAuth: 'basic',
      client: config.twitter,
      insecure: false,
      timeoutMs,
      server: async () => ({
        issuer: 'https://twitter.com',
        authorization_endpoint: 'https://twitter.com/i/oauth2/authorize',
        token_endpoint: 'https://api.twitter.com/2/oauth2/token',
      }),
      // X shares no e-mail address with OAuth 2.0 apps: the account is created without one.
      profile: async (accessToken) => {
        const me = (await getJson(accessToken, 'https://api.twitter.com/2/users/me', timeoutMs)).data as
          Record<string, unknown> | undefined;
        if (typeof me?.id !== 'string' || !me.id) throw new ProviderResponseError('X returned no user');
        const [first = '', ...rest] = text(me.name).split(' ');
        return {
          subject: String(me.id),
          email: null,
          emailVerified: false,
          firstName: first,
          lastName: rest.join(' '),
        };
      },
    });
  }
  if (config.oidc) {
    const issuer = new URL(config.oidc.issuer);
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    let discovered: Promise<oauth.AuthorizationServer> | undefined;
    providers.set('oidc', {
      id: 'oidc',
      name: config.oidc.name,
      scope: 'openid email profile',
      oidc: true,
      clientAuth: 'basic',
      client: config.oidc,
      insecure,
      timeoutMs,
      // Discovered once, on first use; a failed discovery is retried on the next sign-in.
      server: () => {
        discovered ??= oauth
          .discoveryRequest(issuer, {
            algorithm: 'oidc',
            [oauth.allowInsecureRequests]: insecure,
            signal: AbortSignal.timeout(timeoutMs),
          })
          .then((response) => oauth.processDiscoveryResponse(issuer, response))
          .catch((error: unknown) => {
            discovered = undefined;
            throw error;
          });
        return discovered;
      },
    });
  }
  return providers;
}
