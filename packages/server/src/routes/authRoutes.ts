import type { ILoginRequest, ILoginResponse, IUser } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import {
  bearerSecurity,
  errorResponses,
  loginBodySchema,
  loginResponseSchema,
  userSchema
} from '../schemas/apiSchemas';

/** Password login and "who am I". */
export const authRoutes: FastifyPluginAsync = async fastify => {
  fastify.post<{ Body: ILoginRequest; Reply: ILoginResponse }>(
    '/api/auth/login',
    {
      schema: {
        summary: 'Log in with username and password; send the token as "Authorization: Bearer <token>"',
        tags: ['auth'],
        body: loginBodySchema,
        response: { 200: loginResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => {
      const user = await fastify.users.verify(request.body.username, request.body.password);
      return { ...fastify.issueToken(user), user };
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
