import { ErrorCode, NotebookFormatError, megabytes, type IApiError } from '@notebook-gallery/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DatabaseDamagedError, isDatabaseDamage } from '../errors/DatabaseDamagedError';
import { GalleryError } from '../errors/GalleryError';
import { StorageFailureLog, storageFailureOf } from '../storage/storageFailure';
import { validationMessage, type RequestPart } from '../schemas/validationMessage';

/** Fastify's own request errors that have a gallery code of their own. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.INVALID_JSON
};

/**
 * Codes for the other 4xx statuses Fastify and its plugins answer with; any other 4xx is BAD_REQUEST. A 413 has a
 * reply of its own, with the limit.
 */
const STATUS_CODES: Record<number, ErrorCode> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED
};

interface IMappedError {
  statusCode: number;
  body: IApiError;
}

/** Answers the errors of page requests with an HTML page instead of JSON; plugins/pagesPlugin.ts installs one. */
export interface IPageErrorResponder {
  /** Whether `request` asked for a page (API requests keep their JSON). */
  wants(request: FastifyRequest): boolean;
  /** Sends the page for an error that the API would answer with `statusCode` and `body`. */
  send(request: FastifyRequest, reply: FastifyReply, statusCode: number, body: IApiError): Promise<FastifyReply>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Makes the one error handler answer page requests with `responder`'s pages. */
    usePageErrors(responder: IPageErrorResponder): void;
  }
  interface FastifyReply {
    /** The error code this reply answered with, or null; the request log uses it. */
    errorCode: string | null;
  }
}

/** Options of {@link errorHandlerPlugin}. */
export interface IErrorHandlerOptions {
  /** The data directory, to tell a vanished one from a missing file. */
  dataDir: string;
}

/** Error codes of a storage failure: logged once a minute by the error handler, not once per request. */
export const STORAGE_FAILURE_CODES: readonly string[] = [
  ErrorCode.STORAGE_FULL,
  ErrorCode.STORAGE_READ_ONLY,
  ErrorCode.STORAGE_MISSING,
  ErrorCode.DATABASE_UNAVAILABLE
];

/**
 * Turns anything a handler throws into `{ error, message, ...details }` with the right status; the one error handler.
 * Page requests get the same status as an HTML page, once the pages plugin installed its responder.
 */
export const errorHandlerPlugin = fp<IErrorHandlerOptions>(
  async (fastify, { dataDir }) => {
    let pages: IPageErrorResponder | null = null;
    fastify.decorate('usePageErrors', (responder: IPageErrorResponder) => {
      pages = responder;
    });
    fastify.decorateReply('errorCode', null);
    // A full disk fails every save; one line a minute tells the admin, a line per save would bury everything else.
    const storageLog = new StorageFailureLog((failure, suppressed) =>
      fastify.log.error(
        { err: failure.cause, error: failure.code, suppressedSinceLastLine: suppressed, remedy: remedyOf(failure) },
        `storage failure: ${failure.message}${remedyOf(failure) ? ` (to do: ${remedyOf(failure)})` : ''}`
      )
    );
    fastify.setErrorHandler((thrown, request, reply) => {
      const storageFailure = storageFailureOf(thrown, dataDir);
      const error = storageFailure ?? thrown;
      const { statusCode, body } = mapError(error as FastifyError, request, fastify.initialConfig.bodyLimit);
      reply.errorCode = body.error;
      if (storageFailure) {
        storageLog.report(storageFailure);
      } else if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
      }
      // A 429 or 503 says when to try again in the standard header too, for clients and proxies that read only that.
      if ((statusCode === 429 || statusCode === 503) && typeof body.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(body.retryAfterSeconds));
      }
      if (pages?.wants(request)) {
        return pages.send(request, reply, statusCode, body);
      }
      return reply.code(statusCode).send(body);
    });
    fastify.setNotFoundHandler((request, reply) => {
      const body = { error: ErrorCode.NOT_FOUND, message: `No route ${request.method} ${request.url.split('?')[0]}` };
      if (pages?.wants(request)) {
        return pages.send(request, reply, 404, body);
      }
      return reply.code(404).send(body);
    });
  },
  { name: 'gallery-error-handler' }
);

/** What the administrator does about a storage failure, when its error says (every storage failure's does). */
function remedyOf(failure: GalleryError): string | undefined {
  const { remedy } = failure as { remedy?: unknown };
  return typeof remedy === 'string' ? remedy : undefined;
}

/** `defaultBodyLimit` is the app's; a route may set its own (`request.routeOptions.bodyLimit`). */
function mapError(error: FastifyError, request: FastifyRequest, defaultBodyLimit: number | undefined): IMappedError {
  if (isDatabaseDamage(error)) {
    // A page of the database went bad while serving: say so, instead of a generic 500.
    return mapError(new DatabaseDamagedError('gallery.sqlite', error.message) as never, request, defaultBodyLimit);
  }
  if (error instanceof GalleryError) {
    return { statusCode: error.statusCode, body: { ...error.details, error: error.code, message: error.message } };
  }
  if (error instanceof NotebookFormatError) {
    return { statusCode: 400, body: { error: error.code, message: error.message, path: error.path } };
  }
  if (error.validation) {
    const part = (error.validationContext ?? 'body') as RequestPart;
    const { message, field } = validationMessage(error.validation, part, Private.requestPart(request, part));
    return { statusCode: 400, body: { error: ErrorCode.VALIDATION_FAILED, message, field } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    const limitBytes = request.routeOptions?.bodyLimit ?? defaultBodyLimit;
    return {
      statusCode: 413,
      body: {
        error: ErrorCode.PAYLOAD_TOO_LARGE,
        message: Private.tooLargeMessage(limitBytes, Number(request.headers['content-length'])),
        ...(limitBytes === undefined ? {} : { limitBytes })
      }
    };
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

namespace Private {
  export function requestPart(request: FastifyRequest, part: RequestPart): unknown {
    switch (part) {
      case 'body':
        return request.body;
      case 'querystring':
        return request.query;
      case 'params':
        return request.params;
      case 'headers':
        return request.headers;
    }
  }

  /** What an API client or a person reads on a 413: the limit, the size sent, and what usually makes a notebook big. */
  export function tooLargeMessage(limitBytes: number | undefined, sentBytes: number): string {
    const limit =
      limitBytes === undefined
        ? 'The request body is larger than this gallery accepts.'
        : `The request body is larger than this gallery accepts: at most ${megabytes(limitBytes)} MB (${limitBytes} bytes)` +
          (Number.isFinite(sentBytes) && sentBytes > 0 ? `, and this one has ${megabytes(sentBytes)} MB.` : '.');
    return (
      `${limit} Notebooks are uploaded without their outputs but with their attachments (images pasted into ` +
      'Markdown cells): make large images smaller, remove them, or link to them instead.'
    );
  }
}
