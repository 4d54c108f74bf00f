import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ElementContent } from 'hast';
import { ErrorCode, type IUser } from '@notebook-gallery/core';
import { GalleryError } from '../errors/GalleryError';
import { InvalidCredentialsError } from '../errors/InvalidCredentialsError';
import { RateLimitedError } from '../errors/RateLimitedError';
import type { ILoginAttempt } from '../auth/loginThrottle';
import { endPageSession, startPageSession } from '../pages/pageSession';
import { startOidc } from './ssoRoutes';

/** What the login form posts. */
interface ILoginForm {
  username?: string;
  password?: string;
  next?: string;
}

const LOGIN_FORM_SCHEMA = {
  type: 'object',
  properties: {
    username: { type: 'string', maxLength: 200 },
    password: { type: 'string', maxLength: 1000 },
    next: { type: 'string', maxLength: 2000 },
    _xsrf: { type: 'string', maxLength: 200 }
  }
} as const;

/**
 * The login of pages in the browser. Standalone: `/login` shows a password form (and, when configured, a link to
 * log in through the OpenID Connect provider, whose callback in routes/ssoRoutes.ts comes back here) that posts back to `/login`, which sets the session cookie and returns to `next`, a page of this gallery. In a
 * JupyterHub, `/login` hands over to the hub's OAuth login (routes/hubOAuthRoutes.ts). `/logout` (a form post with
 * the XSRF token) forgets the login cookies.
 */
export const pageLoginRoutes: FastifyPluginAsync = async fastify => {
  const { config, pages } = fastify;
  const { h, links } = pages;
  pages.addFormParser(fastify);
  /** Who is asking, when anyone: the login page is open to all. */
  const identify = async (request: FastifyRequest): Promise<void> => {
    try {
      await fastify.authenticate(request);
    } catch {
      // Not logged in (or an expired login): the login page is what they need.
    }
  };

  const loginPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    next: string,
    error: { status: number; message: string } | null,
    username = ''
  ): Promise<FastifyReply> => {
    const sso = fastify.oidc
      ? [
          h('p', { className: ['or-line'] }, 'or'),
          h('p', [
            h(
              'a',
              { className: ['button'], href: links.href('/login/oidc', { next }) },
              `Log in with ${config.oidcLabel}`
            )
          ])
        ]
      : [];
    const main: ElementContent[] = [
      h('div', { className: ['narrow'] }, [
        h('h1', 'Log in'),
        ...(error ? [h('p', { className: ['form-error'], role: 'alert', id: 'login-error' }, error.message)] : []),
        h('form', { method: 'post', action: links.href('/login') }, [
          h('input', { type: 'hidden', name: 'next', value: next }),
          h('div', { className: ['form-field'] }, [
            h('label', { htmlFor: 'login-username' }, 'Username'),
            h('input', {
              id: 'login-username',
              name: 'username',
              type: 'text',
              autoComplete: 'username',
              autoCapitalize: 'none',
              spellCheck: false,
              required: true,
              value: username,
              ariaDescribedBy: error ? 'login-error' : undefined
            })
          ]),
          h('div', { className: ['form-field'] }, [
            h('label', { htmlFor: 'login-password' }, 'Password'),
            h('input', {
              id: 'login-password',
              name: 'password',
              type: 'password',
              autoComplete: 'current-password',
              required: true
            })
          ]),
          h('button', { type: 'submit', className: ['primary'] }, 'Log in')
        ]),
        ...sso,
        h(
          'p',
          'Your account is the one you use in the Gallery sidebar of JupyterLab. No account yet? Ask the administrator of the gallery.'
        )
      ])
    ];
    return pages.send(request, reply, { title: 'Log in', main, status: error?.status });
  };

  fastify.get<{ Querystring: { next?: string } }>(
    '/login',
    {
      config: { page: true, writeLimit: false },
      onRequest: identify,
      schema: {
        summary: 'The login page of pages in the browser (in a JupyterHub: to the hub login)',
        tags: ['pages'],
        hide: true,
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } }
      }
    },
    async (request, reply) => {
      const next = links.next(request.query.next);
      if (config.hub) {
        return reply.redirect(links.href('/oauth_login', { next }), 302);
      }
      if (request.caller?.user) {
        return reply.redirect(next, 303);
      }
      return loginPage(request, reply, next, null);
    }
  );

  fastify.get<{ Querystring: { next?: string } }>(
    '/login/oidc',
    {
      config: { page: true },
      schema: {
        summary: 'Log in to the web pages through the OpenID Connect provider, then back to next',
        tags: ['pages'],
        hide: true,
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } }
      }
    },
    async (request, reply) => {
      if (!fastify.oidc || config.hub) {
        throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'Single sign-on is not configured on this gallery');
      }
      const { pending, url } = fastify.oidc.start('');
      return startOidc(config, reply, { ...pending, next: links.next(request.query.next) }, url);
    }
  );

  fastify.post<{ Body: ILoginForm }>(
    '/login',
    {
      config: { page: true, writeLimit: false },
      schema: {
        summary: 'Log in from the login page (a form post)',
        tags: ['pages'],
        hide: true,
        body: LOGIN_FORM_SCHEMA
      }
    },
    async (request, reply) => {
      const next = links.next(request.body.next);
      if (config.hub) {
        return reply.redirect(links.href('/oauth_login', { next }), 303);
      }
      const { username = '', password = '' } = request.body;
      if (username.trim() === '' || password === '') {
        return loginPage(
          request,
          reply,
          next,
          { status: 400, message: 'Enter your username and your password.' },
          username
        );
      }
      // The limits of POST /api/auth/login, with the same counters: two doors must not double an attacker's tries.
      let attempt: ILoginAttempt;
      try {
        attempt = await fastify.loginThrottle.begin(request.ip, username.trim());
      } catch (error) {
        if (error instanceof RateLimitedError) {
          reply.header('retry-after', String(error.details.retryAfterSeconds));
          return loginPage(request, reply, next, { status: 429, message: `${error.message}.` }, username);
        }
        throw error;
      }
      let user: IUser;
      try {
        user = await fastify.accounts.verify(username.trim(), password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          return loginPage(
            request,
            reply,
            next,
            { status: 401, message: 'Wrong username or password. Check both and try again.' },
            username
          );
        }
        await fastify.loginThrottle.succeeded(attempt);
        throw error;
      }
      await fastify.loginThrottle.succeeded(attempt);
      await startPageSession(fastify, request, reply, user);
      return reply.header('cache-control', 'no-store').redirect(next, 303);
    }
  );

  fastify.post(
    '/logout',
    {
      config: { page: true },
      preHandler: pages.write,
      schema: {
        summary: 'Log out of pages in the browser (a form post with the XSRF token)',
        tags: ['pages'],
        hide: true
      }
    },
    async (_request, reply) => {
      endPageSession(fastify, reply);
      // In a hub the login is the hub's: log out there too, or the next page would log straight back in.
      const to = config.hub ? `${config.hub.baseUrl}hub/logout` : links.href('/');
      return reply.header('cache-control', 'no-store').redirect(to, 303);
    }
  );
};
