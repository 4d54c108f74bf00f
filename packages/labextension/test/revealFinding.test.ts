import type { ISecretFinding } from '@notebook-gallery/core';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { revealFinding } from '../src/commands/revealFinding';

/** A cell as far as revealing a finding uses it: its model's id and type, its editor, and markdown's rendering. */
function fakeCell(id: string, type: 'code' | 'markdown') {
  const editor = { cursor: null as unknown, focused: false };
  return {
    model: { id, type },
    rendered: true,
    ready: Promise.resolve(),
    editorState: editor,
    editor: {
      setCursorPosition: (position: unknown) => (editor.cursor = position),
      focus: () => (editor.focused = true)
    }
  };
}

/** A notebook panel with three cells (code, markdown, code) that records what was done to it. */
function fakePanel() {
  const cells = [fakeCell('a', 'code'), fakeCell('b', 'markdown'), fakeCell('c', 'code')];
  const content = {
    widgets: cells,
    activeCellIndex: 0,
    mode: 'command' as 'command' | 'edit',
    scrolledTo: null as unknown,
    deselectAll: () => undefined,
    scrollToCell: async (cell: unknown) => void (content.scrolledTo = cell),
    activate: () => undefined
  };
  const activated: string[] = [];
  const panel = { id: 'panel-1', content, activate: () => undefined } as unknown as NotebookPanel;
  return { panel, cells, content, shell: { activateById: (id: string) => activated.push(id) }, activated };
}

const FINDING: ISecretFinding = {
  rule: 'github-pat',
  description: 'GitHub personal access token',
  cellIndex: 2,
  cellId: 'c',
  where: 'source',
  line: 3,
  column: 12,
  masked: 'ghp_…x9Qa',
  fingerprint: 'f'.repeat(64)
};

describe('Fix in notebook', () => {
  it('brings the notebook forward, selects the cell and puts the cursor at the finding', async () => {
    const { panel, cells, content, shell, activated } = fakePanel();
    await revealFinding(panel, FINDING, shell);
    expect(activated).toEqual(['panel-1']);
    expect(content.activeCellIndex).toBe(2);
    expect(content.scrolledTo).toBe(cells[2]);
    expect(content.mode).toBe('edit');
    // The editor counts lines and columns from 0.
    expect(cells[2].editorState).toEqual({ cursor: { line: 2, column: 11 }, focused: true });
  });

  it('finds the cell by its id when cells moved since the scan, and opens a markdown cell for editing', async () => {
    const { panel, cells, content, shell } = fakePanel();
    await revealFinding(panel, { ...FINDING, cellIndex: 0, cellId: 'b', line: 1, column: 1 }, shell);
    expect(content.activeCellIndex).toBe(1);
    expect(cells[1].rendered).toBe(false);
    expect(cells[1].editorState.cursor).toEqual({ line: 0, column: 0 });
  });

  it('selects the cell without an editor cursor for a finding in its metadata, and nothing for the notebook’s', async () => {
    const { panel, cells, content, shell } = fakePanel();
    await revealFinding(panel, { ...FINDING, where: 'metadata' }, shell);
    expect(content.activeCellIndex).toBe(2);
    expect(content.mode).toBe('command');
    expect(cells[2].editorState.focused).toBe(false);

    const other = fakePanel();
    await revealFinding(other.panel, { ...FINDING, cellIndex: -1, cellId: undefined, where: 'metadata' }, other.shell);
    expect(other.content.activeCellIndex).toBe(0);
    expect(other.content.scrolledTo).toBeNull();
  });
});
