/**
 * Splits text the way the index's tokenizer (unicode61, remove_diacritics 2) does: lower case, accents dropped, runs
 * of letters and digits. So whatever a user types becomes tokens that cannot carry FTS5 syntax.
 */
export function indexTokens(text: string): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** A token of some text and where it stands in it, as `[start, end)` UTF-16 offsets. */
export interface ITokenSpan {
  token: string;
  start: number;
  end: number;
}

/** The tokens {@link indexTokens} finds in `text`, each with its place in `text` as written, for highlighting. */
export function tokenSpans(text: string): ITokenSpan[] {
  const spans: ITokenSpan[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)) {
    const word = match[0];
    // Most words are ASCII: lower-casing them is all the normalisation they need, and far cheaper.
    const token = /^[\x20-\x7e]*$/.test(word) ? word.toLowerCase() : indexTokens(word).join('');
    spans.push({ token, start: match.index, end: match.index + word.length });
  }
  return spans;
}
