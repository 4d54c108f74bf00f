import { indexTokens } from '../../search/indexTokens';

/**
 * PostgreSQL's four weights, as the search index uses them: A the title; B description and tags; C owner, kernel
 * language and packages; D markdown and code. The ranking's weight array (ts_rank takes them D, C, B, A) keeps the
 * order of SQLite's column weights (sqliteSearchIndex.ts: title 12, tags 6, description 5, packages 4, owner and
 * language 3, markdown 2, code 1) with four steps instead of eight.
 */
export type SearchWeight = 'A' | 'B' | 'C' | 'D';

/** `ts_rank`'s weights, in its order {D, C, B, A}: a title word counts ten times a word in the code. */
export const RANK_WEIGHTS = '{0.1, 0.3, 0.5, 1.0}';

/** One field of a notebook as the index reads it: its text and the weight its words carry. */
export interface ISearchField {
  text: string;
  weight: SearchWeight;
  /**
   * Also index each word as `${filter}${word}`, matched only by the field filters of the query language
   * (`lang:`, `package:`): a word of code never matches `lang:r`. Tokens hold only letters and digits, so these
   * lexemes (with `=`) never collide with a word.
   */
  filter?: string;
}

/** The lexeme prefix of `lang:` filters and of `package:` filters. */
export const LANGUAGE_FILTER = 'language=';
export const PACKAGE_FILTER = 'package=';

/** PostgreSQL keeps at most 256 positions per lexeme and positions up to 16,383 (later ones are clamped to it). */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16_383;
/**
 * A tsvector is at most 1 MB. A notebook is cut off well below: past this many bytes no new word is indexed (the
 * words of its first 16,383 tokens always are). Only a notebook of hundreds of thousands of distinct words reaches it.
 */
const MAX_VECTOR_BYTES = 800_000;
/**
 * PostgreSQL refuses a tsvector with a lexeme longer than this (in bytes). A longer word (a base64 blob, a long run
 * of digits) is left out of the vector, and the notebook is saved and found by its other words: no query can name
 * such a word anyway, since a search is at most 500 characters.
 */
export const MAX_LEXEME_BYTES = 2_046;

/**
 * The tsvector of a notebook's fields, as PostgreSQL's text input (`'word':1A,7D ...`), made from the same tokens as
 * SQLite's FTS5 tokenizer (indexTokens: lower case, accents dropped, runs of letters and digits), so both backends
 * match the same words; PostgreSQL's own parsers would split `read_csv`, `3.14` or URLs differently. Consecutive
 * fields are one position apart, so a phrase never spans two fields (FTS5 matches phrases within a column).
 */
export function searchVector(fields: readonly ISearchField[]): string {
  const lexemes = new Map<string, string[]>();
  let position = 0;
  let bytes = 0;
  const add = (lexeme: string, weight: SearchWeight): void => {
    let positions = lexemes.get(lexeme);
    if (positions === undefined) {
      const length = Buffer.byteLength(lexeme);
      if (bytes > MAX_VECTOR_BYTES || length > MAX_LEXEME_BYTES) {
        return;
      }
      positions = [];
      lexemes.set(lexeme, positions);
      bytes += length + 8;
    }
    if (positions.length < MAX_POSITIONS && (position <= MAX_POSITION || positions.length === 0)) {
      positions.push(`${Math.min(position, MAX_POSITION)}${weight}`);
      bytes += 2;
    }
  };
  for (const field of fields) {
    position++;
    for (const token of indexTokens(field.text)) {
      position++;
      add(token, field.weight);
      if (field.filter !== undefined) {
        add(field.filter + token, field.weight);
      }
    }
  }
  return [...lexemes].map(([lexeme, positions]) => `'${lexeme}':${positions.join(',')}`).join(' ');
}

/** The words of a vector the vocabulary counts: its lexemes without the field filters' ones. */
export function isVocabularyWord(lexeme: string): boolean {
  return !lexeme.includes('=');
}
