import { indexTokens } from './indexTokens';
import { isStopWord } from './stopWords';

/** One typed word, as the index's tokens (`read_csv` is `read`, `csv`); `prefix` when it is the word being typed. */
export interface ISearchTerm {
  tokens: string[];
  prefix: boolean;
}

/** What a user typed, understood: free words, exact phrases, excluded words and field filters. */
export interface IParsedQuery {
  /** Free words, stop words left out (unless the query has nothing else). Ranked; a notebook need not hold all. */
  terms: ISearchTerm[];
  /** `"exact phrases"` every result must contain; an unclosed quote runs to the end, its last word a prefix. */
  phrases: ISearchTerm[];
  /** `-word` and `-"phrase"`: no result contains them. */
  excluded: string[][];
  /** `tag:x`: exact tags (case-insensitive), all required. */
  tags: string[];
  /** `owner:y`: a username or group name, all required. */
  owners: string[];
  /** `lang:r`: kernel language or kernel name, as index tokens. */
  languages: string[][];
  /** `package:pandas`: a package the code imports, as index tokens. */
  packages: string[][];
}

/** Free words beyond this many are ignored. */
export const MAX_TERMS = 12;

const FILTER_KEYS: Record<string, 'tags' | 'owners' | 'languages' | 'packages'> = {
  tag: 'tags',
  owner: 'owners',
  user: 'owners',
  lang: 'languages',
  language: 'languages',
  package: 'packages',
  pkg: 'packages',
  import: 'packages'
};

/**
 * Parses a search box query: `tag:x`, `owner:y`, `lang:r`, `package:pandas`, `-word`, `"a phrase"`, and free words.
 * Never throws: quotes need not be balanced, and FTS5 operators (AND, OR, NOT, NEAR, `*`, `^`, parentheses, colons)
 * are read as plain words or punctuation.
 */
export function parseSearchQuery(text: string): IParsedQuery {
  const parsed: IParsedQuery = {
    terms: [],
    phrases: [],
    excluded: [],
    tags: [],
    owners: [],
    languages: [],
    packages: []
  };
  const words: { tokens: string[]; last: boolean }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const negated = text[i] === '-' && i + 1 < n && !/\s/.test(text[i + 1]);
    if (negated) {
      i++;
    }
    const filter = /^([A-Za-z]+):(?=\S)/.exec(text.slice(i));
    const key = filter ? FILTER_KEYS[filter[1].toLowerCase()] : undefined;
    if (key && filter) {
      i += filter[0].length;
    }
    let raw: string;
    let quoted = false;
    let closed = true;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      closed = end !== -1;
      raw = text.slice(i + 1, closed ? end : n);
      i = closed ? end + 1 : n;
      quoted = true;
    } else {
      const match = /^[^\s"]+/.exec(text.slice(i));
      raw = match ? match[0] : '';
      i += raw.length;
    }
    const atEnd = i >= n;
    if (key) {
      if (key === 'tags' || key === 'owners') {
        const value = raw.trim();
        if (value) {
          parsed[key].push(value);
        }
      } else {
        const tokens = indexTokens(raw);
        if (tokens.length > 0) {
          parsed[key].push(tokens);
        }
      }
      continue;
    }
    const tokens = indexTokens(raw);
    if (tokens.length === 0) {
      continue;
    }
    if (negated) {
      parsed.excluded.push(tokens);
    } else if (quoted) {
      parsed.phrases.push({ tokens, prefix: !closed });
    } else {
      words.push({ tokens, last: atEnd });
    }
  }
  // Each word costs index lookups and a ranking subquery; past a dozen, more words no longer change the ranking.
  const meaningful = words
    .filter(word => !(word.tokens.length === 1 && isStopWord(word.tokens[0])))
    .slice(0, MAX_TERMS);
  // A query of stop words alone ("the", "how to") still searches for them rather than for nothing.
  // A one-letter prefix would match a large part of the vocabulary; `lang r` or `plot in R` mean the letter itself.
  parsed.terms = (meaningful.length > 0 ? meaningful : words.slice(0, MAX_TERMS)).map(word => ({
    tokens: word.tokens,
    prefix: word.last && word.tokens[word.tokens.length - 1].length > 1
  }));
  return parsed;
}

/** Whether the query asks for anything: words, phrases or filters (exclusions alone do not count). */
export function isEmptyQuery(query: IParsedQuery): boolean {
  return (
    query.terms.length === 0 &&
    query.phrases.length === 0 &&
    query.tags.length === 0 &&
    query.owners.length === 0 &&
    query.languages.length === 0 &&
    query.packages.length === 0
  );
}
