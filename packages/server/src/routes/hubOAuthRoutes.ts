import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import * as crypto from 'node:crypto';
import { HUB_TOKEN_COOKIE } from '../auth/hubCookieAuthenticator';
import { XSRF_COOKIE } from '../auth/xsrf';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { HubApiClient } from '../hub/hubApiClient';
import { localPath } from '../pages/pageLinks';

const STATE_COOKIE = 'gallery_hub_oauth';
/** How long the user has to finish logging in at the hub. */
const STATE_TTL_SECONDS = 600;

/** What the login remembers between the redirect to the hub and the callback (in a signed cookie). */
interface IHubOAuthPending {
  state: string;
  verifier: string;
  /** Where the browser goes once logged in: a path under the prefix. */
  next: string;
}

/**
 * In a JupyterHub: login for pages opened directly in the browser, through the hub's OAuth code flow with state and
 * PKCE. `oauth_login` sends the browser to the hub; the callback trades the code (with the service token as the
 * client secret) for the user's hub token, checks it grants access, and keeps it in an HttpOnly cookie limited to the
 * prefix, beside a readable XSRF token that state-changing requests must echo in a header. Paths are without the
 * prefix, which the app strips.
 */
export const hubOAuthRoutes: FastifyPluginAsync = async fastify => {
  const { config } = fastify;
  const hub = config.hub;
  const hubAuthenticator = fastify.hubAuthenticator;
  if (!hub || !hubAuthenticator) {
    return;
  }
  const client = new HubApiClient({ apiUrl: hub.apiUrl, serviceToken: hub.apiToken });
  const callbackPath = new URL(hub.oauthCallbackUrl, 'http://hub').pathname;
  const cookiePath = `${hub.prefix}/`;
  const secure = (request: FastifyRequest) => request.headers['x-forwarded-proto'] === 'https';
  const schema = (summary: string, querystring: Record<string, unknown>) => ({
    summary,
    tags: ['auth'],
    querystring: { type: 'object', properties: querystring, additionalProperties: true },
    response: { 302: { description: 'A redirect' } }
  });

  fastify.get<{ Querystring: { next?: string } }>(
    '/oauth_login',
    { schema: schema('Log in through JupyterHub (for pages opened in the browser)', { next: { type: 'string' } }) },
    async (request, reply) => {
      const pending: IHubOAuthPending = {
        state: crypto.randomBytes(24).toString('base64url'),
        verifier: crypto.randomBytes(32).toString('base64url'),
        next: localPath(request.query.next, hub.prefix)
      };
      reply.setCookie(STATE_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        path: callbackPath,
        httpOnly: true,
        sameSite: 'lax',
        secure: secure(request),
        signed: true,
        maxAge: STATE_TTL_SECONDS
      });
      const challenge = crypto.createHash('sha256').update(pending.verifier).digest('base64url');
      const query = new URLSearchParams({
        client_id: hub.clientId,
        redirect_uri: hub.oauthCallbackUrl,
        response_type: 'code',
        state: pending.state,
        code_challenge: challenge,
        code_challenge_method: 'S256'
      });
      return reply.redirect(`${hub.baseUrl}hub/api/oauth2/authorize?${query}`, 302);
    }
  );

  fastify.get<{ Querystring: { code?: string; state?: string } }>(
    callbackPath.slice(hub.prefix.length),
    {
      schema: schema('Where JupyterHub sends the browser back after login', {
        code: { type: 'string' },
        state: { type: 'string' }
      })
    },
    async (request, reply) => {
      const pending = readPending(request);
      const { code, state } = request.query;
      if (!code || !state || !sameText(state, pending.state)) {
        throw new InvalidRequestError('This login does not match the one the gallery started; start again');
      }
      const token = await client.exchangeCode({
        code,
        verifier: pending.verifier,
        clientId: hub.clientId,
        redirectUri: hub.oauthCallbackUrl
      });
      if (!token) {
        throw new UnauthorizedError('JupyterHub refused this login (used or expired code); start again');
      }
      await hubAuthenticator.identify(token);
      const options = { path: cookiePath, sameSite: 'lax' as const, secure: secure(request) };
      reply.clearCookie(STATE_COOKIE, { path: callbackPath });
      reply.setCookie(HUB_TOKEN_COOKIE, token, { ...options, httpOnly: true });
      reply.setCookie(XSRF_COOKIE, fastify.xsrf.token(token), { ...options, httpOnly: false });
      return reply.header('cache-control', 'no-store').redirect(pending.next, 302);
    }
  );
};

function sameText(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function readPending(request: FastifyRequest): IHubOAuthPending {
  const raw = request.cookies[STATE_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  try {
    if (unsigned?.valid && unsigned.value) {
      return JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as IHubOAuthPending;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidRequestError(
    'This login is unknown or took longer than 10 minutes (or the browser blocked its cookie); start again'
  );
}
