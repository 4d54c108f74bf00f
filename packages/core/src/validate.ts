import { ErrorCode } from './errorCodes';
import { NotebookFormatError } from './errors/NotebookFormatError';
import { checkJsonValue, copyJsonValue } from './jsonValue';
import type { ICell, INotebook } from './nbformat';
import { checkNbformatSchema, NEWEST_KNOWN_MINOR } from './nbformatSchema';

const CELL_TYPES = ['code', 'markdown', 'raw'];
const OUTPUT_TYPES = ['stream', 'display_data', 'execute_result', 'error'];
/** nbformat 4.5's rule for cell ids. */
const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]+$/;
const CELL_ID_MAX_LENGTH = 64;
/** The first nbformat 4 minor version whose cells have ids. */
const CELL_ID_MINOR = 5;
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
 *
 * Our own checks come first, for the common mistakes and their messages; then the copy is checked against
 * nbformat's official schema for its minor version, so whatever this returns passes `nbformat.validate`.
 * Normalising follows nbformat: 4.5+ cells without ids get fresh ids, as nbformat's `normalize` does;
 * a 4.0–4.4 notebook whose cells carry ids (which only 4.5 allows) is upgraded to 4.5, as nbformat's
 * `upgrade` does (it records the old minor in `metadata.orig_nbformat_minor`), keeping the ids it has
 * and adding the missing ones; 4.0–4.4 notebooks without ids are kept as they are.
 * @throws {NotebookFormatError} NOT_A_NOTEBOOK, UNSUPPORTED_NBFORMAT, INVALID_NOTEBOOK,
 *   INVALID_CELL_ID or DUPLICATE_CELL_ID, with the path of the first problem.
 */
export function validateNotebook(value: unknown): INotebook {
  Private.checkIsNotebook(value);
  Private.checkVersion(value);
  const nb = copyJsonValue(value) as INotebook;
  Private.checkStructure(nb);
  const ids = Private.checkCellIds(nb);
  Private.normaliseCellIds(nb, ids);
  checkNbformatSchema(nb);
  return nb;
}

/**
 * Check, without changing anything, that a notebook is valid nbformat for its own minor version: what
 * {@link validateNotebook} returns, and what is left after stripping it. Unlike `validateNotebook` it does not
 * repair: a 4.5+ cell without an id is an error here.
 * @throws {NotebookFormatError} as {@link validateNotebook} does.
 */
export function checkNotebook(value: unknown): asserts value is INotebook {
  Private.checkIsNotebook(value);
  Private.checkVersion(value);
  checkJsonValue(value);
  const nb = value as INotebook;
  Private.checkStructure(nb);
  Private.checkCellIds(nb);
  Private.checkEveryCellHasAnId(nb);
  checkNbformatSchema(nb);
}

namespace Private {
  function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** A whole number that JSON and Python read back as the same integer (2^53 and beyond come back as floats). */
  function isWholeNumber(value: unknown): value is number {
    return Number.isSafeInteger(value) && (value as number) >= 0;
  }

  /** For messages: the value when it is short, else what kind of value it is. */
  function shown(value: unknown): string {
    const text = JSON.stringify(value);
    if (typeof value === 'number' || (text !== undefined && text.length <= 72)) {
      return String(typeof value === 'number' ? value : text);
    }
    return Array.isArray(value) ? 'a list' : `a long ${typeof value}`;
  }

  export function checkIsNotebook(value: unknown): asserts value is Record<string, unknown> {
    if (!isObject(value)) {
      throw new NotebookFormatError(
        ErrorCode.NOT_A_NOTEBOOK,
        'expected a JSON object with "cells", "metadata" and "nbformat"; this is not a Jupyter notebook'
      );
    }
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
    if (minor === undefined) {
      fail('nbformat_minor', '"nbformat_minor" is required and must be a whole number (0 to 5 for nbformat 4)');
    }
    if (!isWholeNumber(minor)) {
      fail('nbformat_minor', `"nbformat_minor" must be a whole number (0 to 5 for nbformat 4), not ${shown(minor)}`);
    }
  }

