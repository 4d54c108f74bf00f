export { scanNotebookSecrets, DEFAULT_SCAN_BUDGET_MS } from './scanNotebook';
export type { ISecretFinding, ISecretScanResult, ISecretScanOptions } from './scanNotebook';
export { secretFingerprint } from './fingerprint';
export { SECRET_RULES } from './rules';
export { ALLOWLIST_PRAGMA } from './scanText';
