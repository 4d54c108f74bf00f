import { tokenSpans, type ITokenSpan } from './indexTokens';
import { plainMarkdown } from './markdownText';

/** A snippet as plain text with the matched words as `[start, end)` UTF-16 offsets into it. */
export interface ISnippet {
  text: string;
  highlights: Array<[number, number]>;
}

/** The parts of a notebook a search result quotes from, each at most {@link SNIPPET_SOURCE_CHARS} long. */
export interface ISnippetSources {
  description: string;
  /** Markdown cells as written; quoted as plain text. */
  markdown: string;
  code: string;
}

/**
 * How much of each part a snippet reads: the matches are found again in this text, so a search result costs the
 * same whatever the size of the notebook (FTS5's snippet() re-read every match, 24 s for one of 50,000 cells).
 * A word that appears only further on is not quoted; the result still lists the notebook.
 */
export const SNIPPET_SOURCE_CHARS = 20_000;
/** A snippet's length at most, in characters, without its ellipses: two lines of the sidebar, a bit more. */
export const SNIPPET_LENGTH = 160;
/** Context shown before the first marked word, so two clamped lines in a narrow sidebar always show that word. */
const CONTEXT_BEFORE = 32;
const ELLIPSIS = '…';
/** Characters of a word, for cutting: `_` too, so an identifier such as `read_csv` is kept whole. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

/** A phrase of an FTS5 expression: index tokens in a row, the last one a prefix when `prefix`. */
interface IPhrase {
  tokens: string[];
  prefix: boolean;
}

/** A phrase found in the text: its index in the phrase list and the span of its tokens. */
interface IMatch {
  phrase: number;
  start: number;
  end: number;
}

/**
 * The snippet of a search result: the stretch of description, markdown (as plain text) or code that holds the most
 * of the expression's phrases, as whole words, starting a few words before the first marked one; undefined when
 * none of them holds a phrase (the notebook matched on its title, tags or owner, or further on than is read).
 * `expression` is an FTS5 expression as the search planner writes it; its column-filtered phrases
 * (`{language} : "r"`) are not marked, as they match no text quoted here.
 */
export function searchSnippet(sources: ISnippetSources, expression: string): ISnippet | undefined {
  const phrases = Private.phrasesOf(expression);
  if (phrases.length === 0) {
    return undefined;
  }
  let best: { text: string; matches: IMatch[]; from: number; score: number } | undefined;
  const bounded = (text: string): string => text.slice(0, SNIPPET_SOURCE_CHARS);
  for (const source of [
    bounded(sources.description),
    plainMarkdown(bounded(sources.markdown)),
    bounded(sources.code)
  ]) {
    const text = source.replace(/\s+/g, ' ').trim();
    const matches = Private.findPhrases(text, phrases);
    const window = Private.bestWindow(matches);
    if (window && (!best || window.score > best.score)) {
      best = { text, matches, ...window };
    }
  }
  return best && Private.cut(best.text, best.matches, best.from);
}

