import type { INotebookSearchText } from '@notebook-gallery/core';
import { indexTokens } from './indexTokens';
import { isStopWord } from './stopWords';

/**
 * What a term of a similarity vector is: a package the code imports ("uses pandas"), a part of a name in the code
 * (`plot_histogram` gives "plot" and "histogram"), or a word of the prose (markdown, title, description, tags).
 */
export type TermKind = 'package' | 'identifier' | 'word';

/** A term with its weight in one notebook (before the inverse document frequency, applied at query time). */
export interface IWeightedTerm {
  kind: TermKind;
  term: string;
  weight: number;
}

/** The text of a notebook the similarity vectors read besides its cells. */
export interface ITermMetadata {
  title: string;
  description: string;
  tags: readonly string[];
}

/** Terms kept per notebook from its cells, and from its title, description and tags; together at most 64. */
export const TEXT_TERMS = 48;
export const METADATA_TERMS = 16;

/** How much one kind of evidence counts: an imported package says more about a notebook than a word in its prose. */
const KIND_WEIGHTS: Readonly<Record<TermKind, number>> = { package: 4, identifier: 1, word: 1 };

/** Weights of the metadata fields, on top of {@link KIND_WEIGHTS} (all are words). */
const TITLE_WEIGHT = 3;
const TAG_WEIGHT = 3;
const DESCRIPTION_WEIGHT = 2;

/** The usual import aliases: the package itself is a term of its own. */
const ALIASES = ['np', 'pd', 'plt', 'sns', 'tf'];

/** Names in code that say nothing about what a notebook does: keywords and builtins of Python, R and Julia. */
const CODE_STOP_WORDS = new Set([
  ...(
    'and as assert async await break class continue def del elif else except false finally for from function ' +
    'global if import in is lambda none nonlocal not or pass raise return self true try while with yield ' +
    'print len range list dict set tuple str int float bool type object super isinstance enumerate zip map ' +
    'filter sorted open min max sum abs round format append items keys values get copy init main args kwargs ' +
    'null nan inf end using module struct begin let local library require repeat next'
  ).split(' '),
  ...ALIASES
]);

/** Words of markdown that are link and file furniture, or code quoted in prose, rather than content. */
const PROSE_NOISE = new Set([...'http https www com org html png jpg svg'.split(' '), ...ALIASES]);

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The candidate terms of a notebook's cells: its imported packages, the parts of the names in its code, and the
 * words of its markdown, each weighted by kind and by how often it occurs (1 + ln count).
 */
export function textTerms(text: INotebookSearchText): IWeightedTerm[] {
  const counts = new Map<string, { kind: TermKind; term: string; count: number }>();
  const add = (kind: TermKind, term: string): void => {
    const key = `${kind}:${term}`;
    const entry = counts.get(key);
    if (entry) {
      entry.count++;
    } else {
      counts.set(key, { kind, term, count: 1 });
    }
  };
  for (const name of text.packages) {
    add('package', name.toLowerCase());
  }
  for (const match of text.code.matchAll(IDENTIFIER)) {
    for (const part of identifierParts(match[0])) {
      if (!CODE_STOP_WORDS.has(part)) {
        add('identifier', part);
      }
    }
  }
  for (const word of proseWords(text.markdown)) {
    add('word', word);
  }
  return [...counts.values()].map(({ kind, term, count }) => ({
    kind,
    term,
    weight: KIND_WEIGHTS[kind] * (1 + Math.log(count))
  }));
}

/** The candidate terms of a notebook's title, description and tags: words, the title's and tags' counting most. */
export function metadataTerms(metadata: ITermMetadata): IWeightedTerm[] {
  const weights = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const word of new Set(proseWords(text))) {
      weights.set(word, (weights.get(word) ?? 0) + weight);
    }
  };
  add(metadata.title, TITLE_WEIGHT);
  add(metadata.description, DESCRIPTION_WEIGHT);
  add(metadata.tags.join(' '), TAG_WEIGHT);
  return [...weights].map(([term, weight]) => ({ kind: 'word', term, weight: KIND_WEIGHTS.word * weight }));
}

/**
 * The `budget` terms with the highest weight times inverse document frequency, so a rare term beats a common one of
 * the same weight. `documents(terms)` tells how many notebooks' vectors hold each term now, out of `corpus`. Only
 * the `4 * budget` heaviest terms are looked up, which bounds the lookups for a notebook with a large vocabulary.
 */
export function strongestTerms(
  candidates: readonly IWeightedTerm[],
  budget: number,
  corpus: number,
  documents: (terms: readonly IWeightedTerm[]) => number[]
): IWeightedTerm[] {
  const heaviest = [...candidates].sort(byWeight).slice(0, 4 * budget);
  const counts = documents(heaviest);
  return heaviest
    .map((term, i) => ({ term, score: term.weight * inverseDocumentFrequency(corpus, counts[i]) }))
    .sort((a, b) => b.score - a.score || byWeight(a.term, b.term))
    .slice(0, budget)
    .map(({ term }) => term);
}

/**
 * ln(1 + N / df): positive even for a term every notebook holds, largest for a term no other notebook holds yet.
 * The similarity query computes the same expression in SQL.
 */
export function inverseDocumentFrequency(corpus: number, documents: number): number {
  return Math.log(1 + Math.max(corpus, 1) / Math.max(documents, 1));
}

/** `plotHistogram2D` -> plot, histogram; `read_csv` -> read, csv: lower case, at least 3 letters, no digits only. */
export function identifierParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s\d]+/)
    .map(part => part.toLowerCase())
    .filter(part => part.length >= 3);
}

/** The words of prose as the search index splits them, without stop words, numbers and words under 3 letters. */
function proseWords(text: string): string[] {
  return indexTokens(text).filter(
    word => word.length >= 3 && !/^\d+$/.test(word) && !isStopWord(word) && !PROSE_NOISE.has(word)
  );
}

/** Heaviest first; ties in a fixed order, so the same notebook always keeps the same terms. */
function byWeight(a: IWeightedTerm, b: IWeightedTerm): number {
  return b.weight - a.weight || compare(a.kind, b.kind) || compare(a.term, b.term);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
