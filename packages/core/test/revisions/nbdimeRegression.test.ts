/**
 * Every base/local/remote triple of nbdime 4.0.4's own test suite (see ../fixtures/nbdime/README.md): the sets in
 * its `tests/files`, its `matching_nb_triplets` fixture, and the notebooks its merge tests build, outputs stripped.
 * `merge-expected.json` pins, for each, the conflicts we report and, when there are none, the merged notebook; it
 * was written once and reviewed by hand, so a change in any verdict or clean result shows up here as a failure to
 * look at, not to regenerate. It also keeps nbdime's verdict, recorded from nbdime itself, so the cases where we
 * differ stay the documented few.
 */
import { checkNotebook, mergeNotebooks, parseNotebook, serializeNotebook } from '../../src';
import type { IMergeResult, INotebook } from '../../src';
import { readFixture } from '../fixtures';

interface ITriple {
  name: string;
  nbdimeTest: string;
  sameAfterStripping?: string[];
  files?: [string, string, string];
  base?: INotebook;
  local?: INotebook;
  remote?: INotebook;
}

interface IExpected {
  name: string;
  conflicts: string[];
  /** The paths nbdime's `merge_notebooks` (mergetool strategy) reported conflicts at. */
  nbdime: string[];
  merged?: INotebook;
}

const triples: ITriple[] = JSON.parse(readFixture('nbdime/merge-triples.json'));
const expected = new Map<string, IExpected>(
  (JSON.parse(readFixture('nbdime/merge-expected.json')) as IExpected[]).map(entry => [entry.name, entry])
);

function sides(triple: ITriple): [INotebook, INotebook, INotebook] {
  if (triple.files) {
    const [base, local, remote] = triple.files.map(name => parseNotebook(readFixture(`nbdime/${name}.ipynb`)));
    return [base, local, remote];
  }
  return [triple.base as INotebook, triple.local as INotebook, triple.remote as INotebook];
}

function lines(nb: INotebook): Set<string> {
  return new Set(
    nb.cells.flatMap(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source).split('\n'))
  );
}

/** Where our verdict (clean or not) differs from nbdime's; see the README for why each is so. */
const DIFFERENT_VERDICTS = [
  'matching/apap,apap--1,apap--2',
  'matching/attachment,attachment--empty_attachments_list,attachment--remove_attachment',
  'built/test_merge_notebooks.py/test_merge_cell_sources_neighbouring_inserts_mergetool',
  'built/test_merge_notebooks.py/test_merge_simple_cell_source_conflicting_insert',
  'built/test_merge_notebooks.py/test_merge_interleave_cell_add_remove',
  'built/test_merge_notebooks_inline.py/test_inline_merge_cells_insertion_similar',
  'built/test_merge_notebooks_inline.py/test_inline_merge_cells_insertion_unsimilar'
];

describe('nbdime 4.0.4 regression triples', () => {
  it('has every triple nbdime’s tests merge: 127 distinct once stripped, standing for 204 merges', () => {
    expect(triples).toHaveLength(127);
    expect(triples.reduce((count, triple) => count + 1 + (triple.sameAfterStripping?.length ?? 0), 0)).toBe(204);
    expect(new Set(triples.map(triple => triple.name)).size).toBe(triples.length);
    expect([...expected.keys()].sort()).toEqual(triples.map(triple => triple.name).sort());
  });

  it.each(triples.map(triple => [triple.name, triple] as const))('%s', (_, triple) => {
    const [base, local, remote] = sides(triple);
    const want = expected.get(triple.name) as IExpected;
    const result: IMergeResult = mergeNotebooks(base, local, remote);
    checkNotebook(result.notebook);
    expect(result.conflicts.map(conflict => conflict.id)).toEqual(want.conflicts);
    if (want.merged) {
      expect(serializeNotebook(result.notebook)).toBe(serializeNotebook(want.merged));
    }

    // No source edit of either side is lost: with every conflict settled as "both", each line either side wrote
    // that base did not have is in the result (a clean merge is its own settled result).
    const settled = mergeNotebooks(base, local, remote, {
      choices: Object.fromEntries(result.conflicts.map(conflict => [conflict.id, 'both' as const]))
    });
    expect(settled.conflicts).toEqual([]);
    const before = lines(base);
    const after = lines(settled.notebook);
    for (const side of [local, remote]) {
      const lost = [...lines(side)].filter(line => !before.has(line) && !after.has(line));
      expect(lost).toEqual([]);
    }
  });

  it('differs from nbdime’s verdict only where the fixture README explains why', () => {
    const differ = [...expected.values()]
      .filter(entry => entry.conflicts.length > 0 !== entry.nbdime.length > 0)
      .map(entry => entry.name);
    expect(differ).toEqual(DIFFERENT_VERDICTS);
    // In each, we merge cleanly where nbdime asks: never the other way round.
    expect(DIFFERENT_VERDICTS.every(name => expected.get(name)?.conflicts.length === 0)).toBe(true);
  });
});
