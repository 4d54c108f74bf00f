import { scanNotebookSecrets, type INotebook } from '@notebook-gallery/core';
import { SecretsFoundError } from '../errors/SecretsFoundError';
import type { ISecretAllowlistRepository } from '../repositories/secretAllowlistRepository';

/** What {@link SecretCheck} needs; built by the composition root. */
export interface ISecretCheckParts {
  allowlist: ISecretAllowlistRepository;
  /** How long one notebook's scan may take; generous, as the body limit already bounds the size. */
  timeBudgetMs: number;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** A notebook that passed: the confirmations it relied on, recorded once the save is done. */
export interface ISecretClearance {
  readonly fingerprints: readonly string[];
}

/** Time for one notebook's scan on the server: a 50 MiB notebook of code scans in well under this on one core. */
export const SERVER_SCAN_BUDGET_MS = 10_000;

/**
 * The secret check every save path runs (create, new revision, merged saves, change requests and their acceptance,
 * imports), in the service layer so no path can skip it: {@link check} before the save, {@link record} after it.
 * A finding passes when its fingerprint is confirmed for the notebook (an earlier save's confirmation, by anyone
 * who saved it) or in this save's `confirmedSecrets`; anything else refuses the save with 422 SECRETS_FOUND.
 */
export class SecretCheck {
  constructor(private readonly _parts: ISecretCheckParts) {}

  /**
   * Checks the notebook about to be committed (the stripped one, which is what is stored). `notebookIds` are the
   * notebooks whose confirmations count: the notebook saved to, or for a copy its parent.
   * @throws {SecretsFoundError} when a finding is neither confirmed before nor in `confirmedSecrets`.
   */
  async check(
    notebookIds: readonly string[],
    notebook: INotebook,
    confirmedSecrets: readonly string[] = []
  ): Promise<ISecretClearance> {
    // A scan that ran out of time without a finding lets the save through: refusing would make a huge notebook
    // unsaveable with nothing to fix; `notebook-gallery scan` has no deadline and finds what a save missed.
    const { findings } = scanNotebookSecrets(notebook, { timeBudgetMs: this._parts.timeBudgetMs });
    if (findings.length === 0) {
      // Most saves: no finding, so no query for confirmations either.
      return { fingerprints: [] };
    }
    const allowed = new Set<string>();
    for (const id of notebookIds) {
      for (const fingerprint of await this._parts.allowlist.forNotebook(id)) {
        allowed.add(fingerprint);
      }
    }
    const confirmed = new Set(confirmedSecrets);
    const unconfirmed = findings.filter(
      finding => !allowed.has(finding.fingerprint) && !confirmed.has(finding.fingerprint)
    );
    if (unconfirmed.length > 0) {
      throw new SecretsFoundError(unconfirmed);
    }
    // Only fingerprints of real findings are kept, so a request cannot fill the table with arbitrary strings.
    return { fingerprints: [...new Set(findings.map(finding => finding.fingerprint))] };
  }

  /** Keeps the confirmations a saved notebook relied on, so later saves of the same content pass. */
  async record(notebookId: string, clearance: ISecretClearance, confirmedBy: string): Promise<void> {
    if (clearance.fingerprints.length > 0) {
      await this._parts.allowlist.add(
        notebookId,
        clearance.fingerprints,
        confirmedBy,
        new Date(this._parts.now()).toISOString()
      );
    }
  }
}
