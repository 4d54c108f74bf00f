import type { ICell, INotebook } from '../nbformat';
import type { IMergeConflict, MergeChoice } from '../schemas/revisions';
import { stripNotebook } from '../strip';
import { uniqueCellIds, type IPlacedCell } from './cellIds';
import { matchCells, type ICellMatching } from './cellMatching';
import { isJsonObject, jsonEqual } from './jsonEqual';
import { mergeByKey, pickChange } from './keyedMerge';
import { mergeLines } from './lineMerge';
import { mergeMetadata } from './metadataMerge';
import { pairRewrittenCells } from './rewrittenCells';
import { checkNotebookArgument } from './notebookArgument';
import { joinLines, sourceLines, sourceText } from './sourceLines';

/** The outcome of a three-way merge. */
export interface IMergeResult {
  /** The merged notebook: valid nbformat, stripped; where a conflict is unresolved it holds the local version. */
  notebook: INotebook;
  /** Conflicts no choice settled yet, in the order of the base notebook's cells, then the notebook's metadata. */
  conflicts: IMergeConflict[];
}

/** Options of {@link mergeNotebooks}. */
export interface IMergeOptions {
  /** How to settle conflicts, by {@link IMergeConflict.id}, as the user picked them. Unknown ids are ignored. */
  choices?: Record<string, MergeChoice>;
}

const CHOICES: readonly string[] = ['local', 'remote', 'both'];

/**
 * Merge the changes `local` and `remote` each made to `base`, cell by cell (cells paired as `matchCells` says: by
 * id, else by content, so notebooks without ids merge too).
 *
 * All three are stripped first: outputs and execution counts never conflict, and the result has none (the gallery
 * stores none; a client that shows outputs puts back those of cells whose id and source it still has).
 *
 * - A cell only one side changed takes that change; a cell both changed is merged line by line (diff3), its type
 *   and its metadata key by key. Inside a cell, as in git, different lines written at the same place or changes to
 *   adjacent lines conflict.
 * - Cells inserted by one side go after the cell they follow on that side; when both inserted at the same place,
 *   local's come first, and a cell both inserted there identically is kept once, at local's place, with remote's id.
 * - A base cell both sides replaced in place with a cell of their own (new ids, as after a cut and paste) is merged
 *   as one cell both changed (`pairRewrittenCells`): users never see ids.
 * - A cell deleted by one side and untouched by the other is deleted. A moved cell goes where the side that moved it
 *   put it (local's place when both moved it).
 * - Conflicts (the same lines changed differently, an edit against a delete, the cell type, a metadata key or an
 *   attachment changed differently) are reported and never settled silently: until `choices` settles one, the
 *   result holds the local version. Choices: `local`, `remote`, or `both`, which keeps the conflicting lines of
 *   local then those of remote for a source conflict, keeps the edited cell or attachment for an edit against a
 *   delete, and is local otherwise.
 * - Conflict ids are `<kind>/<where>[/<key>]` (for example `source/cell:a1b2` or `metadata/notebook/kernelspec.name`),
 *   the same for the same three notebooks.
 * - Attachments are merged by file name: those a cell gained on both sides are all kept, a name only one side
 *   changed or deleted takes that change, and a name both changed differently is an `attachment` conflict.
 * - The result keeps the cell ids of both sides, and at nbformat 4.5 and later every cell has an id. Where the sides
 *   disagree, remote's ids stay: a cell both inserted identically, or that has a different id on each side, takes
 *   remote's, and a cell only local inserted whose id another cell of the result has gets a new one (`<id>-2`). Remote
 *   is the gallery's stored, shared revision (the latest one when saving or updating a copy): other copies, change
 *   requests and later merges pair cells by its ids, so a remote id dropped here would make the next edit of that
 *   cell there look like an edit of a cell this result deleted. The result replaces local's copy, whose cells'
 *   outputs a client finds again by content.
 * @throws {NotebookFormatError} when an argument is not a notebook, naming which one and where.
 * @throws {TypeError} when a choice is not `local`, `remote` or `both`.
 */
