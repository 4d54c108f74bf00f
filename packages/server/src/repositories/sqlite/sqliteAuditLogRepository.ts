import type { IAuditEntry } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { IAuditLogRepository } from '../auditLogRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `audit_log` table. */
export class SqliteAuditLogRepository implements IAuditLogRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async record(actor: string, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('INSERT INTO audit_log (actor, action, target, details, at) VALUES (?, ?, ?, ?, ?)')
        .run(actor, action, target, JSON.stringify(details), new Date().toISOString());
    });
  }

  async list(limit: number, before?: number): Promise<IAuditEntry[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
        .all(before ?? Number.MAX_SAFE_INTEGER, limit) as Array<Omit<IAuditEntry, 'details'> & { details: string }>;
      return rows.map(row => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
    });
  }
}