  /** Our own checks of the parts every notebook has, for messages that say what a notebook author got wrong. */
  export function checkStructure(nb: INotebook): void {
    checkNotebookMetadata(nb.metadata);
    if (!Array.isArray(nb.cells)) {
      fail('cells', '"cells" must be a list');
    }
    const fromNewerMinor = nb.nbformat_minor > NEWEST_KNOWN_MINOR;
    nb.cells.forEach((cell, index) => checkCell(cell, `cells[${index}]`, fromNewerMinor));
  }

  function checkNotebookMetadata(metadata: unknown): void {
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
    if (orig !== undefined && (!isWholeNumber(orig) || orig < 1)) {
      fail('metadata.orig_nbformat', 'must be a whole number of at least 1');
    }
  }

  /**
   * Cell and output types from a newer minor version than we know are kept as they are, as nbformat does; only
   * the keys nbformat's reader joins in every cell and output must have their usual shape, or Jupyter cannot
   * open the file.
   */
  function checkCell(cell: unknown, path: string, fromNewerMinor: boolean): void {
    if (!isObject(cell)) {
      fail(path, 'each cell must be an object');
    }
    if (fromNewerMinor && typeof cell.cell_type === 'string' && !CELL_TYPES.includes(cell.cell_type)) {
      checkCellMetadata(cell.metadata, `${path}.metadata`);
      if (cell.source !== undefined && !isMultiline(cell.source)) {
        fail(`${path}.source`, '"source" must be a string or a list of strings');
      }
      if (cell.attachments !== undefined) {
        checkAttachments(cell.attachments, `${path}.attachments`);
      }
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
        if (future && !known && output.text !== undefined && !isMultiline(output.text)) {
          fail(`${path}.outputs[${index}].text`, '"text" must be a string or a list of strings');
        }
      });
      if (cell.execution_count !== null && !isWholeNumber(cell.execution_count)) {
        fail(`${path}.execution_count`, 'a code cell needs "execution_count": a whole number, or null');
      }
    }
    // Only markdown and raw cells may have attachments (the schema says so), but nbformat's reader reads them in
    // any cell, and a newer minor version lets a code cell have them.
    if (cell.attachments !== undefined) {
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

  /** Refuses ids nbformat does not allow and ids used twice; returns the ids in use. */
  export function checkCellIds(nb: INotebook): Set<string> {
    const seen = new Map<string, number>();
    nb.cells.forEach((cell: ICell, index) => {
      const path = `cells[${index}].id`;
      if (cell.id === undefined) {
        return;
      }
      if (typeof cell.id !== 'string' || !CELL_ID_PATTERN.test(cell.id) || cell.id.length > CELL_ID_MAX_LENGTH) {
        fail(
          path,
          `${shown(cell.id)} is not a valid cell id: use 1 to ${CELL_ID_MAX_LENGTH} letters, digits, "-" or "_"`,
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
    return new Set(seen.keys());
  }

  /** Upgrades 4.0–4.4 notebooks whose cells carry ids to 4.5, and gives every 4.5+ cell an id. */
  export function normaliseCellIds(nb: INotebook, ids: Set<string>): void {
    if (nb.nbformat_minor < CELL_ID_MINOR) {
      if (ids.size === 0) {
        return;
      }
      nb.metadata.orig_nbformat_minor = nb.nbformat_minor;
      nb.nbformat_minor = CELL_ID_MINOR;
    }
    for (const cell of nb.cells) {
      if (cell.id === undefined) {
        cell.id = newCellId(ids);
        ids.add(cell.id);
      }
    }
  }

  export function checkEveryCellHasAnId(nb: INotebook): void {
    if (nb.nbformat_minor < CELL_ID_MINOR) {
      return;
    }
    const index = nb.cells.findIndex(cell => cell.id === undefined);
    if (index >= 0) {
      fail(`cells[${index}].id`, 'nbformat 4.5 and later need an id on every cell', ErrorCode.INVALID_CELL_ID);
    }
  }

  /** Eight hex digits, like nbformat's `random_cell_id`, unique within the notebook. */
  function newCellId(taken: Set<string>): string {
    const bytes = new Uint8Array(4);
    let id: string;
    do {
      globalThis.crypto.getRandomValues(bytes);
      id = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    } while (taken.has(id));
    return id;
  }
}
