import { ErrorCode } from './errorCodes';
import { NotebookFormatError } from './errors/NotebookFormatError';
import type { ICell, INotebook } from './nbformat';

const CELL_TYPES = ['code', 'markdown', 'raw'];
const OUTPUT_TYPES = ['stream', 'display_data', 'execute_result', 'error'];
/** nbformat 4.5's rule for cell ids. */
const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]+$/;
const CELL_ID_MAX_LENGTH = 64;
/** The newest nbformat 4 minor version whose cell types we know; newer ones may add cell types. */
const KNOWN_MINOR = 5;
const UPGRADE_HINT =
  'Open it in JupyterLab and save it, or run "jupyter nbconvert --to notebook --nbformat 4 --output upgraded.ipynb <file>", then try again.';

/**
 * Parse `.ipynb` text into a validated nbformat 4 notebook.
 * @throws {NotebookFormatError} INVALID_JSON when the text is not JSON, or any error of {@link validateNotebook}.
 */
export function parseNotebook(text: string): INotebook {
  if (typeof text !== 'string') {
    throw new NotebookFormatError(ErrorCode.INVALID_JSON, 'expected notebook text');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(
      ErrorCode.INVALID_JSON,
      `the file is not valid JSON (${(err as Error).message}), so it cannot be a notebook`
    );
  }
  return validateNotebook(value);
}

/**
 * Check a parsed notebook against nbformat 4 and return a normalised deep copy, so that both the
 * extension and the server refuse the same files with the same messages.
 * nbformat 4.0–4.4 cells without ids are kept as they are; 4.5+ cells without ids get fresh ids,
 * as nbformat's `normalize` does.
 * @throws {NotebookFormatError} NOT_A_NOTEBOOK, UNSUPPORTED_NBFORMAT, INVALID_NOTEBOOK,
 *   INVALID_CELL_ID or DUPLICATE_CELL_ID, with the path of the first problem.
 */
export function validateNotebook(value: unknown): INotebook {
  if (!Private.isObject(value)) {
    throw new NotebookFormatError(
      ErrorCode.NOT_A_NOTEBOOK,
      'expected a JSON object with "cells", "metadata" and "nbformat"; this is not a Jupyter notebook'
    );
  }
  Private.checkVersion(value);
  const nb = structuredClone(value) as INotebook;
  Private.checkNotebookMetadata(nb.metadata);
  if (!Array.isArray(nb.cells)) {
    throw new NotebookFormatError(ErrorCode.INVALID_NOTEBOOK, '"cells" must be a list', 'cells');
  }
  nb.cells.forEach((cell, index) => Private.checkCell(cell, `cells[${index}]`, nb.nbformat_minor > KNOWN_MINOR));
  Private.checkCellIds(nb);
  return nb;
}

namespace Private {
  export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  function fail(path: string, message: string, code: ErrorCode = ErrorCode.INVALID_NOTEBOOK): never {
    throw new NotebookFormatError(code, message, path);
  }

