import { scoreDocument, type IRankedWord } from './topKRanking';

/** One entry of a term's impact-ordered list. */
export interface IPosting {
  seq: number;
  impact: number;
}

/**
 * What the engine reads, for one query of one caller. It knows no SQL and no backend: SQLite answers it with plain
 * tables (repositories/sqlite/sqliteTopKIndex.ts), PostgreSQL can with the same tables; both through promises.
 * Impacts are the integers of topKRanking.ts.
 */
export interface ITopKSource {
  /** A term's postings by descending (impact, seq), strictly after `after` when given, at most `limit`. */
  postings(termId: number, after: IPosting | null, limit: number): Promise<IPosting[]>;
  /** For each notebook, the impacts of those of `termIds` it holds. */
  impacts(seqs: readonly number[], termIds: ReadonlySet<number>): Promise<Map<number, Map<number, number>>>;
  /**
   * The notebooks among `seqs` that this caller may read and the listing's filters keep, with their ids: the read
   * rule enters here, so the top k are the best k this caller may read.
   */
  admit(seqs: readonly number[]): Promise<Map<number, string>>;
}

/** A ranked notebook: higher score first, then smaller id. */
export interface IScored {
  seq: number;
  id: string;
  score: number;
}

/** Where a page starts: the last notebook of the previous page. */
export interface IRankCursor {
  score: number;
  id: string;
}

/** Whether `a` ranks before `b`. */
export function ranksBefore(a: IRankCursor, b: IRankCursor): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/**
 * Postings read per step from one list: the first block is enough to fill a page when a tenth of the gallery is
 * readable; each further read of the same list doubles it (up to the maximum), so a list read to its end because
 * a filter keeps few of its notebooks costs tens of queries rather than hundreds.
 */
const BLOCK = 128;
const MAX_BLOCK = 4096;

interface IListState {
  termId: number;
  idf: number;
  after: IPosting | null;
  /** No notebook further down this list scores more than this for its term. */
  bound: number;
  done: boolean;
  /** How many postings the next read asks for. */
  block: number;
}

/**
 * The best `k` notebooks for a query, after `after`, without scoring every match: a threshold algorithm over the
 * terms' impact-ordered lists. It always reads the next block of the list whose bound is highest; each notebook seen
 * for the first time is checked against the read rule and filters and, when kept, scored exactly from all its
 * impacts. No notebook not yet seen can score more than the sum over words of the best bound among the word's lists
 * (the share of words held is at most 1), so reading stops once the k-th score is above that sum.
 */
export async function topK(
  words: readonly IRankedWord[],
  source: ITopKSource,
  k: number,
  after: IRankCursor | null = null
): Promise<IScored[]> {
  const lists = new Map<number, IListState>();
  for (const word of words) {
    for (const alternative of word.alternatives) {
      for (const term of alternative.terms) {
        lists.set(term.id, {
          termId: term.id,
          idf: term.idf,
          after: null,
          bound: term.idf * term.maxImpact,
          done: false,
          block: BLOCK
        });
      }
    }
  }
  const termIds = new Set(lists.keys());
  const seen = new Set<number>();
  const top: IScored[] = [];
  for (;;) {
    let next: IListState | undefined;
    for (const list of lists.values()) {
      if (!list.done && (next === undefined || list.bound > next.bound)) {
        next = list;
      }
    }
    if (next === undefined) {
      break;
    }
    if (top.length >= k && top[k - 1].score > unseenBound(words, lists)) {
      break;
    }
    const block = await source.postings(next.termId, next.after, next.block);
    if (block.length < next.block) {
      next.done = true;
    }
    next.block = Math.min(2 * next.block, MAX_BLOCK);
    if (block.length > 0) {
      next.after = block[block.length - 1];
      next.bound = next.idf * next.after.impact;
    }
    const fresh: number[] = [];
    for (const posting of block) {
      if (seen.has(posting.seq)) {
        continue;
      }
      seen.add(posting.seq);
      // A notebook first seen here was unseen in every other list down to its bound, and holds this term with this
      // impact: it can score no more than that. Below the k-th score it can never enter the page, not even when
      // another list reaches it later (it is seen then), so it is neither admitted nor scored.
      if (top.length >= k && unseenBound(words, lists, next, next.idf * posting.impact) < top[k - 1].score) {
        continue;
      }
      fresh.push(posting.seq);
    }
    for (const scored of await scoreAll(words, source, fresh, termIds, after)) {
      insert(top, scored, k);
    }
  }
  return top;
}

