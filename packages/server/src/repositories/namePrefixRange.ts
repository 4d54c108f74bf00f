/** What user and group names are made of (auth/usernames.ts): a prefix with anything else matches none. */
const NAME_CHARACTERS = /^[A-Za-z0-9._-]*$/;

/** Above every character of a name: the end of the range when the prefix is empty. */
const ABOVE_NAME_CHARACTERS = '\u007f';

/** The half-open range `[from, to)` of lower-cased names that start with a prefix. */
export interface IFoldedNameRange {
  from: string;
  to: string;
}

/**
 * The range of `lower(name)` that names starting with `prefix` in any case fall in, for an index on `lower(name)`:
 * unlike LIKE it needs no escaping (`%` and `_` are plain characters) and carries to PostgreSQL as it is. Null when
 * no valid name can start with `prefix`.
 */
export function foldedNameRange(prefix: string): IFoldedNameRange | null {
  // Checked before lower-casing: JavaScript folds some non-ASCII letters (the Kelvin sign) to ASCII, SQL does not.
  if (!NAME_CHARACTERS.test(prefix)) {
    return null;
  }
  const from = prefix.toLowerCase();
  if (from === '') {
    return { from, to: ABOVE_NAME_CHARACTERS };
  }
  // Names are ASCII, so the next string after every one starting with `from` ends one code point higher.
  const last = from.charCodeAt(from.length - 1);
  return { from, to: `${from.slice(0, -1)}${String.fromCharCode(last + 1)}` };
}
