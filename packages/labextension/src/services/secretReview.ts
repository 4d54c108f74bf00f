import {
  ErrorCode,
  scanNotebookSecrets,
  type INotebook,
  type ISecretFinding,
  type MultilineString
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from '../galleryError';

/**
 * The possible secrets found in a notebook about to be uploaded, and what the user decided about each: marked "Not a
 * secret", or chosen to fix in the notebook (which ends this save). Save waits until every finding is marked; a
 * fixed one is gone from the next scan. The dialogs show it and the save flow reads `confirmed` and `fixing`.
 */
export class SecretReview {
  /**
   * `notebook` is what was scanned (stripped), for the cells' first words; `marked` are fingerprints the user marked
   * in an earlier try (those of findings gone since, because the user fixed them, are dropped); `confirmed` are
   * fingerprints already confirmed in this save that the list no longer shows (the gallery's 422 lists only what was
   * not), sent again with the new decisions.
   */
  constructor(
    readonly findings: readonly ISecretFinding[],
    readonly notebook: INotebook,
    marked: Iterable<string> = [],
    confirmed: Iterable<string> = []
  ) {
    const found = new Set(findings.map(finding => finding.fingerprint));
    this._marked = new Set([...marked].filter(fingerprint => found.has(fingerprint)));
    this._carried = new Set([...confirmed].filter(fingerprint => !found.has(fingerprint)));
  }

  /** Emitted when a finding is marked or unmarked. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the user marked `finding` as not a secret. */
  isMarked(finding: ISecretFinding): boolean {
    return this._marked.has(finding.fingerprint);
  }

  /** Mark `finding` as not a secret, or take that back. Findings of the same value go together. */
  setMarked(finding: ISecretFinding, marked: boolean): void {
    if (marked === this.isMarked(finding)) {
      return;
    }
    if (marked) {
      this._marked.add(finding.fingerprint);
    } else {
      this._marked.delete(finding.fingerprint);
    }
    this._changed.emit();
  }

  /** How many findings are neither marked nor fixed; the save waits for none. */
  get unresolved(): number {
    return this.findings.filter(finding => !this.isMarked(finding)).length;
  }

  /** The fingerprints the user confirmed are not secrets, as the save sends them (`confirmedSecrets`). */
  get confirmed(): string[] {
    return [...new Set([...this._carried, ...this._marked])];
  }

  /** The finding the user chose to fix in the notebook; set, the save stops so they can edit. */
  get fixing(): ISecretFinding | null {
    return this._fixing;
  }

  /** The user chose to fix `finding`: the dialog closes and the save flow shows the cell. */
  requestFix(finding: ISecretFinding): void {
    this._fixing = finding;
  }

  private _marked: Set<string>;
  private _carried: Set<string>;
  private _fixing: ISecretFinding | null = null;
  private _changed = new Signal<this, void>(this);
}

/**
 * Scan the stripped notebook about to be uploaded with core's scanner, the one the gallery runs on every save.
 * `allowed` are fingerprints already confirmed for this notebook.
 */
export function scanUpload(notebook: INotebook, allowed: Iterable<string> = []): ISecretFinding[] {
  return scanNotebookSecrets(notebook, { allowed }).findings;
}

/** The save body's field carrying the user's decisions; absent when there are none, as for a save with no findings. */
export function confirmedField(confirmed: readonly string[]): { confirmedSecrets?: string[] } {
  return confirmed.length > 0 ? { confirmedSecrets: [...confirmed] } : {};
}

/** The findings of the gallery's 422 `SECRETS_FOUND` (a rule this page did not run), or null for any other error. */
export function refusedSecrets(error: unknown): ISecretFinding[] | null {
  if (!GalleryError.is(error, ErrorCode.SECRETS_FOUND)) {
    return null;
  }
  const { findings } = error.details;
  return Array.isArray(findings) ? (findings as ISecretFinding[]) : [];
}

/**
 * Where a finding is, as people count: "Cell 3 (“import boto3”), line 2". The cell's first words come from the
 * scanned notebook and stop before any finding in that cell, so they never show the secret.
 */
export function findingPlace(trans: TranslationBundle, review: SecretReview, finding: ISecretFinding): string {
  if (finding.cellIndex < 0) {
    return trans.__('Notebook metadata, line %1', finding.line);
  }
  const number = finding.cellIndex + 1;
  const words = Private.firstWords(review, finding.cellIndex);
  if (finding.where === 'metadata') {
    return words
      ? trans.__('Cell %1 (“%2”), cell metadata, line %3', number, words, finding.line)
      : trans.__('Cell %1, cell metadata, line %2', number, finding.line);
  }
  return words
    ? trans.__('Cell %1 (“%2”), line %3', number, words, finding.line)
    : trans.__('Cell %1, line %2', number, finding.line);
}

/** Why Save is disabled, or null when every finding is marked. */
export function blockedReason(trans: TranslationBundle, review: SecretReview): string | null {
  const left = review.unresolved;
  if (left === 0) {
    return null;
  }
  return trans._n(
    'Saving is off until you deal with the possible secret above: fix it in the notebook, or tick “Not a secret”.',
    'Saving is off until you deal with the %1 possible secrets above: fix each in the notebook, or tick “Not a secret”.',
    left
  );
}

/** The count announced to screen readers and shown above the list. */
export function findingsCount(trans: TranslationBundle, review: SecretReview): string {
  const total = review.findings.length;
  const left = review.unresolved;
  const found = trans._n('The gallery found %1 possible secret.', 'The gallery found %1 possible secrets.', total);
  return left === 0
    ? trans.__('%1 All are marked “Not a secret”.', found)
    : trans._n('%2 %1 still needs your decision.', '%2 %1 still need your decision.', left, found);
}

namespace Private {
  /** How much of a cell's first line names it. */
  const MAX_WORDS_LENGTH = 40;

  /** The start of cell `index`'s first line with text, cut before any finding on it; '' when none is left. */
  export function firstWords(review: SecretReview, index: number): string {
    const cell = review.notebook.cells[index];
    if (!cell) {
      return '';
    }
    const lines = joined(cell.source).split('\n');
    for (let number = 1; number <= lines.length; number++) {
      const cuts = review.findings
        .filter(finding => finding.cellIndex === index && finding.where === 'source' && finding.line === number)
        .map(finding => finding.column - 1);
      const line = lines[number - 1].slice(0, Math.min(lines[number - 1].length, ...cuts));
      const words = line
        .replace(/^\s*#+\s*/, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (words) {
        return shorten(words);
      }
      if (cuts.length > 0) {
        // The line starts with a finding: name the cell by number only rather than by a later line.
        return '';
      }
    }
    return '';
  }

  function shorten(words: string): string {
    if (words.length <= MAX_WORDS_LENGTH) {
      return words;
    }
    const cut = words.lastIndexOf(' ', MAX_WORDS_LENGTH);
    return `${words.slice(0, cut > 0 ? cut : MAX_WORDS_LENGTH)}…`;
  }

  function joined(source: MultilineString): string {
    return Array.isArray(source) ? source.join('') : source;
  }
}
