import type { MultilineString } from '../nbformat';
import type { IDiffLine } from '../schemas/revisions';
import { commonSubsequence, toCodes } from './commonSubsequence';
import { sourceLines } from './sourceLines';

/**
 * Every line of both sides in order: equal lines once, and where they differ the removed lines before the added
 * ones, as a reader expects. Myers' algorithm keeps it fast when a long cell changed a little.
 */
export function diffLines(from: readonly string[], to: readonly string[]): IDiffLine[] {
  const [a, b] = toCodes(from, to);
  const matches = commonSubsequence(a, b);
  const lines: IDiffLine[] = [];
  let i = 0;
  let j = 0;
  const flush = (untilFrom: number, untilTo: number): void => {
    for (; i < untilFrom; i++) {
      lines.push({ op: 'removed', text: from[i], from: i });
    }
    for (; j < untilTo; j++) {
      lines.push({ op: 'added', text: to[j], to: j });
    }
  };
  for (let k = 0; k < matches.from.length; k++) {
    flush(matches.from[k], matches.to[k]);
    lines.push({ op: 'equal', text: from[i], from: i, to: j });
    i++;
    j++;
  }
  flush(from.length, to.length);
  return lines;
}

/**
 * The lines of two versions of a cell's source, as {@link diffLines} gives them: what a diff view shows, and what
 * the conflict dialog marks in each side of a conflict.
 */
export function diffSources(from: MultilineString, to: MultilineString): IDiffLine[] {
  return diffLines(sourceLines(from), sourceLines(to));
}
