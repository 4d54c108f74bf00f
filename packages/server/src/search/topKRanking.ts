import { wordRoot } from './ftsQuery';
import { indexTokens } from './indexTokens';

/*
 * The ranking of the top-k search engine, in one place: how a notebook's text becomes per-term impacts (at index
 * time) and how impacts become a score (at query time). The fast path (topKSearch.ts) and the exact reference scorer
 * both call scoreDocument on the same stored integer impacts, so they agree to the last bit. Nothing here knows a
 * database: SQLite and PostgreSQL store what documentImpacts returns.
 */

/** BM25's term-frequency saturation and length normalisation, as FTS5's bm25() uses them. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * Impacts are stored as integers: the BM25 share times this, rounded. The ranking is defined on the rounded value
 * (a thousandth of a title match's worth, below anything the evaluation tells apart), so an unchanged impact is an
 * unchanged integer and a save can tell which postings it must rewrite, and an integer key is smaller than a float.
 */
export const IMPACT_SCALE = 1000;

/**
 * Lengths up to this are their own bucket; longer ones fall in buckets of {@link LENGTH_STEP}. Lucene does the same
 * (it keeps a document's length as a one-byte norm): BM25 needs the length only roughly, and a notebook that gains a
 * few words stays in its bucket, so none of its other impacts change.
 */
const EXACT_LENGTHS = 32;
/** Each length bucket past {@link EXACT_LENGTHS} is 5% wider than the one before. */
const LENGTH_STEP = 1.05;

/** The bucket of a notebook's length in tokens (monotone: a longer notebook never has a smaller bucket). */
export function lengthBucket(length: number): number {
  if (length <= EXACT_LENGTHS) {
    return length;
  }
  return EXACT_LENGTHS + Math.floor(Math.log(length / EXACT_LENGTHS) / Math.log(LENGTH_STEP));
}

/**
 * The bucket a notebook is ranked with: its length's, unless the notebook was indexed before with a bucket at most one
 * away (`kept`), which it keeps. So edits that go back and forth across a bucket's edge change no other impact; a
 * notebook moves only once its length is a whole bucket (5%) away. The stored impacts define the ranking, for the fast
 * path and the exact reference alike; `rebuild-index` indexes every notebook afresh.
 */
export function rankedBucket(length: number, kept: number | null): number {
  const bucket = lengthBucket(length);
  return kept !== null && Math.abs(bucket - kept) <= 1 ? kept : bucket;
}

/** The length BM25 normalises by for a bucket: its lower edge. */
export function bucketLength(bucket: number): number {
  return bucket <= EXACT_LENGTHS ? bucket : EXACT_LENGTHS * LENGTH_STEP ** (bucket - EXACT_LENGTHS);
}

/** What a notebook's index row holds, as the FTS5 table's columns. */
export interface ISearchColumns {
  title: string;
  description: string;
  tags: string;
  owner: string;
  language: string;
  packages: string;
  markdown: string;
  code: string;
}

/**
 * The groups scored apart, as RANK_SQL does with FTS5: each group's term frequency is a weighted count over its
 * columns, and the group's BM25 is multiplied by its weight (title 12, markdown 2) before the groups are added.
 */
const GROUPS: readonly { multiplier: number; columns: Partial<Record<keyof ISearchColumns, number>> }[] = [
  { multiplier: 12, columns: { title: 1 } },
  { multiplier: 1, columns: { description: 5, tags: 6, owner: 3, language: 3, packages: 4 } },
  { multiplier: 2, columns: { markdown: 1 } },
  { multiplier: 1, columns: { code: 1 } }
];

/** A notebook's terms with their integer impact, its length and length bucket. */
export interface IDocumentImpacts {
  length: number;
  bucket: number;
  impacts: Map<string, number>;
}

/**
 * The impact of each term of a notebook: the sum over groups of multiplier × tf(k1+1)/(tf + k1(1 − b + b·dl/avgdl)),
 * with dl the bucketed length of the whole notebook ({@link rankedBucket}; FTS5's bm25() uses the exact length) and
 * `averageLength` the index's frozen average, times {@link IMPACT_SCALE} and rounded. Multiplied by the term's idf at
 * query time this is one term's share of the score.
 */
