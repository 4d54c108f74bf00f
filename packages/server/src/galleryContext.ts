import { openDatabase, type GalleryDatabase } from './db/database';
import { sqliteAccountRepositories } from './repositories/sqlite/sqliteAccountRepositories';
import { SearchIndex } from './search/searchIndex';
import { AccountService } from './services/accountService';
import { NotebookStore } from './storage/notebookStore';

/** The gallery's stores without the HTTP layer, for the CLI and the bench. */
export interface IGalleryContext {
  db: GalleryDatabase;
  searchIndex: SearchIndex;
  notebooks: NotebookStore;
  accounts: AccountService;
  close(): void;
}

/**
 * Opens the stores of a data directory (migrating the database); call `close()` when done. `apiTokenTtlSeconds`
 * matters only to commands that create tokens.
 */
export function openGalleryContext(dataDir: string, apiTokenTtlSeconds = 90 * 86_400): IGalleryContext {
  const db = openDatabase(dataDir);
  const search = new SearchIndex(db);
  return {
    db,
    searchIndex: search,
    notebooks: new NotebookStore(db, dataDir, search),
    accounts: new AccountService(sqliteAccountRepositories(db), { apiTokenTtlSeconds }),
    close: () => db.close()
  };
}
