import { sha256Hex } from './sha256';

/**
 * The fingerprint of a finding: lowercase hex SHA-256 of `${rule}\0${value}`. It is the only trace of a secret the
 * gallery ever stores (a confirmation "this is not a secret"), and it names the same value under the same rule
 * wherever it sits in the notebook, so a confirmation survives moving the line.
 */
export function secretFingerprint(rule: string, value: string): string {
  return sha256Hex(`${rule}\0${value}`);
}
