import {
  ApiTokenListResponseSchema,
  CreateApiTokenRequestSchema,
  CreateApiTokenResponseSchema,
  errorResponses,
  IdParamsSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity } from '../schemas/routeSchemas';
import { noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/** API tokens: what JupyterLab keeps instead of a password or a short-lived login. */
export const tokenRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.addHook('onRequest', fastify.authenticate);
  const tags = ['tokens'];

  fastify.post(
    '/api/tokens',
    {
      config: { writeLimit: 'token' },
      schema: {
        summary:
          'Create an API token; the token is in this reply only. A session token ends with a password change, a personal one does not',
        tags,
        security: bearerSecurity,
        body: CreateApiTokenRequestSchema,
        response: { 201: CreateApiTokenResponseSchema, ...errorResponses(400, 401, 409) }
      }
    },
    async (request, reply) => {
      const { accounts } = fastify;
      const { name, kind, expiresInDays } = request.body;
      const created = await accounts.createToken(
        request.user.username,
        name.trim(),
        kind ?? 'personal',
        accounts.tokenExpiry(expiresInDays)
      );
      return reply.code(201).send(created);
    }
  );

  fastify.get(
    '/api/tokens',
    {
      schema: {
        summary: 'Your API tokens (never the secrets)',
        tags,
        security: bearerSecurity,
        response: { 200: ApiTokenListResponseSchema, ...errorResponses(401) }
      }
    },
    async request => ({ items: await fastify.accounts.listTokens(request.user.username) })
  );

  fastify.delete(
    '/api/tokens/:id',
    {
      config: { writeLimit: 'token' },
      schema: {
        summary: 'Revoke one of your API tokens; it stops working at once',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 204: noContent('Revoked'), ...errorResponses(401, 404) }
      }
    },
    async (request, reply) => {
      await fastify.accounts.revokeToken(request.user.username, request.params.id);
      return reply.code(204).send();
    }
  );
};