export function mergeNotebooks(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  options: IMergeOptions = {}
): IMergeResult {
  checkNotebookArgument(base, 'base');
  checkNotebookArgument(local, 'local');
  checkNotebookArgument(remote, 'remote');
  const choices = options.choices ?? {};
  for (const [id, choice] of Object.entries(choices)) {
    if (!CHOICES.includes(choice)) {
      throw new TypeError(`choices["${id}"] must be "local", "remote" or "both", not ${JSON.stringify(choice)}`);
    }
  }
  const merge = new Private.NotebookMerge(stripNotebook(base), stripNotebook(local), stripNotebook(remote), choices);
  const notebook = merge.run();
  return { notebook, conflicts: merge.conflicts.filter(conflict => choices[conflict.id] === undefined) };
}

namespace Private {
  export class NotebookMerge {
    /** Every conflict, settled or not. */
    readonly conflicts: IMergeConflict[] = [];
    private readonly _toLocal: ICellMatching;
    private readonly _toRemote: ICellMatching;

    constructor(
      private readonly _base: INotebook,
      private readonly _local: INotebook,
      private readonly _remote: INotebook,
      private readonly _choices: Record<string, MergeChoice>
    ) {
      [this._toLocal, this._toRemote] = pairRewrittenCells(
        _base.cells,
        _local.cells,
        _remote.cells,
        matchCells(_base.cells, _local.cells),
        matchCells(_base.cells, _remote.cells)
      );
    }

    run(): INotebook {
      const merged = this._base.cells.map((_, i) => this._mergeCell(i));
      const cells = this._place(merged);
      const metadata = mergeMetadata(this._base.metadata, this._local.metadata, this._remote.metadata, key =>
        this._choice(`metadata/notebook/${key}`)
      );
      for (const conflict of metadata.conflicts) {
        this._conflict('metadata', 'notebook', null, null, conflict.key, conflict);
      }
      const minor = Math.max(this._local.nbformat_minor, this._remote.nbformat_minor);
      return {
        ...this._local,
        nbformat_minor: minor,
        metadata: metadata.value,
        cells: uniqueCellIds(cells, minor)
      };
    }

    private _choice(id: string): MergeChoice | undefined {
      return this._choices[id];
    }

    private _conflict(
      kind: IMergeConflict['kind'],
      where: string,
      cellId: string | null,
      cellType: IMergeConflict['cellType'],
      key: string | null,
      values: { base: unknown; local: unknown; remote: unknown }
    ): void {
      // Metadata values are JSON text, so a key set to null ("null") differs from an absent one (null).
      const text = (value: unknown): string | null =>
        value === undefined
          ? null
          : kind === 'metadata'
            ? JSON.stringify(value)
            : value === null
              ? null
              : String(value);
      this.conflicts.push({
        id: key === null ? `${kind}/${where}` : `${kind}/${where}/${key}`,
        kind,
        cellId,
        cellType,
        key,
        base: text(values.base),
        local: text(values.local),
        remote: text(values.remote)
      });
    }

    /** The merged version of base cell `i`, or null when it is deleted. */
    private _mergeCell(i: number): ICell | null {
      const base = this._base.cells[i];
      const localIndex = this._toLocal.toIndex[i];
      const remoteIndex = this._toRemote.toIndex[i];
      const local = localIndex === -1 ? null : this._local.cells[localIndex];
      const remote = remoteIndex === -1 ? null : this._remote.cells[remoteIndex];
      // Local's id first: the conflict names the cell the user has in front of them (a rewrite has a new id).
      const cellId = [local, base, remote].map(cell => cell?.id).find(id => typeof id === 'string') ?? null;
      const where = cellId === null ? `cell#${i}` : `cell:${cellId}`;
      if (local === null || remote === null) {
        const kept = local ?? remote;
        if (kept === null || !changed(base, kept)) {
          return null;
        }
        const id = `deleted/${where}`;
        this._conflict('deleted', where, cellId, kept.cell_type, null, {
          base: sourceText(base.source),
          local: local === null ? null : sourceText(local.source),
          remote: remote === null ? null : sourceText(remote.source)
        });
        const choice = this._choice(id) ?? 'local';
        const keep = choice === 'both' || (choice === 'local') === (local !== null);
        return keep ? kept : null;
      }
      const cellType = this._mergeCellType(base, local, remote, where, cellId);
      const source = this._mergeSource(base, local, remote, where, cellId, cellType);
      const metadata = mergeMetadata(base.metadata, local.metadata, remote.metadata, key =>
        this._choice(`metadata/${where}/${key}`)
      );
      for (const conflict of metadata.conflicts) {
        this._conflict('metadata', where, cellId, cellType, conflict.key, conflict);
      }
      // Remote's id when the sides gave the cell different ones (ids added to a notebook that had none).
      const id = remote.id ?? local.id;
      return withType(
        { ...local, ...(id === undefined ? {} : { id }), source, metadata: metadata.value },
        cellType,
        cellType === 'code' ? undefined : this._mergeAttachments(base, local, remote, where, cellId, cellType)
      );
    }

