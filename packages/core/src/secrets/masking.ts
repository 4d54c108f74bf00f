/** What every masked value shows when nothing of it may be shown. */
export const HIDDEN = '••••••';

/**
 * A secret as people may see it. Tokens with a known shape keep their first and last four characters (`ghp_…x9Qa`),
 * enough to tell which token it is, never enough to use it; short values and free-form ones (passwords, keys
 * under a secret-looking name) show nothing, because four characters of a password are a good part of it.
 */
export function maskSecret(value: string, style: 'ends' | 'hidden'): string {
  if (style === 'hidden' || value.length < 16) {
    return HIDDEN;
  }
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}
