import {
  errorResponses,
  IdParamsSchema,
  InboxQuerySchema,
  InboxResponseSchema,
  MarkReadRequestSchema,
  MuteResponseSchema,
  SetWebhookRequestSchema,
  UnreadCountResponseSchema,
  WebhookCreatedSchema,
  WebhookSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/** The caller's inbox, read state, notebook mutes and own webhook; every route needs a login. */
export const inboxRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const { inbox, webhookSettings } = fastify.gallery;
  const tags = ['inbox'];
  const hook = { onRequest: fastify.authenticate };

  fastify.get(
    '/api/inbox',
    {
      ...hook,
      schema: {
        summary: 'Your events, newest first, on notebooks you may still read; pass nextCursor back as cursor',
        tags,
        security: bearerSecurity,
        querystring: InboxQuerySchema,
        response: { 200: InboxResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => inbox.list(request.caller, request.query)
  );

  fastify.get(
    '/api/inbox/unread-count',
    {
      ...hook,
      schema: {
        summary: 'How many of your events are unread',
        tags,
        security: bearerSecurity,
        response: { 200: UnreadCountResponseSchema, ...errorResponses(401) }
      }
    },
    async request => inbox.unreadCount(request.caller)
  );

  fastify.post(
    '/api/inbox/read',
    {
      ...hook,
      schema: {
        summary: 'Mark events read: { ids: [...] } or { all: true }',
        tags,
        security: bearerSecurity,
        body: MarkReadRequestSchema,
        response: { 204: noContent('Marked read'), ...errorResponses(400, 401) }
      }
    },
    async (request, reply) => {
      await inbox.markRead(request.caller, request.body);
      return reply.code(204).send();
    }
  );

  for (const [method, muted] of [
    ['PUT', true],
    ['DELETE', false]
  ] as const) {
    fastify.route({
      method,
      url: '/api/notebooks/:id/mute',
      ...hook,
      schema: {
        summary: muted
          ? 'Mute a notebook: it brings you no more events (again: no change)'
          : 'Unmute a notebook (again: no change)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: MuteResponseSchema, ...errorResponses(401, 404) }
      },
      handler: async request => inbox.setMuted(request.caller, request.params.id, muted)
    });
  }

  fastify.get(
    '/api/me/webhook',
    {
      ...hook,
      schema: {
        summary: 'Your webhook’s URL (null: none); its secret is shown only when it is set',
        tags,
        security: bearerSecurity,
        response: { 200: WebhookSchema, ...errorResponses(401) }
      }
    },
    async request => webhookSettings.get(request.caller)
  );

  fastify.put(
    '/api/me/webhook',
    {
      config: { writeLimit: 'webhook' },
      ...hook,
      schema: {
        summary:
          'Send your events to an http(s) URL as signed JSON POSTs; answers a new secret, shown this once ' +
          '(see X-Gallery-Signature-256 in the API docs)',
        tags,
        security: bearerSecurity,
        body: SetWebhookRequestSchema,
        response: { 200: WebhookCreatedSchema, ...errorResponses(400, 401, 429) }
      }
    },
    async request => webhookSettings.set(request.caller, request.body.url)
  );

  fastify.delete(
    '/api/me/webhook',
    {
      config: { writeLimit: 'webhook' },
      ...hook,
      schema: {
        summary: 'Stop sending your events to your webhook (none: no change)',
        tags,
        security: bearerSecurity,
        response: { 204: noContent('Removed'), ...errorResponses(401, 429) }
      }
    },
    async (request, reply) => {
      await webhookSettings.remove(request.caller);
      return reply.code(204).send();
    }
  );
};
