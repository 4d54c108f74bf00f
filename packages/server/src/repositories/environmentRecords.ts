import type { INotebookEnvironment } from '@notebook-gallery/core';
import type { IRevisionEnvironment } from './environmentRepository';

/** A row of `revision_environments` (`SELECT *`); packages are a JSON array as text on both backends. */
export interface IEnvironmentRow {
  notebook_id: string;
  sha: string;
  kernel_name: string | null;
  language: string | null;
  language_version: string | null;
  packages: string;
}

/** The environment a row holds. */
export function revisionEnvironment(row: IEnvironmentRow): INotebookEnvironment {
  return {
    kernelName: row.kernel_name,
    language: row.language,
    languageVersion: row.language_version,
    packages: JSON.parse(row.packages) as string[]
  };
}

/** The columns a revision's environment fills, in the order of {@link environmentValues}. */
export const ENVIRONMENT_COLUMNS = 'notebook_id, sha, kernel_name, language, language_version, packages, code_hash';

/** The values of {@link ENVIRONMENT_COLUMNS} for what revision `sha` of notebook `notebookId` recorded. */
export function environmentValues(notebookId: string, sha: string, recorded: IRevisionEnvironment): unknown[] {
  const { environment } = recorded;
  return [
    notebookId,
    sha,
    environment.kernelName,
    environment.language,
    environment.languageVersion,
    JSON.stringify(environment.packages),
    recorded.codeHash
  ];
}
