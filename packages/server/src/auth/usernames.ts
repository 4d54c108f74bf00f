/** Usernames appear in URLs, commit authors and emails, so they stay simple. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** Group names follow the username rules; the two live in separate namespaces. */
export const GROUP_NAME_PATTERN = USERNAME_PATTERN;

/** Whether `name` may be a username (or a group name). */
export function isValidName(name: string): boolean {
  return new RegExp(USERNAME_PATTERN).test(name);
}

/**
 * Turns a name from an identity provider or proxy header (e.g. `Ann.Lee@uni.example`) into a valid username,
 * or null when nothing usable is left.
 */
export function sanitizeUsername(raw: string): string | null {
  const cleaned = raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return isValidName(cleaned) ? cleaned : null;
}
