import type { FastifyRequest } from 'fastify';
import * as crypto from 'node:crypto';
import { ForbiddenError } from '../errors/ForbiddenError';

/** The readable cookie whose value a page sends back on every state-changing request. */
export const XSRF_COOKIE = 'gallery_xsrf';
/** Where a page's script sends the XSRF token. */
export const XSRF_HEADER = 'x-xsrf-token';
/** Where a page's form sends it: forms cannot set headers. */
export const XSRF_FIELD = '_xsrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one XSRF check, for every credential a browser attaches on its own (the hub login cookie, the session cookie of
 * pages, the trusted proxy's header): another site can make the browser send those, so a state-changing request must
 * also carry a token another site cannot read. The token is an HMAC of the credential it goes with, so it cannot be
 * planted (a cookie set by a sibling site) without the credential itself.
 */
export class XsrfGuard {
  constructor(private readonly _secret: string) {}

  /** The XSRF token that goes with the credential `binding` (a cookie's value, or `proxy:<username>`). */
  token(binding: string): string {
    return crypto.createHmac('sha256', this._secret).update(`xsrf:${binding}`).digest('base64url');
  }

  /**
   * Checks that a state-changing request carries the token of `binding`, in the {@link XSRF_HEADER} header or, for a
   * form post, the {@link XSRF_FIELD} field (available once the body is parsed: form routes authenticate in
   * `preHandler`). Safe methods pass.
   * @throws {ForbiddenError} when the token is missing or wrong.
   */
  check(request: FastifyRequest, binding: string): void {
    if (SAFE_METHODS.has(request.method)) {
      return;
    }
    const sent = sentToken(request);
    const expected = Buffer.from(this.token(binding));
    if (sent === undefined || sent.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sent), expected)) {
      throw new ForbiddenError(
        `A change made from a page opened in the browser must send the value of the ${XSRF_COOKIE} cookie in the ` +
          `${XSRF_HEADER} header (a form: in its ${XSRF_FIELD} field); reload the page and try again`
      );
    }
  }
}

/** The token a request sends: its header, else the field of a parsed form body. */
function sentToken(request: FastifyRequest): string | undefined {
  const header = request.headers[XSRF_HEADER];
  if (typeof header === 'string') {
    return header;
  }
  const body = request.body as Record<string, unknown> | undefined | null;
  const field = body && typeof body === 'object' ? body[XSRF_FIELD] : undefined;
  return typeof field === 'string' ? field : undefined;
}
