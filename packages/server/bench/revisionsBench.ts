import { diffNotebooks, mergeNotebooks, parseNotebook, type INotebook } from '@notebook-gallery/core';
import { fixed, timePerRun } from './measure';

/** Time of a diff and of a three-way merge of one notebook, against `JSON.parse` of the same notebook's text. */
export interface IRevisionsResult {
  name: string;
  megabytes: number;
  parseMs: number;
  diffMs: number;
  mergeMs: number;
}

/**
 * How long diffing two revisions and merging two edited copies take, for a 500-cell notebook (with ids, and without
 * them, where cells are paired by content) and for a notebook of one 5,000-line cell. Each side edits what a person
 * would in one sitting: some cells or lines changed, a few inserted, deleted or moved.
 */
export function runRevisionsBench(): IRevisionsResult[] {
  return [
    measure('500 cells', manyCells(true)),
    measure('500 cells without ids', manyCells(false)),
    measure('one 5,000-line cell', oneLongCell())
  ];
}

/** Prints {@link runRevisionsBench}'s results. */
export function printRevisionsResults(results: IRevisionsResult[]): void {
  console.log('\nDiff and merge: diffNotebooks and mergeNotebooks, vs JSON.parse of the same notebook');
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(30)} ${fixed(r.megabytes, 2).padStart(6)} MB  JSON.parse ${fixed(r.parseMs).padStart(7)} ms` +
        `  diff ${fixed(r.diffMs).padStart(7)} ms  ratio ${fixed(r.diffMs / r.parseMs)}` +
        `  merge ${fixed(r.mergeMs).padStart(7)} ms  ratio ${fixed(r.mergeMs / r.parseMs)}`
    );
  }
}

interface IRevisions {
  base: string;
  local: string;
  remote: string;
}

function measure(name: string, texts: IRevisions): IRevisionsResult {
  const [base, local, remote] = [texts.base, texts.local, texts.remote].map(parseNotebook);
  return {
    name,
    megabytes: Buffer.byteLength(texts.base) / 1e6,
    parseMs: timePerRun(() => JSON.parse(texts.base), 300),
    diffMs: timePerRun(() => diffNotebooks(base, local), 300),
    mergeMs: timePerRun(() => {
      const result = mergeNotebooks(base, local, remote);
      if (result.conflicts.length > 0) {
        throw new Error(`the bench's edits should merge cleanly, got ${result.conflicts.length} conflicts`);
      }
    }, 300)
  };
}

function text(cells: Array<{ id: string; source: string }>, withIds: boolean): string {
  const nb: INotebook = {
    nbformat: 4,
    nbformat_minor: withIds ? 5 : 4,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: cells.map(({ id, source }) => ({
      ...(withIds ? { id } : {}),
      cell_type: 'code',
      metadata: {},
      source,
      outputs: [],
      execution_count: null
    }))
  };
  return JSON.stringify(nb);
}

/** 500 code cells of 5 to 14 lines; local edits every 10th cell and moves one, remote edits others and adds some. */
function manyCells(withIds: boolean): IRevisions {
  const cells = Array.from({ length: 500 }, (_, i) => ({
    id: `cell-${i}`,
    source: Array.from({ length: 5 + (i % 10) }, (_, line) => `result_${i}_${line} = step(${i}, ${line})`).join('\n')
  }));
  const local = cells.map((cell, i) =>
    i % 10 === 0 ? { ...cell, source: cell.source.replace('step(', 'better_step(') } : cell
  );
  local.splice(250, 1);
  local.splice(100, 0, local.splice(400, 1)[0]);
  const remote = cells.map((cell, i) => (i % 10 === 5 ? { ...cell, source: `${cell.source}\nprint(${i})` } : cell));
  for (const at of [450, 300, 150]) {
    remote.splice(at, 0, { id: `new-${at}`, source: `print("new cell ${at}")` });
  }
  return { base: text(cells, withIds), local: text(local, withIds), remote: text(remote, withIds) };
}

/** One cell of 5,000 lines; local changes lines near the top, remote near the bottom and inserts a block. */
function oneLongCell(): IRevisions {
  const lines = Array.from({ length: 5000 }, (_, i) => `value_${i} = compute(${i}, factor=${i % 7})`);
  const local = lines.map((line, i) => (i % 97 === 0 && i < 2000 ? `${line}  # checked` : line));
  const remote = lines.map((line, i) => (i % 89 === 0 && i > 3000 ? line.replace('compute', 'recompute') : line));
  remote.splice(2500, 0, ...Array.from({ length: 20 }, (_, i) => `extra_${i} = 0`));
  const cell = (source: string[]): Array<{ id: string; source: string }> => [{ id: 'long', source: source.join('\n') }];
  return { base: text(cell(lines), true), local: text(cell(local), true), remote: text(cell(remote), true) };
}
