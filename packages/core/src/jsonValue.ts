import { ErrorCode } from './errorCodes';
import { NotebookFormatError } from './errors/NotebookFormatError';
import { formatPath, type PathSegment } from './notebookPath';

/**
 * The deepest nesting of lists and objects a notebook may have. Jupyter itself cannot open a notebook nested
 * about 500 levels deep (nbformat reads it recursively and hits Python's recursion limit), and real notebooks,
 * widget state and JSON outputs included, stay far below 100.
 */
export const MAX_NESTING = 100;

/**
 * A deep copy of a JSON value, with object keys kept in order (`__proto__` included, as a plain key). Keys whose
 * value is `undefined` are left out, as `JSON.stringify` does.
 * @throws {NotebookFormatError} INVALID_NOTEBOOK, with the path, for nesting deeper than {@link MAX_NESTING} or
 *   for anything JSON cannot hold (functions, `NaN`, `Infinity`, big integers, holes in lists).
 */
export function copyJsonValue(value: unknown): unknown {
  return Private.visit(value, 0, [], true);
}

/**
 * Check, without copying, that `value` is what {@link copyJsonValue} accepts.
 * @throws {NotebookFormatError} as {@link copyJsonValue} does.
 */
export function checkJsonValue(value: unknown): void {
  Private.visit(value, 0, [], false);
}

namespace Private {
  function fail(path: PathSegment[], message: string): never {
    throw new NotebookFormatError(ErrorCode.INVALID_NOTEBOOK, message, formatPath(path));
  }

  export function visit(value: unknown, depth: number, path: PathSegment[], copy: boolean): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : fail(path, `${value} is not a JSON number`);
      case 'object':
        if (value === null) {
          return value;
        }
        if (depth >= MAX_NESTING) {
          fail(path, `lists and objects nest more than ${MAX_NESTING} levels deep here; Jupyter cannot open that`);
        }
        return Array.isArray(value) ? visitList(value, depth, path, copy) : visitObject(value, depth, path, copy);
      default:
        return fail(path, `${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value`);
    }
  }

  function visitList(list: unknown[], depth: number, path: PathSegment[], copy: boolean): unknown[] {
    const out: unknown[] = copy ? new Array(list.length) : list;
    for (let index = 0; index < list.length; index++) {
      path.push(index);
      const item = visit(list[index], depth + 1, path, copy);
      path.pop();
      if (copy) {
        out[index] = item;
      }
    }
    return out;
  }

  function visitObject(object: object, depth: number, path: PathSegment[], copy: boolean): object {
    const out: Record<string, unknown> = copy ? {} : (object as Record<string, unknown>);
    for (const key of Object.keys(object)) {
      const value = (object as Record<string, unknown>)[key];
      if (value === undefined) {
        continue;
      }
      path.push(key);
      const item = visit(value, depth + 1, path, copy);
      path.pop();
      if (!copy) {
        continue;
      }
      if (key === '__proto__') {
        // Plain assignment would set the copy's prototype instead of adding the key.
        Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = item;
      }
    }
    return out;
  }
}
