import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { planSearch, type ISearchPlan, type ITermVocabulary, type IVocabularyTerm } from '../../search/ftsQuery';
import type { IParsedQuery } from '../../search/queryParser';
import type { PgParams } from './pgParams';
import { LANGUAGE_FILTER, PACKAGE_FILTER, RANK_WEIGHTS } from './pgSearchVector';

/** One phrase of a planned expression: index tokens in a row, the last a prefix when `prefix`, in a field or not. */
interface IPhrase {
  /** As the expression writes it, to tell the same phrase in two expressions. */
  text: string;
  tokens: string[];
  prefix: boolean;
  field: 'language' | 'packages' | null;
}

/** The parts of a planned FTS5 expression: phrases (with their field filter), operators and parentheses. */
const EXPRESSION_PART = /(?:\{(\w+)\}\s*:\s*)?"([^"]*)"(\*)?|\(|\)|\bAND\b|\bOR\b/g;

/** Past every character, so `term >= p AND term < p || LAST` selects the terms starting with `p` in byte order. */
const LAST = '\u{10FFFF}';

/**
 * A planned FTS5 expression (search/ftsQuery.ts) as a tsquery: phrases become `'a' <-> 'b'`, prefixes `'a':*`,
 * `{language}`/`{packages}` phrases the field filters' lexemes (pgSearchVector.ts), AND `&`, OR `|`. The planner
 * writes only index tokens (letters and digits) inside quotes, so nothing a user typed reaches the tsquery syntax.
 */
export function tsQueryOf(expression: string): string {
  return expression.replace(EXPRESSION_PART, (part: string) => {
    if (part === 'AND') {
      return '&';
    }
    if (part === 'OR') {
      return '|';
    }
    if (part === '(' || part === ')') {
      return part;
    }
    return Private.phraseQuery(Private.phrase(part));
  });
}

/** The phrases of a planned expression, each once. */
export function phrasesOf(expression: string): IPhrase[] {
  const phrases = new Map<string, IPhrase>();
  for (const match of expression.matchAll(EXPRESSION_PART)) {
    if (match[0].includes('"')) {
      phrases.set(match[0], Private.phrase(match[0]));
    }
  }
  return [...phrases.values()];
}

/**
 * Plans a parsed query (planSearch, the same planner as SQLite's) against the vocabulary table `search_terms`. The
 * planner asks its vocabulary synchronously; this one answers what it was told and notes what it was asked but did
 * not know, which is then read in one round trip per kind, and the planning repeated until it asks nothing new
 * (at most four rounds: the word, its prefix, its root, then typo candidates).
 */
export async function planWithVocabulary(db: PgDatabase, query: IParsedQuery): Promise<ISearchPlan> {
  const vocabulary = new Private.LearningVocabulary();
  for (;;) {
    const plan = planSearch(query, vocabulary);
    if (!vocabulary.hasQuestions) {
      return plan;
    }
    await vocabulary.learn(db);
  }
}

/**
 * The rows of `notebooks` that match a plan, as a subquery aliased by the caller, with `rank` (lower is better) and
 * `arm` (0: matched the words, 1: only their synonyms, whose snippet marks those), twin of SQLite's
 * matchingNotebooksSql. The score of a notebook is, over the query's words, the word's idf (from the vocabulary)
 * times `ts_rank` of its forms with the field weights and no length normalisation (a title match is worth a title
 * match however long the notebook: ts_rank counts repeated occurrences with diminishing weight, so code cannot pile
 * up past a title), scaled by the share of the words the notebook holds. Notebooks matching only through synonyms
 * follow, scored over the synonyms. With `ranked` false (other sorts, facets) no score is computed.
 */
export async function pgMatchingNotebooks(
  db: PgDatabase,
  plan: ISearchPlan & { match: string },
  params: PgParams,
  ranked: boolean
): Promise<string> {
  const match = params.add(tsQueryOf(plan.match));
  const synonyms = plan.synonymMatch === null ? null : params.add(tsQueryOf(plan.synonymMatch));
  const where =
    synonyms === null
      ? `s.document @@ ${match}::tsquery`
      : `(s.document @@ ${match}::tsquery OR s.document @@ ${synonyms}::tsquery)`;
  const arm = synonyms === null ? '0' : `(CASE WHEN s.document @@ ${match}::tsquery THEN 0 ELSE 1 END)`;
  if (!ranked) {
    return `(SELECT n.*, ${arm} AS arm FROM notebook_search s JOIN notebooks n ON n.seq = s.seq WHERE ${where})`;
  }
  const scores = await Private.wordScores(db, plan, match, params, synonyms !== null);
  const rank =
    synonyms === null
      ? `(-1.0 - ${scores.typed})`
      : `(CASE WHEN s.document @@ ${match}::tsquery THEN -1.0 - ${scores.typed} ELSE -${scores.all} / (1.0 + ${scores.all}) END)`;
  return `(SELECT n.*, ${rank} AS rank, ${arm} AS arm
    FROM notebook_search s JOIN notebooks n ON n.seq = s.seq WHERE ${where})`;
}

