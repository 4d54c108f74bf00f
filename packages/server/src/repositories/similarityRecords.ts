import type { IWeightedTerm, TermKind } from '../search/termVectors';
import type { ISharedTerm } from './similarityRepository';

/*
 * What the similarity repositories of both backends share: the bounds of the similar query, the vector a save
 * stores, and the reasons read from the shared terms' rows. Their SQL stays each backend's own.
 */

/** Reasons given per similar notebook. */
export const REASONS = 3;

/**
 * Candidates come from the query notebook's strongest terms (weight times idf), this many; for each, from the
 * notebooks the caller may read where the term weighs most (highest impact), this many. That bounds the query's cost
 * however large the gallery and however common the terms; the candidates are then scored with all their terms.
 */
export const WALKED_TERMS = 32;
export const POSTINGS_PER_TERM = 100;

/**
 * Candidates, ranked by the sum of their walked terms' impacts, that are scored exactly: at least this many, or ten
 * times the number asked for.
 */
export const MIN_CANDIDATES = 50;

/** A term of a notebook's vector as stored: its weight from the cells and from title, description and tags. */
export interface IStoredTerm {
  kind: TermKind;
  term: string;
  text: number;
  metadata: number;
}

/** A stored term as both backends read a notebook's vector: with its term's id and its impact. */
export type IStoredTermRow = IStoredTerm & { id: number; impact: number };

/** A term's key in the maps of a vector: a term counts once per kind. */
export function termKey(term: { kind: TermKind; term: string }): string {
  return `${term.kind}:${term.term}`;
}

/** The vector of the strongest terms of the cells, by key, before the metadata's terms are added. */
export function textVector(strongest: readonly IWeightedTerm[]): Map<string, IStoredTerm> {
  const wanted = new Map<string, IStoredTerm>();
  for (const term of strongest) {
    wanted.set(termKey(term), { kind: term.kind, term: term.term, text: term.weight, metadata: 0 });
  }
  return wanted;
}

/** The stored vector's terms from the cells, with their text weights alone (the metadata's are replaced). */
export function storedTextVector(stored: Iterable<IStoredTerm>): Map<string, IStoredTerm> {
  const wanted = new Map<string, IStoredTerm>();
  for (const row of stored) {
    if (row.text > 0) {
      wanted.set(termKey(row), { kind: row.kind, term: row.term, text: row.text, metadata: 0 });
    }
  }
  return wanted;
}

/** Adds the strongest terms of title, description and tags to `wanted` as their metadata weights. */
export function addMetadataTerms(wanted: Map<string, IStoredTerm>, strongest: readonly IWeightedTerm[]): void {
  for (const term of strongest) {
    const row = wanted.get(termKey(term));
    if (row) {
      row.metadata = term.weight;
    } else {
      wanted.set(termKey(term), { kind: term.kind, term: term.term, text: 0, metadata: term.weight });
    }
  }
}

/** The Euclidean norm of a vector's weights, by which each term's impact is its weight divided. */
export function vectorNorm(wanted: ReadonlyMap<string, IStoredTerm>): number {
  let squares = 0;
  for (const row of wanted.values()) {
    squares += (row.text + row.metadata) ** 2;
  }
  return Math.sqrt(squares);
}

/** A term a similar notebook shares with the query notebook; each notebook's rows come strongest first. */
export interface ISharedTermRow {
  seq: number;
  kind: TermKind;
  term: string;
}

/** For each notebook in the rows, its first {@link REASONS} shared terms, each term once whatever its kind. */
export function sharedTerms(rows: readonly ISharedTermRow[]): Map<number, ISharedTerm[]> {
  const result = new Map<number, ISharedTerm[]>();
  for (const row of rows) {
    const list = result.get(row.seq) ?? [];
    if (list.length < REASONS && !list.some(term => term.term === row.term)) {
      list.push({ kind: row.kind, term: row.term });
    }
    result.set(row.seq, list);
  }
  return result;
}
