/**
 * nbformat v4 types: the shape both the server and the extension agree on.
 * Unknown keys are allowed everywhere, because nbformat lets metadata carry anything.
 */

/** A multi-line string as nbformat stores it: one string, or a list of lines that keep their newlines. */
export type MultilineString = string | string[];

/** Arbitrary JSON metadata; nbformat reserves a few keys but allows any others. */
export interface IMetadata {
  [key: string]: unknown;
}

/** Where a notebook in someone's workspace came from; kept locally, never committed. */
export interface IGalleryProvenance {
  /** Gallery notebook id. */
  id: string;
  /** Git commit SHA of the revision the copy was made from or last saved as. */
  revision: string;
  /** Base URL of the gallery server. */
  server: string;
}

/** Notebook-level metadata. */
export interface INotebookMetadata extends IMetadata {
  kernelspec?: { name: string; display_name: string; [key: string]: unknown };
  language_info?: { name: string; [key: string]: unknown };
  gallery?: IGalleryProvenance;
}

/** An output of a code cell. */
export interface IOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  [key: string]: unknown;
}

interface IBaseCell {
  /** Present from nbformat 4.5 on. */
  id?: string;
  source: MultilineString;
  metadata: IMetadata;
  [key: string]: unknown;
}

/** A code cell. */
export interface ICodeCell extends IBaseCell {
  cell_type: 'code';
  outputs: IOutput[];
  execution_count: number | null;
}

/** A markdown cell. */
export interface IMarkdownCell extends IBaseCell {
  cell_type: 'markdown';
  attachments?: Record<string, Record<string, MultilineString>>;
}

/** A raw cell. */
export interface IRawCell extends IBaseCell {
  cell_type: 'raw';
  attachments?: Record<string, Record<string, MultilineString>>;
}

/** Any cell. */
export type ICell = ICodeCell | IMarkdownCell | IRawCell;

/** A whole nbformat 4 notebook. */
export interface INotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: INotebookMetadata;
  cells: ICell[];
  [key: string]: unknown;
}

/** The notebook-metadata key under which the extension records provenance. */
export const GALLERY_METADATA_KEY = 'gallery';

/** The MIME type the server answers notebook content with. */
export const NOTEBOOK_MIME_TYPE = 'application/x-ipynb+json';
