import { ErrorCode, type IApiError } from '@notebook-gallery/core';
import * as http from 'node:http';
import type { Socket } from 'node:net';

/** Node's error codes of a request that did not arrive in time (the whole request, or its headers). */
const TIMEOUT_CODES = new Set(['ERR_HTTP_REQUEST_TIMEOUT', 'ERR_HTTP_HEADERS_TIMEOUT']);

/**
 * Fastify's `clientErrorHandler`: what a client whose request never reached a route reads, in the gallery's
 * `{ error, message }` form. Mostly a request cut by `--request-timeout` (a body sent too slowly): 408 with a sentence
 * that says so. Node closes the connection after it.
 */
export function clientErrorReply(
  requestTimeoutSeconds: number
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      return;
    }
    const [status, body]: [number, IApiError] = TIMEOUT_CODES.has(error.code ?? '')
      ? [
          408,
          {
            error: ErrorCode.REQUEST_TIMEOUT,
            message:
              `The request did not arrive within ${requestTimeoutSeconds} seconds, so the gallery stopped ` +
              'waiting for it; try again on a faster connection'
          }
        ]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, { error: ErrorCode.BAD_REQUEST, message: 'The request headers are larger than the gallery accepts' }]
        : [400, { error: ErrorCode.BAD_REQUEST, message: 'The request is not well-formed HTTP' }];
    if (socket.writable) {
      const json = JSON.stringify(body);
      socket.write(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`
      );
    }
    socket.destroy(error);
  };
}
