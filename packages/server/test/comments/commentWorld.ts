import type { InjectOptions } from 'fastify';
import { callExpecting, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/** A notebook with a markdown cell `intro` and a three-line code cell `code`, varied by `text` and `code`. */
export function commentedNotebook(text = 'Intro', code = 'a = 1\nb = 2\nprint(a + b)'): Record<string, any> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: text },
      { cell_type: 'code', id: 'code', metadata: {}, execution_count: null, source: code, outputs: [] }
    ]
  };
}

/** A test gallery with helpers that check each reply's status. */
export interface ICommentWorld {
  gallery: ITestGallery;
  /** A request that must answer `status`; returns the JSON body, or null for an empty one. */
  call(token: string | null, options: InjectOptions, status: number): Promise<any>;
  /** Saves a notebook as `token`'s user; returns its id and revision. */
  create(token: string, options?: Record<string, unknown>): Promise<{ id: string; revision: string }>;
  /** Saves a new revision of `id` on `baseRevision`; returns the new revision. */
  save(token: string, id: string, baseRevision: string, notebook: Record<string, any>): Promise<string>;
  /** Posts a comment that must be accepted; returns it. */
  comment(token: string, id: string, body: Record<string, unknown>): Promise<any>;
  /** The notebook's comment list as `token` sees it. */
  list(token: string | null, id: string, query?: string): Promise<any>;
}

/** Starts a gallery for comment tests; `flags` as for startTestGallery. */
export async function startCommentWorld(flags: Record<string, string> = {}): Promise<ICommentWorld> {
  const gallery = await startTestGallery(flags);
  const call = callExpecting(gallery);
  return {
    gallery,
    call,
    async create(token, options = {}) {
      const { notebook, ...rest } = options;
      const body = await call(
        token,
        {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: notebook ?? commentedNotebook(), title: 'Commented', ...rest }
        },
        201
      );
      return { id: body.id, revision: body.revision };
    },
    async save(token, id, baseRevision, notebook) {
      const body = await call(
        token,
        { method: 'PUT', url: `/api/notebooks/${id}`, payload: { notebook, baseRevision } },
        200
      );
      return body.revision;
    },
    comment: (token, id, body) =>
      call(token, { method: 'POST', url: `/api/notebooks/${id}/comments`, payload: body }, 201),
    list: (token, id, query = '') => call(token, { method: 'GET', url: `/api/notebooks/${id}/comments${query}` }, 200)
  };
}
