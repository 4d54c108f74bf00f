import { checkNotebook, mergeNotebooks } from '../../src';
import type { IMergeResult, INotebook } from '../../src';
import { notebook } from './build';

/** A one-cell notebook with these cell tags and notebook metadata. */
function tagged(tags: unknown[], metadata: Record<string, unknown> = {}): INotebook {
  return notebook([{ id: 'c', source: 'x = 1', metadata: { tags } }], metadata);
}

function merge(base: INotebook, local: INotebook, remote: INotebook): IMergeResult {
  const result = mergeNotebooks(base, local, remote);
  checkNotebook(result.notebook);
  return result;
}

describe('mergeNotebooks: lists in metadata', () => {
  it('merges a list where each side removed a different item, item by item, as nbdime does', () => {
    // Before, the whole `tags` list conflicted.
    const result = merge(tagged(['a', 'b', 'c', 'd']), tagged(['a', 'c', 'd']), tagged(['a', 'b', 'c']));
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.cells[0].metadata.tags).toEqual(['a', 'c']);
  });

  it('removes neighbouring items each side removed, and keeps both sides’ additions, local’s first', () => {
    const result = merge(tagged(['a', 'b', 'c']), tagged(['b', 'c', 'mine']), tagged(['a', 'c', 'theirs', 'more']));
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.cells[0].metadata.tags).toEqual(['c', 'mine', 'theirs', 'more']);
  });

  it('puts an item only remote added after the item before it on remote’s side', () => {
    const result = merge(tagged(['a', 'b', 'c']), tagged(['a', 'b']), tagged(['a', 'new', 'b', 'c']));
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.cells[0].metadata.tags).toEqual(['a', 'new', 'b']);
  });

  it('merges lists of objects in notebook metadata, such as authors, compared as JSON', () => {
    const ann = { name: 'Ann' };
    const bob = { name: 'Bob' };
    const cy = { name: 'Cy', affiliation: 'Lab' };
    const base = tagged([], { authors: [ann, bob] });
    const local = tagged([], { authors: [bob] });
    const remote = tagged([], { authors: [ann, bob, { affiliation: 'Lab', name: 'Cy' }] });
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.metadata.authors).toEqual([bob, cy]);
  });

  it('still reports a conflict when an item repeats or a side reordered the items it kept', () => {
    const repeated = merge(tagged(['a', 'b', 'a']), tagged(['b', 'a']), tagged(['a', 'b']));
    expect(repeated.conflicts.map(conflict => conflict.id)).toEqual(['metadata/cell:c/tags']);
    const reordered = merge(tagged(['a', 'b', 'c']), tagged(['c', 'b', 'a']), tagged(['a', 'b']));
    expect(reordered.conflicts.map(conflict => conflict.id)).toEqual(['metadata/cell:c/tags']);
    expect(reordered.notebook.cells[0].metadata.tags).toEqual(['c', 'b', 'a']);
  });
});
