import type { ISecretFinding } from '@notebook-gallery/core';
import type { MarkdownCell } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';

/** The part of JupyterLab's shell that brings a tab forward. */
export interface IActivates {
  activateById(id: string): void;
}

/**
 * Show the user a possible secret they chose to fix: bring the notebook forward, select the cell (found by its id,
 * else by its number) and put the cursor at the finding in its editor. A finding in metadata selects its cell, or
 * nothing for the notebook's own metadata, since metadata has no line to put a cursor on.
 */
export async function revealFinding(panel: NotebookPanel, finding: ISecretFinding, shell?: IActivates): Promise<void> {
  if (shell) {
    shell.activateById(panel.id);
  } else {
    panel.activate();
  }
  const notebook = panel.content;
  const cells = notebook.widgets;
  const byId = finding.cellId ? cells.findIndex(cell => cell.model.id === finding.cellId) : -1;
  const index = byId >= 0 ? byId : finding.cellIndex;
  const cell = cells[index];
  if (index < 0 || !cell) {
    notebook.activate();
    return;
  }
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  await notebook.scrollToCell(cell, 'center');
  if (finding.where !== 'source') {
    notebook.mode = 'command';
    notebook.activate();
    return;
  }
  if (cell.model.type === 'markdown') {
    // A rendered markdown cell has no editor to put the cursor in. (Checked by type: cells is not a runtime dependency.)
    (cell as MarkdownCell).rendered = false;
  }
  notebook.mode = 'edit';
  await cell.ready;
  const editor = cell.editor;
  if (editor) {
    const line = Math.max(0, finding.line - 1);
    editor.setCursorPosition({ line, column: Math.max(0, finding.column - 1) });
    editor.focus();
  }
}
