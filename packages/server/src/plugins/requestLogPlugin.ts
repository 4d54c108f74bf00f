import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { STORAGE_FAILURE_CODES } from './errorHandlerPlugin';

/** Options of {@link requestLogPlugin}. */
export interface IRequestLogOptions {
  /** A request that takes longer than this, in milliseconds, is logged at `warn` (`--slow-request-ms`). */
  slowRequestMs: number;
}

/** The log levels a finished request is written at. */
type RequestLogLevel = Extract<keyof FastifyBaseLogger, 'error' | 'warn' | 'info' | 'debug'>;

/**
 * One log line per finished request, at a level that says whether someone should read it: 5xx at `error`, a slow
 * request at `warn`, another 4xx at `info`, and everything else at `debug`. A storage failure (a full disk) is at
 * `warn`: the error handler says it at `error` once a minute, and a line per failed save would bury the log. Fastify's own request logging (two lines
 * per request at `info`, turned off in app.ts) filled a JupyterHub's log with the hub's poll every minute.
 */
export const requestLogPlugin = fp<IRequestLogOptions>(
  async (fastify, { slowRequestMs }) => {
    if (!Number.isFinite(slowRequestMs) || slowRequestMs < 0) {
      throw new Error(`requestLogPlugin: slowRequestMs must be a number of milliseconds, got ${slowRequestMs}`);
    }
    fastify.addHook('onResponse', async (request, reply) => {
      const responseTime = Math.round(reply.elapsedTime);
      const storageFailure = reply.errorCode !== null && STORAGE_FAILURE_CODES.includes(reply.errorCode);
      const level = storageFailure ? 'warn' : levelOf(reply.statusCode, responseTime, slowRequestMs);
      // The path only: a query may hold an OAuth code or state.
      const path = request.url.split('?')[0];
      request.log[level](
        {
          method: request.method,
          path,
          statusCode: reply.statusCode,
          responseTime,
          ...(reply.errorCode === null ? {} : { error: reply.errorCode })
        },
        responseTime > slowRequestMs ? `slow request: ${responseTime} ms` : 'request completed'
      );
    });
  },
  { name: 'gallery-request-log' }
);

function levelOf(statusCode: number, responseTime: number, slowRequestMs: number): RequestLogLevel {
  if (statusCode >= 500) {
    return 'error';
  }
  if (responseTime > slowRequestMs) {
    return 'warn';
  }
  return statusCode >= 400 ? 'info' : 'debug';
}
