import { writeFileSync } from 'fs';
import { join } from 'path';

/**
 * The gallery's REST API as another person's script would use it, for what happens off-screen in a test: an
 * instructor publishing an update, or sharing a notebook, while the browser shows the other side.
 */
export class GalleryApi {
  private constructor(
    readonly url: string,
    private readonly _token: string
  ) {}

  /** Log in as `username` with the real login route. */
  static async login(url: string, username: string, password: string): Promise<GalleryApi> {
    const reply = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password })
    });
    if (!reply.ok) {
      throw new Error(`login as ${username} failed: ${reply.status} ${await reply.text()}`);
    }
    return new GalleryApi(url, ((await reply.json()) as { token: string }).token);
  }

  /** Call `method path` with a JSON body; throws with the server's message on failure. */
  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this._token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined
    });
    if (!reply.ok) {
      throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
    }
    return (await reply.json()) as T;
  }

  /** Save a new revision of `id` whose cells have `sources`, on the latest revision. */
  async saveSources(
    id: string,
    sources: string[],
    message: string
  ): Promise<{ revision: string; revisionNumber: number }> {
    const latest = await this.call('GET', `/api/notebooks/${id}`);
    return this.call('PUT', `/api/notebooks/${id}`, {
      notebook: codeNotebook(sources),
      baseRevision: latest.revision,
      message
    });
  }
}

/**
 * An nbformat 4.5 notebook with one code cell per source (ids `cell-0`, `cell-1`…), naming its kernel and only the
 * language, as the gallery's bundled examples do.
 */
export function codeNotebook(sources: string[]): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' }
    },
    cells: sources.map((source, index) => ({
      id: `cell-${index}`,
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  };
}

/** Write a notebook into the JupyterLab workspace. */
export function writeNotebook(workspace: string, path: string, sources: string[]): void {
  writeFileSync(join(workspace, path), JSON.stringify(codeNotebook(sources), null, 1));
}
