import type { FastifyInstance } from 'fastify';

/**
 * Content negotiation for the paths that answer both a browser and a program (`/`: the gallery page for a browser,
 * the JSON health answer for the JupyterHub's poll and other clients). It is a Fastify route constraint, so each
 * answer is its own route with its own hooks: `{ constraints: { accept: 'html' } }` or `{ accept: 'json' }`.
 */

/** The constraint's values: `html` when the request prefers an HTML page, `json` otherwise. */
export type AcceptKind = 'html' | 'json';

/**
 * Whether an Accept header prefers an HTML page: it names `text/html` (or XHTML) itself, with a quality above that
 * of `application/json` (a tie stays JSON: only a request that prefers HTML gets a page). Browsers send `text/html,…,*\/*;q=0.8`; `fetch`, curl and the hub send `*\/*` or
 * nothing, which stays JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) {
    return false;
  }
  let html = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type, ...parameters] = range.trim().toLowerCase().split(';');
    const q = Private.quality(parameters);
    const media = type.trim();
    if (media === 'text/html' || media === 'application/xhtml+xml') {
      html = Math.max(html, q);
    } else if (media === 'application/json') {
      json = Math.max(json, q);
    }
  }
  return html > json;
}

type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type Handler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

/**
 * The `accept` route constraint; registered once on the app (app.ts). A request that derives a value no route of its
 * path is constrained to finds that path's unconstrained route, if any (`mustMatchWhenDerived: false`): routes that
 * do not negotiate are not affected.
 */
export const acceptConstraint: ConstraintStrategy = {
  name: 'accept',
  storage() {
    const handlers = new Map<string, Handler>();
    return {
      get: value => handlers.get(value as string) ?? null,
      set: (value, handler) => void handlers.set(value as string, handler)
    };
  },
  deriveConstraint(request): AcceptKind {
    const accept = request.headers.accept;
    return prefersHtml(Array.isArray(accept) ? accept.join(',') : accept) ? 'html' : 'json';
  },
  mustMatchWhenDerived: false
};

namespace Private {
  export function quality(parameters: string[]): number {
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split('=');
      if (key === 'q') {
        const q = Number(value);
        return Number.isFinite(q) ? q : 0;
      }
    }
    return 1;
  }
}
