import { editDistance } from './editDistance';
import type { IParsedQuery, ISearchTerm } from './queryParser';
import { synonymsOf } from './synonyms';

/** An index term and the number of notebooks that hold it. */
export interface IVocabularyTerm {
  term: string;
  documents: number;
}

/** The terms of the full-text index, for typo tolerance and word forms; answered from the index itself. */
export interface ITermVocabulary {
  /** Whether some notebook holds `term`; far cheaper than counting them. */
  has(term: string): boolean;
  /** Whether some index term starts with `prefix`. */
  hasPrefix(prefix: string): boolean;
  /** The index terms that start with `first` and whose length is between `minLength` and `maxLength`. */
  startingWith(first: string, minLength: number, maxLength: number): IVocabularyTerm[];
}

/** A parsed query turned into FTS5 expressions and SQL filters; every expression is built from index tokens only. */
export interface ISearchPlan {
  /**
   * What every result matches: phrases, language and package filters, and at least one word in a form the user
   * typed (or a typo correction of it); null for none.
   */
  match: string | null;
  /**
   * The same, with synonyms of the words instead of the words: notebooks that match only this are ranked after
   * those that hold the words themselves, so a synonym never outweighs the word typed. Null when no word has one.
   */
  synonymMatch: string | null;
  /** One expression per word (its forms and synonyms), so ranking can prefer notebooks that hold more of them. */
  terms: string[];
  /**
   * Each word's alternatives as typed (the word, its root's forms, the corrections of a typo) as index tokens, a
   * prefix where FTS5 matches one: what the top-k engine ranks (sqliteTopKListing.ts).
   */
  words: IWordAlternative[][];
  /** What every result must match besides its words: phrases, language and package filters; null for nothing. */
  required: string | null;
  /** What no result may match; null for nothing. */
  excluded: string | null;
  tags: string[];
  owners: string[];
}

/**
 * One alternative of a query word for the top-k engine: `root` marks a word's root, which FTS5 matches as a prefix
 * and the engine as the root's merged forms (topKRanking.ts).
 */
export interface IWordAlternative extends ISearchTerm {
  root: boolean;
}

/** Corrections are tried only for words this long: shorter ones have too many neighbours to guess from. */
const MIN_TYPO_LENGTH = 4;
/** At most this many corrections per word, the closest and most common first. */
const MAX_CORRECTIONS = 3;

/**
 * Plans the FTS5 query for a parsed search. Words are alternatives (`OR`), each widened to its other forms
 * (`joins` → `join*`), its synonyms and, when the index has no such word, the index terms within one or two typos
 * of it. Ranking then weighs BM25 by the share of words a notebook holds, so notebooks with every word come first
 * and a natural-language query still finds notebooks that hold only some of them.
 */
export function planSearch(query: IParsedQuery, vocabulary: ITermVocabulary): ISearchPlan {
  const words = query.terms.map(term => termAlternatives(term, vocabulary));
  const required = [
    ...query.phrases.map(phrase => quote(phrase.tokens, phrase.prefix)),
    ...query.languages.map(tokens => `{language} : ${quote(tokens, false)}`),
    ...query.packages.map(tokens => `{packages} : ${quote(tokens, false)}`)
  ];
  const typed = words.flatMap(word => word.typed);
  const synonyms = words.flatMap(word => word.synonyms);
  const withAny = (alternatives: string[]): string => [...required, anyOf(alternatives)].join(' AND ');
  return {
    match: typed.length > 0 ? withAny(typed) : required.length > 0 ? required.join(' AND ') : null,
    synonymMatch: synonyms.length > 0 ? withAny(synonyms) : null,
    terms: words.map(word => anyOf([...word.typed, ...word.synonyms])),
    words: words.map(word => word.alternatives),
    required: required.length > 0 ? required.join(' AND ') : null,
    excluded: query.excluded.length > 0 ? query.excluded.map(tokens => quote(tokens, false)).join(' OR ') : null,
    tags: query.tags,
    owners: query.owners
  };
}

/** An FTS5 phrase: index tokens cannot hold quotes or operators, so nothing a user typed escapes it. */
function quote(tokens: readonly string[], prefix: boolean): string {
  return `"${tokens.join(' ')}"${prefix ? '*' : ''}`;
}

