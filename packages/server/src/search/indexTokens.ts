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
