import type { IAuditEntry } from '@notebook-gallery/core';

/** Where admin actions are recorded, for `GET /api/admin/audit`. */
export interface IAuditLogRepository {
  /** Records that `actor` did `action` to `target`, now. */
  record(actor: string, action: string, target: string, details?: Record<string, unknown>): Promise<void>;
  /** The newest entries first; `before` is an id from a previous page. */
  list(limit: number, before?: number): Promise<IAuditEntry[]>;
}