    /** The merged source; most cells are unchanged on at least one side, which needs no line diff. */
    private _mergeSource(
      base: ICell,
      local: ICell,
      remote: ICell,
      where: string,
      cellId: string | null,
      cellType: ICell['cell_type']
    ): string {
      const texts = {
        base: sourceText(base.source),
        local: sourceText(local.source),
        remote: sourceText(remote.source)
      };
      if (texts.local === texts.base) {
        return texts.remote;
      }
      if (texts.remote === texts.base || texts.remote === texts.local) {
        return texts.local;
      }
      const lines = mergeLines(
        sourceLines(texts.base),
        sourceLines(texts.local),
        sourceLines(texts.remote),
        this._choice(`source/${where}`) ?? 'local'
      );
      if (lines.conflicted) {
        this._conflict('source', where, cellId, cellType, null, texts);
      }
      return joinLines(lines.lines);
    }

    /**
     * Attachments by file name: a name one side added, replaced or deleted takes that change, and a name both
     * changed differently (one replaced it and the other deleted it, or each put a different image under it) is a
     * conflict: local's until a choice settles it, `both` keeping the changed one against a delete.
     */
    private _mergeAttachments(
      base: ICell,
      local: ICell,
      remote: ICell,
      where: string,
      cellId: string | null,
      cellType: ICell['cell_type']
    ): unknown {
      const [b, l, r] = [base.attachments, local.attachments, remote.attachments];
      const whole = pickChange(b, l, r);
      if (whole) {
        return whole.value;
      }
      const object = (value: unknown): Record<string, unknown> => (isJsonObject(value) ? value : {});
      const merged = mergeByKey(object(b), object(l), object(r), (name, was, ours, other) => {
        const picked = pickChange(was, ours, other);
        if (picked) {
          return picked.value;
        }
        this._conflict('attachment', where, cellId, cellType, name, {
          base: describeAttachment(was),
          local: describeAttachment(ours),
          remote: describeAttachment(other)
        });
        const choice = this._choice(`attachment/${where}/${name}`) ?? 'local';
        return choice === 'remote' ? other : choice === 'both' ? (ours ?? other) : ours;
      });
      // A cell that had no attachments key keeps none.
      return Object.keys(merged).length === 0 && l === undefined ? undefined : merged;
    }

    private _mergeCellType(
      base: ICell,
      local: ICell,
      remote: ICell,
      where: string,
      cellId: string | null
    ): ICell['cell_type'] {
      if (local.cell_type === remote.cell_type || remote.cell_type === base.cell_type) {
        return local.cell_type;
      }
      if (local.cell_type === base.cell_type) {
        return remote.cell_type;
      }
      this._conflict('cell-type', where, cellId, local.cell_type, null, {
        base: base.cell_type,
        local: local.cell_type,
        remote: remote.cell_type
      });
      return this._choice(`cell-type/${where}`) === 'remote' ? remote.cell_type : local.cell_type;
    }

