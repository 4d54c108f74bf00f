import type { IApiTokenListResponse, ICreateApiTokenRequest, ICreateApiTokenResponse } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import {
  apiTokenListResponseSchema,
  bearerSecurity,
  createApiTokenBodySchema,
  createApiTokenResponseSchema,
  errorResponses,
  idParamsSchema
} from '../schemas/apiSchemas';

/** Personal API tokens: what JupyterLab keeps instead of a password or a short-lived login. */
export const tokenRoutes: FastifyPluginAsync = async fastify => {
  fastify.addHook('onRequest', fastify.authenticate);
  const tags = ['tokens'];

  fastify.post<{ Body: ICreateApiTokenRequest; Reply: ICreateApiTokenResponse }>(
    '/api/tokens',
    {
      schema: {
        summary: 'Create a personal API token; the token is in this reply only',
        tags,
        security: bearerSecurity,
        body: createApiTokenBodySchema,
        response: { 201: createApiTokenResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async (request, reply) => {
      const days = request.body.expiresInDays;
      const lifetimeMs = days === undefined ? fastify.config.apiTokenTtlSeconds * 1000 : days * 86_400_000;
      const created = fastify.apiTokens.create(
        request.user.username,
        request.body.name.trim(),
        new Date(Date.now() + lifetimeMs)
      );
      return reply.code(201).send(created);
    }
  );

  fastify.get<{ Reply: IApiTokenListResponse }>(
    '/api/tokens',
    {
      schema: {
        summary: 'Your personal API tokens (never the secrets)',
        tags,
        security: bearerSecurity,
        response: { 200: apiTokenListResponseSchema, ...errorResponses(401) }
      }
    },
    async request => ({ items: fastify.apiTokens.list(request.user.username) })
  );

  fastify.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      schema: {
        summary: 'Revoke one of your personal API tokens; it stops working at once',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses(401, 404) }
      }
    },
    async (request, reply) => {
      fastify.apiTokens.revoke(request.user.username, request.params.id);
      return reply.code(204).send();
    }
  );
};
