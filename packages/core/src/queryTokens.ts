/**
 * The search box's words as the server's query parser reads them (`tag:x`, `owner:"a b"`, free words), so the
 * sidebar's chips and tag suggestions and the gallery page's facet links add and remove filters the same way, without
 * disturbing what the user typed.
 */

/** The filters a chip can add to the search. */
export type FilterKey = 'tag' | 'owner' | 'lang';

/** The query word for `key:value`, quoted when the value has spaces or quotes would otherwise end it. */
export function filterToken(key: FilterKey, value: string): string {
  return /[\s"]/.test(value) ? `${key}:"${value.replace(/"/g, '')}"` : `${key}:${value}`;
}

/** Split a query into words, keeping a quoted part (`tag:"a b"`, `"a phrase"`) in its word. */
export function queryWords(query: string): string[] {
  return query.match(/(?:[^\s"]+|"[^"]*"?)+/g) ?? [];
}

/** Whether `query` already has `token`, ignoring case and quotes (the server compares tags case-insensitively). */
export function hasWord(query: string, token: string): boolean {
  const wanted = Private.normalize(token);
  return queryWords(query).some(word => Private.normalize(word) === wanted);
}

/** `query` with `token` added at the end, or taken out when it is there: what clicking a chip does. */
export function toggleWord(query: string, token: string): string {
  const wanted = Private.normalize(token);
  const words = queryWords(query);
  const kept = words.filter(word => Private.normalize(word) !== wanted);
  return (kept.length === words.length ? [...words, token] : kept).join(' ');
}

/** The word the caret is in or at the end of, with where it starts and ends in `text`. */
export function wordAt(text: string, caret: number): { word: string; start: number; end: number } {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1])) {
    start--;
  }
  let end = caret;
  while (end < text.length && !/\s/.test(text[end])) {
    end++;
  }
  return { word: text.slice(start, end), start, end };
}

namespace Private {
  export function normalize(word: string): string {
    return word.replace(/"/g, '').toLowerCase();
  }
}
