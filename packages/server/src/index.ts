export { buildApp } from './app';
export type { IAppOptions } from './app';
// Re-exported so that importing the package also brings the plugins' typed decorators (app.notebooks, app.db, ...).
export type { IDatabasePluginOptions } from './plugins/databasePlugin';
export type { IIssuedToken } from './plugins/authPlugin';
export { openGallery } from './compositionRoot';
export type { IGallery, IGalleryOptions } from './compositionRoot';
export { loadConfig, CONFIG_OPTIONS, LOG_LEVELS } from './config';
export type { IGalleryConfig, ConfigFlags, IConfigOption, LogLevel } from './config';
export { DATABASE_FILE } from './db/database';
export type { GalleryDatabase } from './db/database';
export { NotebookService } from './services/notebookService';
export { commitEmail } from './storage/notebookStore';
export type { IReconcileReport } from './storage/saveRecovery';
export type { SaveHook, SavePoint } from './storage/saveHooks';
export { repositoryPath } from './storage/repositoryLayout';
export { seedExamples } from './seedExamples';
export { GalleryError } from './errors/GalleryError';
export { VERSION } from './version';
