import fp from 'fastify-plugin';
import { OidcLogin } from '../auth/oidcLogin';
import { OIDC_CALLBACK_PATH, publicBaseUrl } from '../routes/ssoRoutes';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when OpenID Connect login is configured. */
    oidc: OidcLogin | null;
  }
}

/** Discovers the OpenID Connect issuer at startup, so a wrong issuer fails the start, not the first login. */
export const oidcPlugin = fp(
  async fastify => {
    const { config } = fastify;
    let oidc: OidcLogin | null = null;
    if (config.oidcIssuer !== null && config.oidcClientId !== null) {
      oidc = await OidcLogin.discover({
        issuer: config.oidcIssuer,
        clientId: config.oidcClientId,
        clientSecret: config.oidcClientSecret,
        redirectUri: `${publicBaseUrl(config)}${OIDC_CALLBACK_PATH}`,
        usernameClaim: config.oidcUsernameClaim
      });
    }
    fastify.decorate('oidc', oidc);
  },
  { name: 'gallery-oidc', dependencies: ['gallery-db'] }
);
