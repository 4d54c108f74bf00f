import { ErrorCode } from '../errorCodes';
import { NotebookFormatError } from '../errors/NotebookFormatError';
import type { INotebook } from '../nbformat';

const CELL_TYPES = ['code', 'markdown', 'raw'];

/**
 * Check that an argument of a diff or merge has the parts they read, so a wrong argument fails with a message that
 * says which notebook and where, not deep inside the comparison. Full nbformat validation is the caller's job
 * (`validateNotebook` when the notebook came in).
 * @throws {NotebookFormatError} NOT_A_NOTEBOOK or INVALID_NOTEBOOK, with the path of the problem.
 */
export function checkNotebookArgument(value: unknown, name: string): asserts value is INotebook {
  if (!Private.isObject(value) || !Array.isArray(value.cells) || !Private.isObject(value.metadata)) {
    throw new NotebookFormatError(
      ErrorCode.NOT_A_NOTEBOOK,
      `the ${name} notebook must be an object with "cells" (a list) and "metadata" (an object)`
    );
  }
  value.cells.forEach((cell: unknown, index) => {
    const path = `cells[${index}]`;
    if (!Private.isObject(cell) || !CELL_TYPES.includes(cell.cell_type as string)) {
      throw new NotebookFormatError(
        ErrorCode.INVALID_NOTEBOOK,
        `in the ${name} notebook, each cell must be an object whose "cell_type" is "code", "markdown" or "raw"`,
        path
      );
    }
    const source = cell.source;
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every(line => typeof line === 'string'))) {
      throw new NotebookFormatError(
        ErrorCode.INVALID_NOTEBOOK,
        `in the ${name} notebook, "source" must be a string or a list of strings`,
        `${path}.source`
      );
    }
    if (!Private.isObject(cell.metadata)) {
      throw new NotebookFormatError(
        ErrorCode.INVALID_NOTEBOOK,
        `in the ${name} notebook, "metadata" must be an object`,
        `${path}.metadata`
      );
    }
  });
}

namespace Private {
  export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