  function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every(item => typeof item === 'string');
  }

  function isMultiline(value: unknown): boolean {
    return typeof value === 'string' || isStringList(value);
  }

  export function checkVersion(nb: Record<string, unknown>): void {
    const { nbformat, nbformat_minor: minor } = nb;
    if (nbformat === undefined) {
      if ('cells' in nb || 'worksheets' in nb) {
        fail(
          'nbformat',
          'the notebook does not say which nbformat it uses; add "nbformat": 4',
          ErrorCode.INVALID_NOTEBOOK
        );
      }
      fail('', 'JSON without "nbformat" and "cells" is not a Jupyter notebook', ErrorCode.NOT_A_NOTEBOOK);
    }
    if (!Number.isInteger(nbformat)) {
      fail('nbformat', '"nbformat" must be a whole number such as 4');
    }
    if ((nbformat as number) < 4) {
      fail(
        'nbformat',
        `nbformat ${nbformat} is too old; the gallery accepts nbformat 4. ${UPGRADE_HINT}`,
        ErrorCode.UNSUPPORTED_NBFORMAT
      );
    }
    if ((nbformat as number) > 4) {
      fail(
        'nbformat',
        `nbformat ${nbformat} is newer than this gallery understands; save it as nbformat 4`,
        ErrorCode.UNSUPPORTED_NBFORMAT
      );
    }
    if (!Number.isInteger(minor) || (minor as number) < 0) {
      fail('nbformat_minor', '"nbformat_minor" is required and must be a whole number (0 to 5 for nbformat 4)');
    }
  }

  export function checkNotebookMetadata(metadata: unknown): void {
    if (!isObject(metadata)) {
      fail('metadata', '"metadata" must be an object');
    }
    const { kernelspec, language_info: languageInfo, authors, title, orig_nbformat: orig } = metadata;
    if (kernelspec !== undefined) {
      if (!isObject(kernelspec)) {
        fail('metadata.kernelspec', 'must be an object with "name" and "display_name"');
      }
      for (const key of ['name', 'display_name']) {
        if (typeof kernelspec[key] !== 'string') {
          fail(`metadata.kernelspec.${key}`, 'must be a string');
        }
      }
    }
    if (languageInfo !== undefined && (!isObject(languageInfo) || typeof languageInfo.name !== 'string')) {
      fail('metadata.language_info', 'must be an object with a string "name"');
    }
    if (authors !== undefined && !Array.isArray(authors)) {
      fail('metadata.authors', 'must be a list');
    }
    if (title !== undefined && typeof title !== 'string') {
      fail('metadata.title', 'must be a string');
    }
    if (orig !== undefined && (!Number.isInteger(orig) || (orig as number) < 1)) {
      fail('metadata.orig_nbformat', 'must be a whole number of at least 1');
    }
  }

  /** Cell and output types from a newer minor version than we know are kept as they are, as nbformat does. */
  export function checkCell(cell: unknown, path: string, fromNewerMinor: boolean): void {
    if (!isObject(cell)) {
      fail(path, 'each cell must be an object');
    }
    if (fromNewerMinor && typeof cell.cell_type === 'string' && !CELL_TYPES.includes(cell.cell_type)) {
      checkCellMetadata(cell.metadata, `${path}.metadata`);
      return;
    }
    if (!CELL_TYPES.includes(cell.cell_type as string)) {
      fail(`${path}.cell_type`, `must be "code", "markdown" or "raw", not ${JSON.stringify(cell.cell_type)}`);
    }
    if (!isMultiline(cell.source)) {
      fail(`${path}.source`, '"source" must be a string or a list of strings');
    }
    checkCellMetadata(cell.metadata, `${path}.metadata`);
    if (cell.cell_type === 'code') {
      if (!Array.isArray(cell.outputs)) {
        fail(`${path}.outputs`, 'a code cell needs "outputs" (a list, possibly empty)');
      }
      cell.outputs.forEach((output, index) => {
        const known = isObject(output) && OUTPUT_TYPES.includes(output.output_type as string);
        const future = fromNewerMinor && isObject(output) && typeof output.output_type === 'string';
        if (!known && !future) {
          fail(`${path}.outputs[${index}].output_type`, `must be one of ${OUTPUT_TYPES.join(', ')}`);
        }
      });
      if (
        cell.execution_count !== null &&
        !(Number.isInteger(cell.execution_count) && (cell.execution_count as number) >= 0)
      ) {
        fail(`${path}.execution_count`, 'a code cell needs "execution_count": a whole number, or null');
      }
    } else if (cell.attachments !== undefined) {
      checkAttachments(cell.attachments, `${path}.attachments`);
    }
  }

  function checkCellMetadata(metadata: unknown, path: string): void {
    if (!isObject(metadata)) {
      fail(path, '"metadata" must be an object');
    }
    const booleans = ['collapsed', 'deletable', 'editable'];
    for (const key of booleans) {
      if (metadata[key] !== undefined && typeof metadata[key] !== 'boolean') {
        fail(`${path}.${key}`, 'must be true or false');
      }
    }
    const { scrolled, name, format, tags, jupyter, execution } = metadata;
    if (scrolled !== undefined && typeof scrolled !== 'boolean' && scrolled !== 'auto') {
      fail(`${path}.scrolled`, 'must be true, false or "auto"');
    }
    for (const [key, value] of [
      ['name', name],
      ['format', format]
    ] as const) {
      if (value !== undefined && typeof value !== 'string') {
        fail(`${path}.${key}`, 'must be a string');
      }
    }
    if (tags !== undefined && !isStringList(tags)) {
      fail(`${path}.tags`, 'must be a list of strings');
    }
    for (const [key, value] of [
      ['jupyter', jupyter],
      ['execution', execution]
    ] as const) {
      if (value !== undefined && !isObject(value)) {
        fail(`${path}.${key}`, 'must be an object');
      }
    }
  }

  function checkAttachments(attachments: unknown, path: string): void {
    if (!isObject(attachments)) {
      fail(path, 'must be an object mapping file names to MIME bundles');
    }
    for (const [name, bundle] of Object.entries(attachments)) {
      if (!isObject(bundle) || !Object.values(bundle).every(isMultiline)) {
        fail(`${path}.${name}`, 'must map MIME types to strings or lists of strings');
      }
    }
  }

  export function checkCellIds(nb: INotebook): void {
    const seen = new Map<string, number>();
    nb.cells.forEach((cell: ICell, index) => {
      const path = `cells[${index}].id`;
      if (cell.id === undefined) {
        return;
      }
      if (typeof cell.id !== 'string' || !CELL_ID_PATTERN.test(cell.id) || cell.id.length > CELL_ID_MAX_LENGTH) {
        fail(
          path,
          `${JSON.stringify(cell.id)} is not a valid cell id: use 1 to ${CELL_ID_MAX_LENGTH} letters, digits, "-" or "_"`,
          ErrorCode.INVALID_CELL_ID
        );
      }
      const first = seen.get(cell.id);
      if (first !== undefined) {
        fail(
          path,
          `cell id "${cell.id}" is already used by cells[${first}]; cell ids must be unique`,
          ErrorCode.DUPLICATE_CELL_ID
        );
      }
      seen.set(cell.id, index);
    });
    if (nb.nbformat_minor >= 5) {
      for (const cell of nb.cells) {
        if (cell.id === undefined) {
          cell.id = newCellId(seen);
          seen.set(cell.id, -1);
        }
      }
    }
  }

  /** Eight hex digits, like nbformat's `random_cell_id`, unique within the notebook. */
  function newCellId(taken: Map<string, number>): string {
    const bytes = new Uint8Array(4);
    let id: string;
    do {
      globalThis.crypto.getRandomValues(bytes);
      id = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    } while (taken.has(id));
    return id;
  }
}
