import { UserStore } from './auth/userStore';
import { openDatabase, type GalleryDatabase } from './db/database';
import { SearchIndex } from './search/searchIndex';
import { NotebookStore } from './storage/notebookStore';

/** The gallery's stores without the HTTP layer, for the CLI and the bench. */
export interface IGalleryContext {
  db: GalleryDatabase;
  searchIndex: SearchIndex;
  notebooks: NotebookStore;
  users: UserStore;
  close(): void;
}

/** Opens the stores of a data directory (migrating the database); call `close()` when done. */
export function openGalleryContext(dataDir: string): IGalleryContext {
  const db = openDatabase(dataDir);
  const search = new SearchIndex(db);
  return {
    db,
    searchIndex: search,
    notebooks: new NotebookStore(db, dataDir, search),
    users: new UserStore(db),
    close: () => db.close()
  };
}
