import { ErrorCode } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';

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

/** `error` as a `GalleryError`: itself when it is one, else an internal error carrying its text. */
export function asGalleryError(error: unknown): GalleryError {
  return error instanceof GalleryError ? error : new GalleryError(ErrorCode.INTERNAL_ERROR, 0, String(error));
}

/**
 * Whether `error` says the notebook is not in the gallery for this user: it was deleted, or it is no longer shared
 * with them. The server answers both alike (404 `NOTEBOOK_NOT_FOUND`), so as not to reveal what others may not see.
 */
export function isNotebookGone(error: unknown): boolean {
  return GalleryError.is(error, ErrorCode.NOTEBOOK_NOT_FOUND);
}

/**
 * The one sentence every view (open, preview, history, share, delete) shows for a notebook that is gone, instead of
 * the server's "No notebook with id …".
 */
export function notebookGoneText(trans: TranslationBundle): string {
  return trans.__('This notebook is no longer in the gallery: it was deleted, or you can no longer read it.');
}

/** What happens to the user's local copies of a notebook that is gone; null when they have none. */
export function localCopiesText(trans: TranslationBundle, paths: readonly string[]): string | null {
  if (paths.length === 0) {
    return null;
  }
  return trans._n(
    'Your copy at %2 stays on this machine, but it no longer receives updates.',
    'Your %1 copies (%2) stay on this machine, but they no longer receive updates.',
    paths.length,
    paths.join(', ')
  );
}
