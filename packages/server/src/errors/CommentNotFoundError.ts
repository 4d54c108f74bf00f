import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * No comment with that id, or it is on a notebook (or change request) the caller may not see: the same answer for
 * both, so a comment id says nothing about a notebook one cannot read.
 */
export class CommentNotFoundError extends GalleryError {
  constructor(commentId: string) {
    super(ErrorCode.COMMENT_NOT_FOUND, 404, `Comment "${commentId}" not found`);
  }
}
