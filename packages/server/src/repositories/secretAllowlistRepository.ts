/**
 * Per-notebook confirmations of the secret check: fingerprints (SHA-256 of rule and value) that someone who saved the
 * notebook confirmed are not secrets. Only fingerprints are kept, never values.
 */
export interface ISecretAllowlistRepository {
  /** The fingerprints confirmed for a notebook. */
  forNotebook(notebookId: string): Promise<Set<string>>;
  /** Records confirmations; one already recorded is kept as it was (who confirmed it first, and when). */
  add(notebookId: string, fingerprints: readonly string[], confirmedBy: string, when: string): Promise<void>;
}
