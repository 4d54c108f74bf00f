import type { ICommentListResponse, ICommentThread } from '@notebook-gallery/core';

/** The threads of one cell, in the order the panel lists them. */
export interface ICellThreads {
  cellId: string;
  /** 1-based position of the cell in the local copy, or null when the copy no longer has it. */
  cellNumber: number | null;
  threads: ICommentThread[];
}

/** A notebook's comment threads as the comments panel groups them. */
export interface IGroupedThreads {
  /** Threads on the notebook as a whole. */
  notebook: ICommentThread[];
  /** Threads on cells that still exist in the gallery's latest revision (`current` and `changed`), by cell. */
  cells: ICellThreads[];
  /** Threads whose cell is gone from the gallery's latest revision: kept, never dropped. */
  outdated: ICommentThread[];
}

/**
 * Group `list` for the panel: the notebook's own threads, then each cell's threads in the order of `cellIds` (the
 * local copy's cells; cells the copy no longer has come last, in the gallery's order of first comment), then the
 * outdated ones.
 */
export function groupThreads(list: ICommentListResponse, cellIds: readonly string[]): IGroupedThreads {
  const notebook: ICommentThread[] = [];
  const byCell = new Map<string, ICommentThread[]>();
  for (const thread of list.threads) {
    const cellId = thread.comment.anchor?.cellId;
    if (thread.state === 'notebook' || cellId === undefined) {
      notebook.push(thread);
      continue;
    }
    const threads = byCell.get(cellId) ?? [];
    threads.push(thread);
    byCell.set(cellId, threads);
  }
  const position = new Map(cellIds.map((id, index) => [id, index]));
  const cells = [...byCell.entries()]
    .map(([cellId, threads]) => ({ cellId, cellNumber: Private.numberOf(position, cellId), threads }))
    // A stable sort keeps the gallery's order among the cells the copy does not have.
    .sort((a, b) => (a.cellNumber ?? Infinity) - (b.cellNumber ?? Infinity));
  return { notebook, cells, outdated: [...list.outdated] };
}

/**
 * How many comments (each thread's first comment and its replies) each cell of the latest revision has, for the
 * markers on the cells. Outdated threads are on no cell any more, so they count nowhere.
 */
export function commentCounts(list: ICommentListResponse): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of list.threads) {
    const cellId = thread.comment.anchor?.cellId;
    if (thread.state === 'notebook' || cellId === undefined) {
      continue;
    }
    counts.set(cellId, (counts.get(cellId) ?? 0) + 1 + thread.replies.length);
  }
  return counts;
}

namespace Private {
  export function numberOf(position: ReadonlyMap<string, number>, cellId: string): number | null {
    const index = position.get(cellId);
    return index === undefined ? null : index + 1;
  }
}
