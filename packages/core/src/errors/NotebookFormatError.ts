import { ErrorCode } from '../errorCodes';

/**
 * A notebook that cannot be accepted, with a code clients can branch on and the place it went wrong.
 */
export class NotebookFormatError extends Error {
  readonly code: ErrorCode;
  /** Where in the notebook the problem is, e.g. `cells[3].source`; empty for the whole document. */
  readonly path: string;

  constructor(code: ErrorCode, message: string, path = '') {
    super(path ? `${path}: ${message}` : message);
    this.name = 'NotebookFormatError';
    this.code = code;
    this.path = path;
  }
}
