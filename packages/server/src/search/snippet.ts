/** A snippet as plain text with the matched words as `[start, end)` UTF-16 offsets into it. */
export interface ISnippet {
  text: string;
  highlights: Array<[number, number]>;
}

/** Marks FTS5's snippet() puts around each match: control characters, which indexed text does not contain. */
export const SNIPPET_OPEN = '\u0001';
export const SNIPPET_CLOSE = '\u0002';

/** Turns a snippet marked with {@link SNIPPET_OPEN} and {@link SNIPPET_CLOSE} into text and highlight ranges. */
export function parseMarkedSnippet(marked: string): ISnippet {
  let text = '';
  const highlights: Array<[number, number]> = [];
  let start = -1;
  for (const char of marked) {
    if (char === SNIPPET_OPEN) {
      start = text.length;
    } else if (char === SNIPPET_CLOSE) {
      if (start >= 0 && text.length > start) {
        highlights.push([start, text.length]);
      }
      start = -1;
    } else {
      text += char;
    }
  }
  return { text, highlights };
}
