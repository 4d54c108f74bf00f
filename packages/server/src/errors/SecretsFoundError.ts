import { ErrorCode, type ISecretFinding } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * A save whose notebook holds what looks like secrets nobody confirmed as not secrets. The reply lists the findings
 * masked (never the values), and the message says how to go on: fix the cells, or send the fingerprints in
 * `confirmedSecrets`.
 */
export class SecretsFoundError extends GalleryError {
  constructor(findings: ISecretFinding[]) {
    const first = findings[0];
    const place =
      first.cellIndex < 0
        ? "the notebook's metadata"
        : `cell ${first.cellIndex + 1}${first.where === 'metadata' ? "'s metadata" : ''}`;
    const more = findings.length > 1 ? ` and ${findings.length - 1} more` : '';
    super(
      ErrorCode.SECRETS_FOUND,
      422,
      `The notebook looks like it holds a secret (${first.description} in ${place}, line ${first.line}${more}); ` +
        'remove it from the notebook, or, if it is not a secret, save again with its fingerprint in "confirmedSecrets"',
      { findings }
    );
  }
}
