import { ErrorCode } from '@notebook-gallery/core';

/** A failed gallery call, carrying the server's code and human message so dialogs can show it. */
export class GalleryError extends Error {
  /** Create an error from a code, an HTTP status (0 when there was no reply) and a message. */
  constructor(
    readonly code: ErrorCode | string,
    readonly status: number,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {}
  ) {
    super(message);
    this.name = 'GalleryError';
  }

  /** Whether `error` is a gallery error with the given code. */
  static is(error: unknown, code: ErrorCode): error is GalleryError {
    return error instanceof GalleryError && error.code === code;
  }
}
