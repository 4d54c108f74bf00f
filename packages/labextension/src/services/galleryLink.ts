import { normalizeServerUrl } from './serverUrl';

/**
 * The query parameters of a gallery link into JupyterLab. The gallery's "Open in JupyterLab" sends the reader to
 * `<JupyterLab>/lab?gallery=<notebook id>&revision=<revision id>` (in a hub through `/hub/user-redirect/lab?…`); an
 * instructor's link for a set of notebooks is `<JupyterLab>/lab?gallery-tag=<tag>`.
 */
export const LinkParams = {
  notebook: 'gallery',
  revision: 'revision',
  tag: 'gallery-tag'
} as const;

/** Matches a JupyterLab location (path, query and hash) that carries a gallery link, for the router. */
export const GALLERY_LINK_PATTERN = /[?&]gallery(?:-tag)?=/;

/** The most notebooks one tag link copies or updates; the summary says when the tag has more. */
export const TAG_LINK_LIMIT = 50;

/** The longest notebook id, revision or tag a link may carry; longer is not a gallery link. */
const MAX_PARAM_LENGTH = 200;

/** What a gallery link asks for. */
export type GalleryLinkRequest =
  /** One notebook; `revision` is the one the link was made for, or null. */
  | { kind: 'notebook'; id: string; revision: string | null }
  /** Every notebook with this tag that the reader can read. */
  | { kind: 'tag'; tag: string };

/**
 * The gallery link in a location's query (`?gallery=…&revision=…` or `?gallery-tag=…`), or null when there is
 * none or its values are empty or too long. A link naming both a notebook and a tag is a notebook link.
 */
export function parseGalleryLink(search: string): GalleryLinkRequest | null {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const value = (name: string): string | null => {
    const text = params.get(name)?.trim() ?? '';
    return text && text.length <= MAX_PARAM_LENGTH ? text : null;
  };
  const id = value(LinkParams.notebook);
  if (id !== null) {
    return { kind: 'notebook', id, revision: value(LinkParams.revision) };
  }
  const tag = value(LinkParams.tag);
  return tag !== null ? { kind: 'tag', tag } : null;
}

/**
 * `url` without the gallery link's parameters (other parameters and the hash kept), to put in the address bar once
 * the link is taken, so a reload does not take it again.
 */
export function withoutGalleryLink(url: string): string {
  const parsed = new URL(url);
  for (const name of Object.values(LinkParams)) {
    parsed.searchParams.delete(name);
  }
  return parsed.toString();
}

/** The web page of gallery notebook `id`, `<server URL>/n/<id>`: the link to share. */
export function notebookPageUrl(serverUrl: string, id: string): string {
  return `${normalizeServerUrl(serverUrl)}/n/${encodeURIComponent(id)}`;
}

/**
 * What a gallery link did to the reader's copy of one notebook.
 * - `created`: there was no copy; a new one was made, as the sidebar's *Open* makes it.
 * - `current`: the copy already had the latest revision; it is left as it is.
 * - `updated`: the copy was unedited and now holds the latest revision.
 * - `merged`: the latest revision was merged into the user's edits, cell by cell.
 * - `conflicted`: the user and the gallery changed the same lines and the conflicts were not settled (a tag link
 *   does not ask; on a notebook link the user cancelled the conflict dialog): the copy is left exactly as it was.
 */
export type LinkedCopyKind = 'created' | 'current' | 'updated' | 'merged' | 'conflicted';

/** The reader's copy of a linked notebook after the link was taken. */
export interface ILinkedCopy {
  kind: LinkedCopyKind;
  id: string;
  title: string;
  /** The copy, relative to the Jupyter root. */
  path: string;
  /** The gallery's latest revision, which the copy now has (unless `conflicted`). */
  revision: string;
  revisionNumber: number;
}
