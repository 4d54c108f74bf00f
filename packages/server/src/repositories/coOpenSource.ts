import type { ICaller } from '../auth/permissions';
import type { INotebookRecord } from './notebookRepository';

/** "People who opened this also opened": notebooks opened by the users who opened a notebook. */
export interface ICoOpenSource {
  /**
   * The notebooks `caller` may read that the people who opened notebook `id` opened too, most shared first, `id`
   * itself left out; filtered by the read rule in the query.
   */
  alsoOpened(caller: ICaller, id: string, limit: number): INotebookRecord[];
}
