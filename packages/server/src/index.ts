export { buildApp } from './app';
export { loadConfig, CONFIG_OPTIONS, LOG_LEVELS } from './config';
export type { IGalleryConfig, ConfigFlags, IConfigOption, LogLevel } from './config';
export { openDatabase, DATABASE_FILE } from './db/database';
export type { GalleryDatabase } from './db/database';
export { NotebookStore, commitEmail } from './storage/notebookStore';
export type {
  ISaveResult,
  IReconcileReport,
  ICreateNotebookInput,
  IUpdateNotebookInput
} from './storage/notebookStore';
export { prepareNotebook } from './storage/preparedNotebook';
export type { IPreparedNotebook } from './storage/preparedNotebook';
export { repositoryPath } from './storage/repositoryLayout';
export { CRASH_AT_ENV } from './storage/faultInjection';
export type { CrashPoint } from './storage/faultInjection';
export { SearchIndex } from './search/searchIndex';
export { AccountService } from './services/accountService';
export { GroupService } from './services/groupService';
export { sqliteAccountRepositories } from './repositories/sqlite/sqliteAccountRepositories';
export { seedExamples } from './seedExamples';
export { GalleryError } from './errors/GalleryError';
export { VERSION } from './version';
