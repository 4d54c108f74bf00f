import { sourceText } from '../revisions/sourceLines';
import { isSecretAssignment } from './assignments';
import { secretFingerprint } from './fingerprint';
import { HIDDEN } from './masking';
import { secretRule } from './rules';
import { ALLOWLIST_PRAGMA, ITextHit, scanText } from './scanText';

/** One secret found in a notebook. Never holds the secret: only its masked form and its fingerprint. */
export interface ISecretFinding {
  /** Stable rule id, e.g. `aws-access-key-id`. */
  rule: string;
  /** A sentence fragment for people: `AWS access key ID`. */
  description: string;
  /** 0-based cell index; -1 for the notebook's own metadata. */
  cellIndex: number;
  /** The cell's nbformat id when it has one. */
  cellId?: string;
  where: 'source' | 'metadata';
  /** 1-based line in the cell source (or in the metadata string that held it). */
  line: number;
  /** 1-based. */
  column: number;
  /** e.g. `AKIA…MPLE` or `••••••`; never the secret itself. */
  masked: string;
  /** Lowercase hex SHA-256 of `${rule}\0${secretValue}`; the only thing ever stored. */
  fingerprint: string;
}

/** What a scan found, and whether it searched everything before its time ran out. */
export interface ISecretScanResult {
  findings: ISecretFinding[];
  complete: boolean;
}

/** Options of {@link scanNotebookSecrets}. */
export interface ISecretScanOptions {
  /** Fingerprints confirmed as not secrets: findings with these are left out. */
  allowed?: Iterable<string>;
  /** Milliseconds after which the scan stops and answers `complete: false`; default {@link DEFAULT_SCAN_BUDGET_MS}. */
  timeBudgetMs?: number;
}

/** The default time budget: far above what a real notebook needs (tens of milliseconds for megabytes). */
export const DEFAULT_SCAN_BUDGET_MS = 2000;

/** Metadata nests no deeper than this in practice; deeper parts are not searched, so a crafted nest cannot recurse without end. */
const MAX_METADATA_DEPTH = 32;

/** The rule a secret-looking `key: value` pair in metadata is reported under. */
const ASSIGNMENT_RULE = 'secret-assignment';

/**
 * Scans the parsed cell sources and the string values of cell and notebook metadata of a notebook for secrets.
 * It reads the parsed notebook, never its JSON text, so JSON escaping hides nothing; outputs, attachments (their
 * base64) and cell ids are never read, because they are data or random by design and only give false alarms.
 * Lines holding `pragma: allowlist secret` are skipped. `allowed` fingerprints are left out.
 *
 * A hostile cell cannot stall it: see {@link scanText}; the whole scan shares one deadline and answers
 * `complete: false` with what it found so far once `timeBudgetMs` has passed.
 */
export function scanNotebookSecrets(notebook: unknown, options: ISecretScanOptions = {}): ISecretScanResult {
  const deadline = Date.now() + (options.timeBudgetMs ?? DEFAULT_SCAN_BUDGET_MS);
  const allowed = new Set(options.allowed ?? []);
  const findings: ISecretFinding[] = [];
  const add = (place: IPlace, hits: ITextHit[]): void => {
    // Rules run one after another over a line: put the findings back in reading order.
    hits.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const hit of hits) {
      const fingerprint = secretFingerprint(hit.rule.id, hit.value);
      if (!allowed.has(fingerprint)) {
        findings.push({
          rule: hit.rule.id,
          description: hit.rule.description,
          ...place,
          line: hit.line,
          column: hit.column,
          masked: hit.masked,
          fingerprint
        });
      }
    }
  };
  const root = isRecord(notebook) ? notebook : {};
  let complete = scanMetadata(root.metadata, { cellIndex: -1, where: 'metadata' }, deadline, add);
  const cells = Array.isArray(root.cells) ? root.cells : [];
  for (let index = 0; complete && index < cells.length; index++) {
    const cell: unknown = cells[index];
    if (!isRecord(cell)) {
      continue;
    }
    const cellId = typeof cell.id === 'string' ? { cellId: cell.id } : {};
    const source = cell.source;
    if (typeof source === 'string' || (Array.isArray(source) && source.every(part => typeof part === 'string'))) {
      const hits: ITextHit[] = [];
      complete = scanText(sourceText(source), deadline, hits);
      add({ cellIndex: index, ...cellId, where: 'source' }, hits);
    }
    complete =
      complete && scanMetadata(cell.metadata, { cellIndex: index, ...cellId, where: 'metadata' }, deadline, add);
  }
  return { findings, complete };
}

/** Where in the notebook a string sits. */
interface IPlace {
  cellIndex: number;
  cellId?: string;
  where: 'source' | 'metadata';
}

/**
 * Every string value of a metadata tree, searched like a source; and every `key: "value"` pair given the
 * assignment check directly, because in parsed JSON the name and the value are no longer on one line of text.
 */
function scanMetadata(
  metadata: unknown,
  place: IPlace,
  deadline: number,
  add: (place: IPlace, hits: ITextHit[]) => void
): boolean {
  const assignment = secretRule(ASSIGNMENT_RULE);
  const visit = (value: unknown, key: string | undefined, depth: number): boolean => {
    if (typeof value === 'string') {
      const hits: ITextHit[] = [];
      const complete = scanText(value, deadline, hits);
      if (
        assignment &&
        key !== undefined &&
        !hits.some(hit => hit.value === value) &&
        !value.toLowerCase().includes(ALLOWLIST_PRAGMA) &&
        isSecretAssignment(key, value, true)
      ) {
        hits.push({ rule: assignment, value, line: 1, column: 1, masked: HIDDEN });
      }
      add(place, hits);
      return complete;
    }
    if (depth >= MAX_METADATA_DEPTH) {
      return true;
    }
    if (Array.isArray(value)) {
      return value.every(item => visit(item, key, depth + 1));
    }
    if (isRecord(value)) {
      return Object.entries(value).every(([name, item]) => visit(item, name, depth + 1));
    }
    return true;
  };
  return visit(metadata, undefined, 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