/** FTS5 alternatives, in parentheses when there are several. */
function anyOf(alternatives: readonly string[]): string {
  const unique = [...new Set(alternatives)];
  return unique.length === 1 ? unique[0] : `(${unique.join(' OR ')})`;
}

/** A word's alternatives: as typed, its other forms and corrections; and, apart, its synonyms. */
function termAlternatives(
  term: ISearchTerm,
  vocabulary: ITermVocabulary
): { typed: string[]; alternatives: IWordAlternative[]; synonyms: string[] } {
  const alternatives = new Set<string>([quote(term.tokens, term.prefix)]);
  const structured: IWordAlternative[] = [{ ...term, root: false }];
  const forms: string[][] = [term.tokens];
  if (term.tokens.length === 1) {
    const word = term.tokens[0];
    const root = wordRoot(word);
    if (root.length >= 4 && !alternatives.has(quote([root], true))) {
      alternatives.add(quote([root], true));
      structured.push({ tokens: [root], prefix: true, root: true });
    }
    if (root !== word) {
      forms.push([root]);
    }
    // The word itself first: a prefix lookup counts the notebooks of the first term it finds, costly for common words.
    const known =
      vocabulary.has(word) ||
      (term.prefix && vocabulary.hasPrefix(word)) ||
      (root !== word && vocabulary.hasPrefix(root));
    if (!known) {
      for (const correction of corrections(word, term.prefix, vocabulary)) {
        if (!alternatives.has(quote([correction], false))) {
          alternatives.add(quote([correction], false));
          structured.push({ tokens: [correction], prefix: false, root: false });
        }
        forms.push([correction]);
      }
    }
  }
  const synonyms = new Set<string>();
  for (const form of forms) {
    for (const synonym of synonymsOf(form)) {
      const phrase = quote(synonym, false);
      if (!alternatives.has(phrase)) {
        synonyms.add(phrase);
      }
    }
  }
  return { typed: [...alternatives], alternatives: structured, synonyms: [...synonyms] };
}

/**
 * The index terms closest to a word the index does not have: same first letter (people rarely mistype it), within
 * one typo for short words and two for long ones. A word being typed is also compared with the start of each term.
 */
function corrections(word: string, prefix: boolean, vocabulary: ITermVocabulary): string[] {
  if (word.length < MIN_TYPO_LENGTH || /^\d+$/.test(word)) {
    return [];
  }
  const max = word.length <= 5 ? 1 : 2;
  const candidates = vocabulary.startingWith(word[0], word.length - max, prefix ? Infinity : word.length + max);
  const scored = candidates
    .map(candidate => {
      let distance = editDistance(word, candidate.term, max);
      if (prefix && candidate.term.length > word.length) {
        distance = Math.min(distance, editDistance(word, candidate.term.slice(0, word.length), max));
      }
      return { ...candidate, distance };
    })
    .filter(candidate => candidate.distance <= max);
  if (scored.length === 0) {
    return [];
  }
  const best = Math.min(...scored.map(candidate => candidate.distance));
  return scored
    .filter(candidate => candidate.distance === best)
    .sort((a, b) => b.documents - a.documents || (a.term < b.term ? -1 : 1))
    .slice(0, MAX_CORRECTIONS)
    .map(candidate => candidate.term);
}

/**
 * A light English stem, enough to match other forms of a word by prefix: `joins` → `join`, `plotting` → `plot`,
 * `studies` → `study`, `smoothed` → `smooth`, `statistically` → `statistical`. Words it does not know stay as typed.
 */
export function wordRoot(word: string): string {
  const strip = (suffix: string, replacement = ''): string | null =>
    word.endsWith(suffix) && word.length - suffix.length >= 3 ? word.slice(0, -suffix.length) + replacement : null;
  const undouble = (stem: string): string =>
    /([^aeiouslz])\1$/.test(stem) && stem.length > 3 ? stem.slice(0, -1) : stem;
  const ies = strip('ies', 'y');
  if (ies) {
    return ies;
  }
  for (const suffix of ['ing', 'ed']) {
    const stem = strip(suffix);
    if (stem) {
      return undouble(stem);
    }
  }
  if (/(s|x|ch|sh)es$/.test(word)) {
    return strip('es') ?? word;
  }
  if (word.endsWith('ly')) {
    return strip('ly') ?? word;
  }
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) {
    return strip('s') ?? word;
  }
  return word;
}
