import type { ErrorCode } from '@notebook-gallery/core';

/** Base of every error the API answers with a code; the error handler turns it into `{ error, message, ...details }`. */
export class GalleryError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Extra fields copied into the reply body, e.g. `currentRevision`. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, statusCode: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }
}
