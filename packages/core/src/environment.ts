import type { INotebookEnvironment } from './schemas/notebookHealth';
import { importedPackages } from './importedPackages';
import type { INotebook } from './nbformat';

/** A code cell worth running: its id (absent before nbformat 4.5) and its source as one string. */
export interface IRunnableCell {
  id: string | null;
  source: string;
}

/**
 * The code cells whose source is not blank, in order: the cells health reports are about (a blank cell proves
 * nothing by running) and whose depth is counted.
 */
export function runnableCells(nb: INotebook): IRunnableCell[] {
  const cells: IRunnableCell[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') {
      continue;
    }
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (typeof source === 'string' && source.trim() !== '') {
      cells.push({ id: typeof cell.id === 'string' ? cell.id : null, source });
    }
  }
  return cells;
}

/** Kernel, language and its version from the notebook's metadata, and the packages its code imports. */
export function notebookEnvironment(nb: INotebook): INotebookEnvironment {
  const { kernelspec, language_info: languageInfo } = nb.metadata ?? {};
  return {
    kernelName: text(kernelspec?.name),
    language: text(languageInfo?.name) ?? text(kernelspec?.language),
    languageVersion: text(languageInfo?.version),
    packages: importedPackages(
      runnableCells(nb)
        .map(cell => cell.source)
        .join('\n')
    )
  };
}

/** A trimmed non-empty string, else null (metadata may hold anything). */
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
