/**
 * Turns what a user typed into a safe FTS5 query: every word becomes a quoted phrase (so FTS5 operators and
 * punctuation are plain text), words must all match, and the last word matches as a prefix for search-as-you-type.
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .map(term => term.replace(/"/g, ''))
    .filter(term => /[\p{L}\p{N}]/u.test(term));
  if (terms.length === 0) {
    return null;
  }
  return terms.map((term, index) => `"${term}"${index === terms.length - 1 ? '*' : ''}`).join(' ');
}
