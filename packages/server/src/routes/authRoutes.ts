import {
  AuthConfigSchema,
  ChangePasswordRequestSchema,
  errorResponses,
  LoginRequestSchema,
  LoginResponseSchema,
  RegisterRequestSchema,
  UserSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { InvalidCredentialsError } from '../errors/InvalidCredentialsError';
import { RegistrationClosedError } from '../errors/RegistrationClosedError';
import { bearerSecurity } from '../schemas/routeSchemas';
import { ssoStartUrl } from './ssoRoutes';
import { noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Password login, registration, password change, signing out everywhere, "who am I" and what the login form offers. */
export const authRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const { config, loginThrottle } = fastify;
  /** Runs `check` of a password within the login limits (auth/loginThrottle.ts): only wrong passwords count. */
  const throttled = async <T>(address: string, username: string | null, check: () => Promise<T>): Promise<T> => {
    const attempt = await loginThrottle.begin(address, username);
    let result: T;
    try {
      result = await check();
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError) && username !== null) {
        // Not a wrong password (a bad new password, a disk error): not held against anyone.
        await loginThrottle.succeeded(attempt);
      }
      throw error;
    }
    if (username !== null) {
      await loginThrottle.succeeded(attempt);
    }
    return result;
  };

  fastify.post(
    '/api/auth/login',
    {
      config: { writeLimit: false },
      schema: {
        summary: 'Log in with username and password; send the short-lived token as "Authorization: Bearer <token>"',
        tags: ['auth'],
        body: LoginRequestSchema,
        response: { 200: LoginResponseSchema, ...errorResponses(400, 401, 429) }
      }
    },
    async request => {
      const { username, password } = request.body;
      const user = await throttled(request.ip, username, () => fastify.accounts.verify(username, password));
      return { ...(await fastify.issueToken(user)), user };
    }
  );

  fastify.post(
    '/api/auth/register',
    {
      config: { writeLimit: false },
      schema: {
        summary: 'Create an account when the admin opened registration; logs the new user in',
        tags: ['auth'],
        body: RegisterRequestSchema,
        response: { 201: LoginResponseSchema, ...errorResponses(400, 403, 409, 429) }
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
      // Each registration counts against the address like a failed login, so one address cannot mint accounts.
      const user = await throttled(request.ip, null, () =>
        fastify.accounts.add(username, password, false, email ?? null)
      );
      return reply.code(201).send({ ...(await fastify.issueToken(user)), user });
    }
  );

  fastify.post(
    '/api/auth/password',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary:
          'Change your password; needs the current one. Ends every other login and session token (personal tokens stay)',
        tags: ['auth'],
        security: bearerSecurity,
        body: ChangePasswordRequestSchema,
        response: { 204: noContent('Changed'), ...errorResponses(400, 401, 429) }
      }
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      // Within the login limits, so a stolen token is no password oracle.
      await throttled(request.ip, request.user.username, () =>
        fastify.accounts.changePassword(request.user.username, currentPassword, newPassword, request.credential)
      );
      return reply.code(204).send();
    }
  );

  fastify.post(
    '/api/auth/sign-out-everywhere',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'End every login and session token of yours, this one included (personal tokens stay)',
        tags: ['auth'],
        security: bearerSecurity,
        response: { 204: noContent('Signed out'), ...errorResponses(401) }
      }
    },
    async (request, reply) => {
      await fastify.accounts.signOutEverywhere(request.user.username);
      return reply.code(204).send();
    }
  );

  fastify.get(
    '/api/auth/config',
    {
      schema: {
        summary: 'How users can log in here (no login needed)',
        tags: ['auth'],
        response: { 200: AuthConfigSchema }
      }
    },
    async () => {
      const sso = config.oidcIssuer !== null || config.trustedHeader !== null;
      return {
        password: true,
        registration: config.registration,
        ssoLoginUrl: sso ? ssoStartUrl(config) : null,
        ssoLabel: sso ? config.oidcLabel : null,
        anonymousRead: config.anonymousRead,
        defaultVisibility: config.defaultVisibility,
        uploadLimitBytes: config.bodyLimit
      };
    }
  );

  fastify.get(
    '/api/auth/me',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'The logged-in user',
        tags: ['auth'],
        security: bearerSecurity,
        response: { 200: UserSchema, ...errorResponses(401) }
      }
    },
    async request => request.user
  );
};