namespace Private {
  export function phrase(text: string): IPhrase {
    const [, field, tokens, star] = /^(?:\{(\w+)\}\s*:\s*)?"([^"]*)"(\*)?$/.exec(text) ?? [];
    return {
      text,
      tokens: (tokens ?? '')
        .trim()
        .split(/\s+/)
        .filter(token => token !== ''),
      prefix: star !== undefined,
      field: field === 'language' || field === 'packages' ? field : null
    };
  }

  export function phraseQuery(phrase: IPhrase): string {
    const lexeme = phrase.field === 'language' ? LANGUAGE_FILTER : phrase.field === 'packages' ? PACKAGE_FILTER : '';
    const parts = phrase.tokens.map(
      (token, index) => `'${lexeme}${token}'${phrase.prefix && index === phrase.tokens.length - 1 ? ':*' : ''}`
    );
    return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
  }

  /** The distinct lexemes of some phrases: what ts_rank divides its sum by. */
  function lexemeCount(phrases: readonly IPhrase[]): number {
    return new Set(phrases.flatMap(phrase => phrase.tokens)).size;
  }

  /**
   * The sum over the query's words of idf times ts_rank (times the number of lexemes, which ts_rank averages over),
   * over the forms typed (`typed`) and over forms and synonyms (`all`), each scaled by the share of words held.
   */
  export async function wordScores(
    db: PgDatabase,
    plan: ISearchPlan,
    match: string,
    params: PgParams,
    withSynonyms: boolean
  ): Promise<{ typed: string; all: string }> {
    const weights = `'${RANK_WEIGHTS}'::float4[]`;
    const rankOf = (query: string, phrases: readonly IPhrase[]): string =>
      `ts_rank(${weights}, s.document, ${query}::tsquery, 0) * ${lexemeCount(phrases)}`;
    if (plan.terms.length === 0) {
      // Phrases and field filters only: the whole expression's rank.
      const whole = `ts_rank(${weights}, s.document, ${match}::tsquery, 0)`;
      return { typed: whole, all: whole };
    }
    const matched = new Set(phrasesOf(plan.match ?? '').map(phrase => phrase.text));
    const words = plan.terms.map(term => {
      const all = phrasesOf(term);
      const typed = all.filter(phrase => matched.has(phrase.text));
      return { all, typed: typed.length > 0 ? typed : all };
    });
    const idfs = await inverseFrequencies(
      db,
      words.map(word => word.typed)
    );
    const typedSum: string[] = [];
    const allSum: string[] = [];
    const held: string[] = [];
    // A value PostgreSQL never reads has no type it can infer: the forms with synonyms are bound only when used.
    const needsAll = withSynonyms || words.length >= 2;
    words.forEach((word, index) => {
      const idf = params.add(idfs[index]);
      const typed = params.add(word.typed.map(phraseQuery).join(' | '));
      typedSum.push(`${idf}::float8 * ${rankOf(typed, word.typed)}`);
      if (needsAll) {
        const all = params.add(word.all.map(phraseQuery).join(' | '));
        allSum.push(`${idf}::float8 * ${rankOf(all, word.all)}`);
        held.push(`(s.document @@ ${all}::tsquery)::int`);
      }
    });
    const share = words.length < 2 ? '1.0' : `((${held.join(' + ')})::float8 / ${words.length})`;
    return {
      typed: `((${typedSum.join(' + ')}) * ${share})`,
      all: needsAll ? `((${allSum.join(' + ')}) * ${share})` : 'NULL'
    };
  }

  /**
   * `ln(1 + N / df)` per word, df being the notebook count of its most common exact form (1 for a word only being
   * typed, which no notebook holds whole), N the number of indexed notebooks: the planner's estimate once the
   * table is large (counting 100,000 rows per search would cost more than the search), the count while it is small.
   */
  async function inverseFrequencies(db: PgDatabase, words: readonly (readonly IPhrase[])[]): Promise<number[]> {
    const tokens = [
      ...new Set(words.flatMap(word => word.flatMap(phrase => (phrase.tokens.length === 1 ? phrase.tokens : []))))
    ];
    const [total, counts] = await Promise.all([
      db.queryOne<{ n: number }>(
        `SELECT CASE WHEN c.reltuples >= 10000 THEN c.reltuples::bigint
           ELSE (SELECT count(*) FROM notebook_search) END AS n
         FROM pg_class c WHERE c.oid = 'notebook_search'::regclass`
      ),
      db.query<{ term: string; documents: number }>(
        'SELECT term, documents FROM search_terms WHERE term = ANY($1::text[])',
        [tokens]
      )
    ]);
    const n = Math.max(1, total?.n ?? 1);
    const documents = new Map(counts.map(row => [row.term, row.documents]));
    return words.map(word => {
      const df = Math.max(1, ...word.flatMap(phrase => phrase.tokens.map(token => documents.get(token) ?? 0)));
      return Math.log(1 + n / df);
    });
  }

  type Question =
    | { kind: 'has'; term: string }
    | { kind: 'prefix'; term: string }
    | { kind: 'range'; first: string; min: number; max: number };

  /** A vocabulary that answers from what it learnt and notes the questions it could not answer yet. */
  export class LearningVocabulary implements ITermVocabulary {
    private readonly _terms = new Map<string, boolean>();
    private readonly _prefixes = new Map<string, boolean>();
    private readonly _ranges = new Map<string, IVocabularyTerm[]>();
    private _questions: Question[] = [];

    get hasQuestions(): boolean {
      return this._questions.length > 0;
    }

    has(term: string): boolean {
      const known = this._terms.get(term);
      if (known === undefined) {
        this._questions.push({ kind: 'has', term });
      }
      // Until known, a word counts as present: the planner then asks nothing more about it this round.
      return known ?? true;
    }

    hasPrefix(prefix: string): boolean {
      const known = this._prefixes.get(prefix);
      if (known === undefined) {
        this._questions.push({ kind: 'prefix', term: prefix });
      }
      return known ?? true;
    }

    startingWith(first: string, minLength: number, maxLength: number): IVocabularyTerm[] {
      const max = Number.isFinite(maxLength) ? maxLength : 1_000_000;
      const known = this._ranges.get(`${first}\u0000${minLength}\u0000${max}`);
      if (known === undefined) {
        this._questions.push({ kind: 'range', first, min: minLength, max });
      }
      return known ?? [];
    }

    /** Reads the answers to the questions noted since the last call. */
    async learn(db: PgDatabase): Promise<void> {
      const questions = this._questions;
      this._questions = [];
      const terms = questions.flatMap(question => (question.kind === 'has' ? [question.term] : []));
      const prefixes = questions.flatMap(question => (question.kind === 'prefix' ? [question.term] : []));
      const ranges = questions.flatMap(question => (question.kind === 'range' ? [question] : []));
      await Promise.all([
        terms.length > 0 &&
          db
            .query<{ term: string }>('SELECT term FROM search_terms WHERE term = ANY($1::text[])', [terms])
            .then(rows => {
              const found = new Set(rows.map(row => row.term));
              terms.forEach(term => this._terms.set(term, found.has(term)));
            }),
        prefixes.length > 0 &&
          db
            .query<{ prefix: string; found: boolean }>(
              `SELECT p.prefix, EXISTS (SELECT 1 FROM search_terms WHERE term >= p.prefix AND term < p.prefix || $2) AS found
               FROM unnest($1::text[]) AS p (prefix)`,
              [prefixes, LAST]
            )
            .then(rows => rows.forEach(row => this._prefixes.set(row.prefix, row.found))),
        ...ranges.map(range =>
          db
            .query<IVocabularyTerm>(
              `SELECT term, documents FROM search_terms
               WHERE term >= $1 AND term < $2 AND length(term) BETWEEN $3 AND $4`,
              [range.first, range.first + LAST, range.min, range.max]
            )
            .then(rows => this._ranges.set(`${range.first}\u0000${range.min}\u0000${range.max}`, rows))
        )
      ]);
    }
  }
}
