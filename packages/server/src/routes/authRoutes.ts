import type {
  IAuthConfig,
  IChangePasswordRequest,
  ILoginRequest,
  ILoginResponse,
  IRegisterRequest,
  IUser
} from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors/RateLimitedError';
import { RegistrationClosedError } from '../errors/RegistrationClosedError';
import {
  authConfigSchema,
  bearerSecurity,
  changePasswordBodySchema,
  errorResponses,
  loginBodySchema,
  loginResponseSchema,
  registerBodySchema,
  userSchema
} from '../schemas/apiSchemas';
import { ssoStartUrl } from './ssoRoutes';

/** Password login, registration, password change, "who am I" and what the login form should offer. */
export const authRoutes: FastifyPluginAsync = async fastify => {
  const { config } = fastify;
  const limit = { max: config.loginRateLimit.max, timeWindow: config.loginRateLimit.windowSeconds * 1000 };
  // Two counters: one per client address (guessing many users) and one per username (many addresses, one user).
  const perAddress = fastify.createRateLimit({ ...limit, keyGenerator: request => `address:${request.ip}` });
  const perUser = fastify.createRateLimit({
    ...limit,
    keyGenerator: request =>
      `user:${String(request.user?.username ?? (request.body as { username?: unknown }).username).toLowerCase()}`
  });
  const rateLimited = async (request: FastifyRequest): Promise<void> => {
    for (const limiter of [perAddress, perUser]) {
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) {
        throw new RateLimitedError('login attempts', Math.max(1, result.ttlInSeconds));
      }
    }
  };

  fastify.post<{ Body: ILoginRequest; Reply: ILoginResponse }>(
    '/api/auth/login',
    {
      preHandler: rateLimited,
      schema: {
        summary: 'Log in with username and password; send the short-lived token as "Authorization: Bearer <token>"',
        tags: ['auth'],
        body: loginBodySchema,
        response: { 200: loginResponseSchema, ...errorResponses(400, 401, 429) }
      }
    },
    async request => {
      const user = await fastify.users.verify(request.body.username, request.body.password);
      return { ...fastify.issueToken(user), user };
    }
  );

  fastify.post<{ Body: IRegisterRequest; Reply: ILoginResponse }>(
    '/api/auth/register',
    {
      preHandler: rateLimited,
      schema: {
        summary: 'Create an account when the admin opened registration; logs the new user in',
        tags: ['auth'],
        body: registerBodySchema,
        response: { 201: loginResponseSchema, ...errorResponses(400, 403, 409, 429) }
      }
    },
    async (request, reply) => {
      const { username, password, email } = request.body;
      if (config.registration === 'closed') {
        throw new RegistrationClosedError();
      }
      if (config.registration === 'domains') {
        const domain = email?.split('@')[1]?.toLowerCase();
        if (domain === undefined || !config.registrationDomains.includes(domain)) {
          throw new RegistrationClosedError(
            `Registration needs an email address at ${config.registrationDomains.join(' or ')}`
          );
        }
      }
      const user = await fastify.users.add(username, password, false, email ?? null);
      return reply.code(201).send({ ...fastify.issueToken(user), user });
    }
  );

  fastify.post<{ Body: IChangePasswordRequest }>(
    '/api/auth/password',
    {
      onRequest: fastify.authenticate,
      // Rate limited like login, so a stolen token is no password oracle.
      preHandler: rateLimited,
      schema: {
        summary: 'Change your password; needs the current one',
        tags: ['auth'],
        security: bearerSecurity,
        body: changePasswordBodySchema,
        response: { 204: { type: 'null', description: 'Changed' }, ...errorResponses(400, 401, 429) }
      }
    },
    async (request, reply) => {
      await fastify.users.changePassword(request.user.username, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send();
    }
  );

  fastify.get<{ Reply: IAuthConfig }>(
    '/api/auth/config',
    {
      schema: {
        summary: 'How users can log in here (no login needed)',
        tags: ['auth'],
        response: { 200: authConfigSchema }
      }
    },
    async request => {
      const sso = config.oidcIssuer !== null || config.trustedHeader !== null;
      return {
        password: true,
        registration: config.registration,
        ssoLoginUrl: sso ? ssoStartUrl(request) : null,
        ssoLabel: sso ? config.oidcLabel : null,
        anonymousRead: config.anonymousRead,
        defaultVisibility: config.defaultVisibility
      };
    }
  );

  fastify.get<{ Reply: IUser }>(
    '/api/auth/me',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'The logged-in user',
        tags: ['auth'],
        security: bearerSecurity,
        response: { 200: userSchema, ...errorResponses(401) }
      }
    },
    async request => request.user
  );
};
