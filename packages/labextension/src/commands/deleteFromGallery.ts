import type { IDeletionImpact, INotebookSummary } from '@notebook-gallery/core';
import type { IGalleryClient } from '../tokens';

/** What deleting a notebook needs. */
export interface IDeleteFromGalleryOptions {
  client: IGalleryClient;
  /** Ask the user, showing what the deletion affects; resolves with true to delete. */
  confirm: (summary: INotebookSummary, impact: IDeletionImpact) => Promise<boolean>;
}

/**
 * Delete gallery notebook `id` once the user confirmed, after reading what it affects from the server. Resolves with
 * the deleted notebook's summary, or null when the user cancelled.
 *
 * @throws {GalleryError} when a gallery call fails: NOTEBOOK_NOT_FOUND when it is already gone, FORBIDDEN for a
 * reader.
 */
export async function deleteFromGallery(
  id: string,
  options: IDeleteFromGalleryOptions
): Promise<INotebookSummary | null> {
  const { client, confirm } = options;
  const [summary, impact] = await Promise.all([client.getNotebook(id), client.getDeletionImpact(id)]);
  if (!(await confirm(summary, impact))) {
    return null;
  }
  await client.deleteNotebook(id);
  return summary;
}
