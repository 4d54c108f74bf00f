import type { GalleryDatabase } from '../db/database';

/** One audited admin action. */
export interface IAuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  at: string;
}

/** Records what admins did that only their admin role allowed, for `GET /api/admin/audit`. */
export class AuditLog {
  constructor(private readonly _db: GalleryDatabase) {}

  record(actor: string, action: string, target: string, details: Record<string, unknown> = {}): void {
    this._db
      .prepare('INSERT INTO audit_log (actor, action, target, details, at) VALUES (?, ?, ?, ?, ?)')
      .run(actor, action, target, JSON.stringify(details), new Date().toISOString());
  }

  /** The newest entries first; `before` is an id from a previous page. */
  list(limit: number, before?: number): IAuditEntry[] {
    const rows = this._db
      .prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(before ?? Number.MAX_SAFE_INTEGER, limit) as Array<Omit<IAuditEntry, 'details'> & { details: string }>;
    return rows.map(row => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }
}