    /**
     * The merged cells in order. Base cells stay in base order unless a side moved them; cells a side inserted or
     * moved go after the last cell before them on that side that stayed in place (local's first at the same place).
     */
    private _place(merged: Array<ICell | null>): IPlacedCell[] {
      const localAfter = this._slots(this._toLocal, this._local.cells.length);
      const remoteAfter = this._slots(this._toRemote, this._remote.cells.length);
      const placed: IPlacedCell[] = [];
      const placeBase = (i: number): void => {
        const cell = merged[i];
        if (cell !== null) {
          placed.push({ cell, localOnly: false });
        }
      };
      for (let slot = -1; slot < merged.length; slot++) {
        if (slot >= 0 && !this._toLocal.moved[slot] && !this._toRemote.moved[slot]) {
          placeBase(slot);
        }
        // Indexes in `placed` of the cells local inserted here that no remote cell has stood in for yet.
        const insertedLocally: number[] = [];
        for (const j of localAfter[slot + 1]) {
          const i = this._toLocal.fromIndex[j];
          if (i === -1) {
            insertedLocally.push(placed.length);
            placed.push({ cell: this._local.cells[j], localOnly: true });
          } else {
            placeBase(i);
          }
        }
        for (const j of remoteAfter[slot + 1]) {
          const i = this._toRemote.fromIndex[j];
          if (i === -1) {
            const cell = this._remote.cells[j];
            const twin = insertedLocally.findIndex(k => sameContent(placed[k].cell, cell));
            if (twin === -1) {
              placed.push({ cell, localOnly: false });
            } else {
              // The same cell inserted on both sides: at local's place, with remote's id if it has one (see
              // mergeNotebooks).
              if (typeof cell.id === 'string') {
                placed[insertedLocally[twin]] = { cell, localOnly: false };
              }
              insertedLocally.splice(twin, 1);
            }
          } else if (!this._toLocal.moved[i]) {
            placeBase(i);
          }
        }
      }
      return placed;
    }

    /**
     * For each place (before every base cell, index 0, and after each, index i + 1), the cells of one side that it
     * inserted or moved there, in that side's order.
     */
    private _slots(matching: ICellMatching, count: number): number[][] {
      const slots: number[][] = Array.from({ length: this._base.cells.length + 1 }, () => []);
      let after = -1;
      for (let j = 0; j < count; j++) {
        const i = matching.fromIndex[j];
        if (i !== -1 && !matching.moved[i]) {
          after = i;
        } else {
          slots[after + 1].push(j);
        }
      }
      return slots;
    }
  }

  /** Whether a side changed anything the gallery keeps about a cell. */
  function changed(base: ICell, cell: ICell): boolean {
    return !sameContent(base, cell);
  }

  function sameContent(a: ICell, b: ICell): boolean {
    return (
      a.cell_type === b.cell_type &&
      sourceText(a.source) === sourceText(b.source) &&
      jsonEqual(a.metadata, b.metadata) &&
      jsonEqual(a.attachments, b.attachments)
    );
  }

  /** What a conflict shows of an attachment: each MIME type and its size, such as `image/png, 1234 bytes`. */
  function describeAttachment(bundle: unknown): string | undefined {
    if (bundle === undefined) {
      return undefined;
    }
    if (!isJsonObject(bundle)) {
      return JSON.stringify(bundle);
    }
    return Object.entries(bundle)
      .map(([mime, data]) => {
        const text = Array.isArray(data) ? data.join('') : typeof data === 'string' ? data : JSON.stringify(data);
        // Binary attachments are base64: 4 characters for 3 bytes, "=" padding at the end.
        const bytes = /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text)
          ? Math.floor((text.replace(/\s/g, '').length * 3) / 4) - (text.trim().match(/=*$/)?.[0].length ?? 0)
          : text.length;
        return `${mime}, ${bytes} bytes`;
      })
      .join('; ');
  }

  /** A cell of the merged type with the keys nbformat wants for it (a code cell has outputs, no attachments). */
  function withType(cell: ICell, cellType: ICell['cell_type'], attachments: unknown): ICell {
    // Object.fromEntries keeps a "__proto__" key a key.
    const copy: Record<string, unknown> = Object.fromEntries(
      Object.entries(cell).filter(([key]) => key !== 'outputs' && key !== 'execution_count' && key !== 'attachments')
    );
    copy.cell_type = cellType;
    if (cellType === 'code') {
      copy.outputs = [];
      copy.execution_count = null;
    } else if (attachments !== undefined) {
      copy.attachments = attachments;
    }
    return copy as unknown as ICell;
  }
}
