import {
  ErrorCode,
  NOTEBOOK_DESCRIPTION_MAX_LENGTH,
  NOTEBOOK_MAX_TAGS,
  NOTEBOOK_TAG_MAX_LENGTH,
  NOTEBOOK_TITLE_MAX_LENGTH,
  REVISION_MESSAGE_MAX_LENGTH
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';

/** The fields of a notebook's listing that the save dialog edits. */
export interface IListing {
  title: string;
  description: string;
  tags: string[];
}

/** A field of the save dialog a problem is about. */
export type ListingField = keyof IListing;

/** What is wrong with a listing: one sentence per field, and `form` for a refusal that names no field. */
export type ListingProblems = Partial<Record<ListingField | 'form', string>>;

/**
 * Check a listing against the gallery's limits (the core schemas' constants, which the server enforces), in words
 * that say the limit and how far over it the user is, so the dialog can say so while the user types.
 */
export function listingProblems(trans: TranslationBundle, listing: IListing): ListingProblems {
  const problems: ListingProblems = {};
  const title = Private.characters(listing.title);
  if (title === 0) {
    problems.title = trans.__('Give the notebook a title so colleagues can find it.');
  } else if (title > NOTEBOOK_TITLE_MAX_LENGTH) {
    problems.title = trans.__(
      'The title is too long: at most %1 characters (you have %2).',
      NOTEBOOK_TITLE_MAX_LENGTH,
      title
    );
  }
  const description = Private.characters(listing.description);
  if (description > NOTEBOOK_DESCRIPTION_MAX_LENGTH) {
    problems.description = trans.__(
      'The description is too long: at most %1 characters (you have %2).',
      NOTEBOOK_DESCRIPTION_MAX_LENGTH,
      description
    );
  }
  const long = listing.tags.find(tag => Private.characters(tag) > NOTEBOOK_TAG_MAX_LENGTH);
  if (listing.tags.length > NOTEBOOK_MAX_TAGS) {
    problems.tags = trans.__(
      'Too many tags: at most %1 (you have %2). Keep the ones colleagues would search for.',
      NOTEBOOK_MAX_TAGS,
      listing.tags.length
    );
  } else if (long !== undefined) {
    problems.tags = trans.__(
      'The tag “%1” is too long: at most %2 characters (it has %3).',
      Private.shorten(long),
      NOTEBOOK_TAG_MAX_LENGTH,
      Private.characters(long)
    );
  }
  return problems;
}

/** The problem with a revision or change-request message, or null when it fits. */
export function messageProblem(trans: TranslationBundle, message: string): string | null {
  const length = Private.characters(message);
  return length > REVISION_MESSAGE_MAX_LENGTH
    ? trans.__('The message is too long: at most %1 characters (you have %2).', REVISION_MESSAGE_MAX_LENGTH, length)
    : null;
}

/** Whether any field has a problem. */
export function hasProblems(problems: ListingProblems): boolean {
  return Object.values(problems).some(problem => Boolean(problem));
}

/**
 * Turn the gallery's refusal of a listing into problems the dialog shows beside the fields, so the user corrects
 * what they typed instead of starting again: the dialog's own checks when they explain it (the limits are the
 * same), else the server's sentence on the field its reply names (`field`), else on the form. Null for failures
 * that are not about what was typed (no network, a lost login, a notebook too big), which the caller reports.
 */
export function listingProblemsFromError(
  trans: TranslationBundle,
  error: unknown,
  listing: IListing
): ListingProblems | null {
  if (!(error instanceof GalleryError) || error.status !== 400 || error.code !== ErrorCode.VALIDATION_FAILED) {
    return null;
  }
  const own = listingProblems(trans, listing);
  if (hasProblems(own)) {
    return own;
  }
  const field = typeof error.details.field === 'string' ? error.details.field : '';
  const name = /^[a-z]+/.exec(field)?.[0];
  const key: ListingField | 'form' = name === 'title' || name === 'description' || name === 'tags' ? name : 'form';
  return { [key]: error.message };
}

namespace Private {
  /** Characters as the gallery counts them (code points, so an emoji is one). */
  export function characters(text: string): number {
    return [...text].length;
  }

  /** A long tag quoted in a sentence: its start, enough to recognise it. */
  export function shorten(tag: string): string {
    const chars = [...tag];
    return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : tag;
  }
}
