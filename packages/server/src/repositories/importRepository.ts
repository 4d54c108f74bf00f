/**
 * What imports applied, so a re-run adds nothing and an interrupted run resumes: which gallery notebook each source
 * key became, and which of its revisions were applied. Rows go with their notebook (a notebook deleted in the gallery
 * is imported afresh by the next run).
 */
export interface IImportRepository {
  /** The gallery notebook that `sourceKey` of `origin` became, or undefined. */
  findNotebook(origin: string, sourceKey: string): Promise<string | undefined>;
  /** Whether revision `revisionKey` of that item was applied. */
  isApplied(origin: string, sourceKey: string, revisionKey: string): Promise<boolean>;
  /**
   * Records that revision `revisionKey` of that item was applied to `notebookId` (gallery revision `revision`), the
   * item's mapping too when it is its first. Called in the transaction that commits the revision's rows.
   */
  recordApplied(entry: IAppliedRevision): Promise<void>;
}

/** One applied revision. */
export interface IAppliedRevision {
  origin: string;
  sourceKey: string;
  revisionKey: string;
  notebookId: string;
  /** The gallery commit it became (the head it left unchanged when stripped it equalled the latest). */
  revision: string;
  /** ISO time of the import. */
  importedAt: string;
}