export function documentImpacts(
  columns: ISearchColumns,
  averageLength: number,
  keptBucket: number | null = null
): IDocumentImpacts {
  const frequencies = new Map<string, number[]>();
  const count = (term: string, group: number, weight: number): void => {
    let tf = frequencies.get(term);
    if (tf === undefined) {
      tf = [0, 0, 0, 0];
      frequencies.set(term, tf);
    }
    tf[group] += weight;
  };
  let length = 0;
  GROUPS.forEach((group, index) => {
    for (const [column, weight] of Object.entries(group.columns) as [keyof ISearchColumns, number][]) {
      for (const token of indexTokens(columns[column])) {
        length++;
        count(token, index, weight);
      }
    }
  });
  const bucket = rankedBucket(length, keptBucket);
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * bucketLength(bucket)) / averageLength);
  const impacts = new Map<string, number>();
  for (const [term, tf] of frequencies) {
    let impact = 0;
    tf.forEach((frequency, index) => {
      if (frequency > 0) {
        impact += (GROUPS[index].multiplier * (frequency * (BM25_K1 + 1))) / (frequency + norm);
      }
    });
    impacts.set(term, Math.max(1, Math.round(impact * IMPACT_SCALE)));
  }
  return { length, bucket, impacts };
}

/** FTS5's idf: ln((N − n + 0.5)/(n + 0.5)), and a small positive floor for terms in more than half the notebooks. */
export function inverseDocumentFrequency(notebooks: number, documents: number): number {
  const idf = Math.log((notebooks - documents + 0.5) / (documents + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

/** One index term a query word may match, with the idf its impacts are multiplied by. */
export interface IRankedTerm {
  id: number;
  idf: number;
  /** An upper bound of this term's impact in any notebook (kept on write, never lowered until a rebuild). */
  maxImpact: number;
  /** A form of the prefix's own root (`histograms` for `histogram*`, see {@link isRootForm}). */
  form?: boolean;
}

/** Prefixes shorter than this add up no forms: `da` is no word's root. */
const MIN_FORM_PREFIX = 4;

/**
 * Whether `term`, found by the prefix `alternative`, is a form of the prefix's own root (`histograms` for
 * `histogram*`, not `histogramming`'s unrelated kin nor `matplotlib` for `matpl*`). A prefix scores the sum of its
 * forms or its best term, whichever is more: FTS5 counts `histogram*` as `histogram` and `histograms` together, and
 * without it the word class of the evaluation lost `histogram`; adding up every term of a prefix lost prefixes.
 */
export function isRootForm(alternative: { tokens: readonly string[]; prefix: boolean }, term: string): boolean {
  const token = alternative.tokens[0];
  return alternative.prefix && token.length >= MIN_FORM_PREFIX && wordRoot(term) === wordRoot(token);
}

/** One alternative of a query word as FTS5 matches it: a token, or every term starting with a prefix. */
export interface IRankedAlternative {
  terms: IRankedTerm[];
}

/** A query word: its alternatives (as typed, its root as a prefix, the corrections of a typo). */
export interface IRankedWord {
  alternatives: IRankedAlternative[];
}

/**
 * A notebook's score for a query (higher is better): the sum over words, and over each word's alternatives, of the
 * best of the alternative's terms (idf × impact), times the share of the words the notebook holds; zero when it
 * holds none. This follows FTS5's sum over the phrases of the query (so the word as typed, being also in its root's
 * prefix, counts twice, as it does in RANK_SQL), except that a prefix counts its best term, or the sum of the
 * forms of its own root when that is more ({@link isRootForm}), rather than all its terms merged: a bound per term
 * list needs it, and it keeps a short prefix from piling up unrelated words. (A
 * merged term per word root, as FTS5 counts `histogram*`, was tried: it lost more on the evaluation than it won.)
 */
export function scoreDocument(words: readonly IRankedWord[], impacts: ReadonlyMap<number, number>): number {
  let sum = 0;
  let matched = 0;
  for (const word of words) {
    let held = false;
    for (const alternative of word.alternatives) {
      let best = -1;
      let forms = -1;
      for (const term of alternative.terms) {
        const impact = impacts.get(term.id);
        if (impact !== undefined) {
          const score = term.idf * impact;
          if (score > best) {
            best = score;
          }
          if (term.form === true) {
            forms = Math.max(forms, 0) + score;
          }
        }
      }
      best = Math.max(best, forms);
      if (best >= 0) {
        sum += best;
        held = true;
      }
    }
    if (held) {
      matched++;
    }
  }
  return matched === 0 ? 0 : sum * (matched / words.length);
}