/**
 * The most a notebook not seen yet can score: for each word and alternative, the highest bound among the
 * alternative's lists not read to the end (a notebook in none of them is in a list already read past it). With
 * `held`, the most a notebook can score that was unseen until it turned up in that list's block with the score
 * `heldBound` for its term (the list counts with that bound even when this block was its last).
 */
function unseenBound(
  words: readonly IRankedWord[],
  lists: ReadonlyMap<number, IListState>,
  held?: IListState,
  heldBound = 0
): number {
  let sum = 0;
  let holdable = 0;
  for (const word of words) {
    let live = false;
    for (const alternative of word.alternatives) {
      let best = 0;
      let forms = 0;
      for (const term of alternative.terms) {
        const list = lists.get(term.id)!;
        if (list !== held && list.done) {
          continue;
        }
        live = true;
        const bound = list === held ? heldBound : list.bound;
        best = Math.max(best, bound);
        if (term.form === true) {
          forms += bound;
        }
      }
      sum += Math.max(best, forms);
    }
    holdable += live ? 1 : 0;
  }
  // scoreDocument scales the sum by the share of words a notebook holds, and a notebook unseen can hold only the
  // words that still have a list not read to its end: the others' lists would have shown it.
  return words.length === 0 ? 0 : (sum * holdable) / words.length;
}

/**
 * The exact reference ranking: every notebook that holds any term of the query, checked, scored and sorted. The
 * tests compare {@link topK} with it; it reads every posting, so it is for tests and small galleries only.
 */
export async function exactRanking(
  words: readonly IRankedWord[],
  source: ITopKSource,
  after: IRankCursor | null = null
): Promise<IScored[]> {
  const termIds = new Set(
    words.flatMap(word => word.alternatives.flatMap(alternative => alternative.terms.map(term => term.id)))
  );
  const seqs = new Set<number>();
  for (const termId of termIds) {
    let last: IPosting | null = null;
    for (;;) {
      const block = await source.postings(termId, last, 10_000);
      block.forEach(posting => seqs.add(posting.seq));
      if (block.length < 10_000) {
        break;
      }
      last = block[block.length - 1];
    }
  }
  return (await scoreAll(words, source, [...seqs], termIds, after)).sort((a, b) =>
    ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0
  );
}

/**
 * The ranking restricted to `seqs`, a superset of the notebooks a filter keeps (every match among them scored and
 * sorted): exact when the filter keeps few notebooks, where reading the terms' lists would pass over many others.
 */
export async function rankAmong(
  words: readonly IRankedWord[],
  source: ITopKSource,
  seqs: readonly number[],
  after: IRankCursor | null = null
): Promise<IScored[]> {
  const termIds = new Set(
    words.flatMap(word => word.alternatives.flatMap(alternative => alternative.terms.map(term => term.id)))
  );
  return (await scoreAll(words, source, seqs, termIds, after)).sort((a, b) =>
    ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0
  );
}

/** The notebooks among `seqs` the caller may read and the filters keep, scored, those not after `after` left out. */
async function scoreAll(
  words: readonly IRankedWord[],
  source: ITopKSource,
  seqs: readonly number[],
  termIds: ReadonlySet<number>,
  after: IRankCursor | null
): Promise<IScored[]> {
  if (seqs.length === 0) {
    return [];
  }
  const admitted = await source.admit(seqs);
  if (admitted.size === 0) {
    return [];
  }
  const impacts = await source.impacts([...admitted.keys()], termIds);
  const scored: IScored[] = [];
  for (const [seq, id] of admitted) {
    const score = scoreDocument(words, impacts.get(seq) ?? new Map());
    const candidate = { seq, id, score };
    if (score > 0 && (after === null || ranksBefore(after, candidate))) {
      scored.push(candidate);
    }
  }
  return scored;
}

/** Inserts into a list kept sorted and at most `k` long. */
function insert(top: IScored[], scored: IScored, k: number): void {
  if (top.length >= k && !ranksBefore(scored, top[k - 1])) {
    return;
  }
  let index = top.length;
  while (index > 0 && ranksBefore(scored, top[index - 1])) {
    index--;
  }
  top.splice(index, 0, scored);
  if (top.length > k) {
    top.pop();
  }
}
