export * from './nbformat';
export * from './errorCodes';
export * from './errors/NotebookFormatError';
export * from './api';
export * from './schemas/notebooks';
// The TypeBox the schemas are built with, so the server's type provider derives types from the same version.
export type { Static, TSchema } from '@sinclair/typebox';
export { parseNotebook, validateNotebook } from './validate';
export { stripNotebook, STRIPPED_CELL_METADATA, STRIPPED_NOTEBOOK_METADATA } from './strip';
export { serializeNotebook } from './serialize';
export { notebookSearchText, firstHeading } from './searchText';
export type { INotebookSearchText } from './searchText';
export { slugify } from './slug';
