/**
 * The one place that writes the URLs pages emit. Routes are matched without the JupyterHub service prefix (app.ts
 * strips it from every request), but the browser sees it, so every link, form action and redirect starts with it:
 * `/services/gallery/n/abc` in a hub, `/n/abc` standalone.
 */
export class PageLinks {
  /** @param prefix the hub service prefix without its trailing slash (`/services/gallery`), or '' standalone. */
  constructor(readonly prefix: string) {}

  /**
   * `path` (a route path, starting with `/`) under the prefix, with `query` appended (undefined values left out).
   * @throws {Error} when `path` does not start with `/` (a programming error).
   */
  href(path: string, query: Record<string, string | undefined> = {}): string {
    if (!path.startsWith('/')) {
      throw new Error(`page path must start with "/", got "${path}"`);
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.append(key, value);
      }
    }
    const search = params.toString();
    return `${this.prefix}${path}${search ? `?${search}` : ''}`;
  }

  /** The page of notebook `id`: its share link; with `revision`, the permanent link of that revision. */
  notebook(id: string, revision?: string): string {
    const base = `/n/${encodeURIComponent(id)}`;
    return this.href(revision === undefined ? base : `${base}/r/${encodeURIComponent(revision)}`);
  }

  /** Where a login may send the browser back to: `next` when it is a page of this gallery, else the gallery's home. */
  next(next: unknown): string {
    return localPath(next, this.prefix);
  }
}

/**
 * `next` when it is a path on this site under `prefix` ('' standalone), so a login never sends the browser to another
 * site (`//evil.example`, `https://…`, `/\evil.example`); otherwise `<prefix>/`.
 */
export function localPath(next: unknown, prefix: string): string {
  const home = `${prefix}/`;
  return typeof next === 'string' && next.startsWith(home) && !next.startsWith('//') && !/[\\\s]/.test(next)
    ? next
    : home;
}