namespace Private {
  /** The phrases of an FTS5 expression (`"word"`, `"two words"`, `"prefix"*`), leaving out column-filtered ones. */
  export function phrasesOf(expression: string): IPhrase[] {
    const phrases = new Map<string, IPhrase>();
    for (const [whole, filter, tokens, star] of expression.matchAll(/(\{[^}]*\}\s*:\s*)?"([^"]*)"(\*)?/g)) {
      if (filter === undefined && tokens.trim() !== '') {
        phrases.set(whole, { tokens: tokens.trim().split(/\s+/), prefix: star !== undefined });
      }
    }
    return [...phrases.values()];
  }

  /**
   * Every place a phrase occurs in `text`, in order; overlapping occurrences of several phrases kept. Most text and
   * queries are ASCII, where a token is a run of letters and digits: the phrases' first tokens are then found with
   * `indexOf` in the lower-cased text and checked in place, which reads the text once without making an object per
   * word (tokenizing 20 results' text was most of a search's time at 100,000 notebooks). Other text is tokenized.
   */
  export function findPhrases(text: string, phrases: readonly IPhrase[]): IMatch[] {
    if (!ASCII.test(text) || phrases.some(phrase => phrase.tokens.some(token => !ASCII.test(token)))) {
      return findInTokens(tokenSpans(text), phrases);
    }
    const lower = text.toLowerCase();
    const matches: IMatch[] = [];
    phrases.forEach((phrase, index) => {
      const first = phrase.tokens[0];
      for (let at = lower.indexOf(first); at !== -1; at = lower.indexOf(first, at + 1)) {
        if (at > 0 && isAsciiWordChar(lower.charCodeAt(at - 1))) {
          continue;
        }
        const end = phraseEnd(lower, at, phrase);
        if (end !== -1) {
          matches.push({ phrase: index, start: at, end });
        }
      }
    });
    return matches.sort((a, b) => a.start - b.start || a.phrase - b.phrase);
  }

  const ASCII = /^[\x00-\x7f]*$/;

  /** Whether a UTF-16 code is an ASCII letter or digit: what a token is made of in ASCII text. */
  function isAsciiWordChar(code: number): boolean {
    return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  }

  /**
   * Where `phrase` ends when it starts at the token start `at` of the lower-cased ASCII `lower`, or -1: each token
   * whole, the last one the start of a word when the phrase is a prefix (the match then ends with that word).
   */
  function phraseEnd(lower: string, at: number, phrase: IPhrase): number {
    let position = at;
    const last = phrase.tokens.length - 1;
    for (let index = 0; index <= last; index++) {
      if (index > 0) {
        while (position < lower.length && !isAsciiWordChar(lower.charCodeAt(position))) {
          position++;
        }
      }
      const token = phrase.tokens[index];
      if (!lower.startsWith(token, position)) {
        return -1;
      }
      position += token.length;
      const wordGoesOn = position < lower.length && isAsciiWordChar(lower.charCodeAt(position));
      if (index === last && phrase.prefix) {
        while (position < lower.length && isAsciiWordChar(lower.charCodeAt(position))) {
          position++;
        }
      } else if (wordGoesOn) {
        return -1;
      }
    }
    return position;
  }

  /** {@link findPhrases} over tokens: for text that is not all ASCII, where tokens fold accents and case. */
  function findInTokens(spans: readonly ITokenSpan[], phrases: readonly IPhrase[]): IMatch[] {
    const matches: IMatch[] = [];
    for (let at = 0; at < spans.length; at++) {
      phrases.forEach((phrase, index) => {
        const last = phrase.tokens.length - 1;
        if (at + last >= spans.length) {
          return;
        }
        const found = phrase.tokens.every((token, offset) => {
          const word = spans[at + offset].token;
          return offset === last && phrase.prefix ? word.startsWith(token) : word === token;
        });
        if (found) {
          matches.push({ phrase: index, start: spans[at].start, end: spans[at + last].end });
        }
      });
    }
    return matches;
  }

  /**
   * Where the snippet starts (the index of its first match) so that it holds the most different phrases, then the
   * most matches; the earliest such place. Scored like FTS5's snippet(): distinct phrases count far more.
   */
  export function bestWindow(matches: readonly IMatch[]): { from: number; score: number } | undefined {
    let best: { from: number; score: number } | undefined;
    let end = 0;
    const inWindow = new Map<number, number>();
    for (let from = 0; from < matches.length; from++) {
      const limit = matches[from].start + SNIPPET_LENGTH - CONTEXT_BEFORE;
      for (; end < matches.length && matches[end].end <= limit; end++) {
        inWindow.set(matches[end].phrase, (inWindow.get(matches[end].phrase) ?? 0) + 1);
      }
      const score = inWindow.size * 1000 + (end - from);
      if (!best || score > best.score) {
        best = { from, score };
      }
      const left = matches[from].phrase;
      if (end > from) {
        const count = (inWindow.get(left) ?? 1) - 1;
        if (count > 0) {
          inWindow.set(left, count);
        } else {
          inWindow.delete(left);
        }
      } else {
        end = from + 1;
      }
    }
    return best;
  }

  /**
   * At most {@link SNIPPET_LENGTH} characters of `text` from a word boundary a little before `matches[from]`, cut
   * at word boundaries and never inside a marked word, with ellipses where text was left out.
   */
  export function cut(text: string, matches: readonly IMatch[], from: number): ISnippet {
    const first = matches[from];
    let start = Math.max(0, first.start - CONTEXT_BEFORE);
    if (start > 0) {
      const space = text.indexOf(' ', start - 1);
      start = space >= 0 && space < first.start ? space + 1 : first.start;
    }
    let end = Math.max(first.end, Math.min(text.length, start + SNIPPET_LENGTH));
    // Back to a word boundary, but never before the end of the first marked word.
    while (end > first.end && end < text.length && WORD_CHAR.test(text[end - 1]) && WORD_CHAR.test(text[end])) {
      end--;
    }
    if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) {
      end--;
    }
    const prefix = start > 0 ? ELLIPSIS : '';
    const body = text.slice(start, end).trimEnd();
    const highlights: Array<[number, number]> = [];
    for (const match of matches) {
      if (match.start < start || match.end > start + body.length) {
        continue;
      }
      const range: [number, number] = [match.start - start + prefix.length, match.end - start + prefix.length];
      const previous = highlights[highlights.length - 1];
      if (previous && range[0] < previous[1]) {
        // Phrases that overlap ("join"* and "joins") are marked as one.
        previous[1] = Math.max(previous[1], range[1]);
      } else {
        highlights.push(range);
      }
    }
    return { text: prefix + body + (start + body.length < text.length ? ELLIPSIS : ''), highlights };
  }
}
