/** The canonical form of a server URL, so token keys and provenance compare equal. */
export function normalizeServerUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
