import { checkNotebook, mergeNotebooks } from '../../src';
import type { IMergeOptions, IMergeResult, INotebook, MergeChoice } from '../../src';
import { notebook } from './build';

/** Base64 of a few bytes, standing in for three different PNG images. */
const OLD = 'iVBORw0KGgo=';
const NEW = 'iVBORw0KGgoAAAANSUhEUg==';
const OTHER = 'R0lGODlhAQABAAAAACw=';

/** A notebook whose one markdown cell shows `plot.png` and has these attachments (none when undefined). */
function withAttachments(attachments: Record<string, unknown> | undefined, extra = ''): INotebook {
  const nb = notebook([{ id: 'fig', type: 'markdown', source: `![plot](attachment:plot.png)${extra}` }]);
  if (attachments !== undefined) {
    (nb.cells[0] as unknown as Record<string, unknown>).attachments = attachments;
  }
  return nb;
}

function merge(base: INotebook, local: INotebook, remote: INotebook, options?: IMergeOptions): IMergeResult {
  const result = mergeNotebooks(base, local, remote, options);
  checkNotebook(result.notebook);
  return result;
}

function attachmentsOf(result: IMergeResult): unknown {
  return (result.notebook.cells[0] as unknown as Record<string, unknown>).attachments;
}

function choose(result: IMergeResult, choice: MergeChoice): IMergeOptions {
  return { choices: Object.fromEntries(result.conflicts.map(conflict => [conflict.id, choice])) };
}

const base = withAttachments({ 'plot.png': { 'image/png': OLD }, 'logo.png': { 'image/png': OTHER } });

describe('mergeNotebooks: attachments', () => {
  it('reports an attachment one side replaced and the other deleted, naming the cell and the file', () => {
    // Remote (another user's saved revision) put a new image under plot.png; local deleted it. Before, local's
    // delete won silently and remote's new image was lost.
    const local = withAttachments({ 'logo.png': { 'image/png': OTHER } });
    const remote = withAttachments({ 'plot.png': { 'image/png': NEW }, 'logo.png': { 'image/png': OTHER } });
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([
      {
        id: 'attachment/cell:fig/plot.png',
        kind: 'attachment',
        cellId: 'fig',
        cellType: 'markdown',
        key: 'plot.png',
        base: 'image/png, 8 bytes',
        local: null,
        remote: 'image/png, 16 bytes'
      }
    ]);
    // Unsettled, the local version stands.
    expect(attachmentsOf(result)).toEqual({ 'logo.png': { 'image/png': OTHER } });
    expect(attachmentsOf(merge(base, local, remote, choose(result, 'remote')))).toEqual({
      'logo.png': { 'image/png': OTHER },
      'plot.png': { 'image/png': NEW }
    });
    // Both keeps the changed image against the delete.
    expect(attachmentsOf(merge(base, local, remote, choose(result, 'both')))).toEqual({
      'logo.png': { 'image/png': OTHER },
      'plot.png': { 'image/png': NEW }
    });
    expect(merge(base, local, remote, choose(result, 'local')).conflicts).toEqual([]);
  });

  it('reports it the other way round too, and when the deleting side dropped the whole attachments key', () => {
    const local = withAttachments({ 'plot.png': { 'image/png': NEW }, 'logo.png': { 'image/png': OTHER } });
    const remote = withAttachments(undefined);
    const result = merge(base, local, remote);
    expect(result.conflicts.map(conflict => [conflict.id, conflict.local, conflict.remote])).toEqual([
      ['attachment/cell:fig/plot.png', 'image/png, 16 bytes', null]
    ]);
    // logo.png only remote deleted: deleted. plot.png conflicts: local's until chosen.
    expect(attachmentsOf(result)).toEqual({ 'plot.png': { 'image/png': NEW } });
    expect(attachmentsOf(merge(base, local, remote, choose(result, 'remote')))).toEqual({});
  });

  it('reports the same name given a different image on each side', () => {
    const local = withAttachments({ 'plot.png': { 'image/png': NEW }, 'logo.png': { 'image/png': OTHER } });
    const remote = withAttachments({ 'plot.png': { 'image/jpeg': '/9j/' }, 'logo.png': { 'image/png': OTHER } });
    const result = merge(base, local, remote);
    expect(result.conflicts.map(conflict => [conflict.id, conflict.local, conflict.remote])).toEqual([
      ['attachment/cell:fig/plot.png', 'image/png, 16 bytes', 'image/jpeg, 3 bytes']
    ]);
    expect(attachmentsOf(merge(base, local, remote, choose(result, 'remote')))).toEqual({
      'plot.png': { 'image/jpeg': '/9j/' },
      'logo.png': { 'image/png': OTHER }
    });
  });

  it('merges attachments changed under different names, and a delete with an untouched name, cleanly', () => {
    // Local replaces plot.png and edits the text; remote deletes logo.png. Before, remote's delete was undone.
    const local = withAttachments({ 'plot.png': { 'image/png': NEW }, 'logo.png': { 'image/png': OTHER } }, '!');
    const remote = withAttachments({ 'plot.png': { 'image/png': OLD }, 'chart.png': { 'image/png': OTHER } });
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(attachmentsOf(result)).toEqual({ 'plot.png': { 'image/png': NEW }, 'chart.png': { 'image/png': OTHER } });
  });

  it('gives no conflict when both sides removed the same attachment, one as {} and one without the key', () => {
    const start = withAttachments({ 'plot.png': { 'image/png': OLD } });
    const result = merge(start, withAttachments({}), withAttachments(undefined));
    expect(result.conflicts).toEqual([]);
    expect(attachmentsOf(result)).toEqual({});
  });
});
