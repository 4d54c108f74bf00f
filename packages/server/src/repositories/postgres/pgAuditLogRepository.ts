import type { IAuditEntry } from '@notebook-gallery/core';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IAuditLogRepository } from '../auditLogRepository';

/** The `audit_log` table in PostgreSQL: the twin of SqliteAuditLogRepository. */
export class PgAuditLogRepository implements IAuditLogRepository {
  constructor(private readonly _db: PgDatabase) {}

  async record(actor: string, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
    await this._db.execute('INSERT INTO audit_log (actor, action, target, details, at) VALUES ($1, $2, $3, $4, $5)', [
      actor,
      action,
      target,
      JSON.stringify(details),
      new Date().toISOString()
    ]);
  }

  async list(limit: number, before?: number): Promise<IAuditEntry[]> {
    const rows = await this._db.query<Omit<IAuditEntry, 'details'> & { details: string }>(
      'SELECT id, actor, action, target, details, at FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2',
      [before ?? Number.MAX_SAFE_INTEGER, limit]
    );
    return rows.map(row => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }
}
