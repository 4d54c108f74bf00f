import { ErrorCode, NotebookFormatError, type IApiError } from '@notebook-gallery/core';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { GalleryError } from '../errors/GalleryError';

/** Fastify's own request errors that have a gallery code of their own. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.INVALID_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE
};

/** Codes for the other 4xx statuses Fastify and its plugins answer with; any other 4xx is BAD_REQUEST. */
const STATUS_CODES: Record<number, ErrorCode> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED
};

interface IMappedError {
  statusCode: number;
  body: IApiError;
}

/** Turns anything a handler throws into `{ error, message, ...details }` with the right status; the one error handler. */
export const errorHandlerPlugin = fp(
  async fastify => {
    fastify.setErrorHandler((error, request, reply) => {
      const { statusCode, body } = mapError(error as FastifyError);
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
      }
      return reply.code(statusCode).send(body);
    });
    fastify.setNotFoundHandler((request, reply) => {
      return reply
        .code(404)
        .send({ error: ErrorCode.NOT_FOUND, message: `No route ${request.method} ${request.url.split('?')[0]}` });
    });
  },
  { name: 'gallery-error-handler' }
);

function mapError(error: FastifyError): IMappedError {
  if (error instanceof GalleryError) {
    return { statusCode: error.statusCode, body: { ...error.details, error: error.code, message: error.message } };
  }
  if (error instanceof NotebookFormatError) {
    return { statusCode: 400, body: { error: error.code, message: error.message, path: error.path } };
  }
  if (error.validation) {
    return { statusCode: 400, body: { error: ErrorCode.VALIDATION_FAILED, message: error.message } };
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) {
    return { statusCode: error.statusCode ?? 400, body: { error: mapped, message: error.message } };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    const code = STATUS_CODES[error.statusCode] ?? ErrorCode.BAD_REQUEST;
    return { statusCode: error.statusCode, body: { error: code, message: error.message } };
  }
  return {
    statusCode: 500,
    body: {
      error: ErrorCode.INTERNAL_ERROR,
      message: 'The gallery hit an unexpected error; the server log has details'
    }
  };
}
