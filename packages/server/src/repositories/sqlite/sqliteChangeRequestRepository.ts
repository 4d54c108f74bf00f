import type { ChangeRequestStatus } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import {
  CHANGE_REQUEST_COLUMNS,
  CHANGE_REQUEST_FROM,
  NEW_CHANGE_REQUEST_COLUMNS,
  newChangeRequestValues
} from '../changeRequestRecords';
import type {
  ChangeRequestRole,
  IChangeRequestDecision,
  IChangeRequestRecord,
  IChangeRequestRepository,
  IListedChangeRequest,
  INewChangeRequest
} from '../changeRequestRepository';
import { editableNotebooksSql, readableNotebooksSql } from './readableNotebooksSql';
import { SqliteConnectionGate } from './sqliteConnectionGate';

const NEWEST_FIRST = 'ORDER BY cr.created_at DESC, cr.id DESC';

/** Change requests in SQLite. */
export class SqliteChangeRequestRepository implements IChangeRequestRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async insert(request: INewChangeRequest): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(`INSERT INTO change_requests (${NEW_CHANGE_REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(...newChangeRequestValues(request));
    });
  }

  async find(notebookId: string, requestId: string): Promise<IChangeRequestRecord | undefined> {
    return this._gate.run(
      () =>
        this._db
          .prepare(`SELECT ${CHANGE_REQUEST_COLUMNS} ${CHANGE_REQUEST_FROM} WHERE cr.notebook_id = ? AND cr.id = ?`)
          .get(notebookId, requestId) as IChangeRequestRecord | undefined
    );
  }

  async listForNotebook(
    notebookId: string,
    filter: { status?: ChangeRequestStatus; proposer?: string }
  ): Promise<IChangeRequestRecord[]> {
    return this._gate.run(() => {
      const where = ['cr.notebook_id = ?'];
      const params: unknown[] = [notebookId];
      if (filter.status !== undefined) {
        where.push('cr.status = ?');
        params.push(filter.status);
      }
      if (filter.proposer !== undefined) {
        where.push('cr.proposer = ?');
        params.push(filter.proposer);
      }
      return this._db
        .prepare(`SELECT ${CHANGE_REQUEST_COLUMNS} ${CHANGE_REQUEST_FROM} WHERE ${where.join(' AND ')} ${NEWEST_FIRST}`)
        .all(...params) as IChangeRequestRecord[];
    });
  }

  async listForCaller(
    caller: ICaller,
    role: ChangeRequestRole,
    status?: ChangeRequestStatus
  ): Promise<IListedChangeRequest[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      const editable = editableNotebooksSql(caller);
      const mine = {
        sql: `(cr.proposer = ? AND ${readable.sql})`,
        params: [caller.user?.username ?? null, ...readable.params]
      };
      const chosen = role === 'proposer' ? [mine] : role === 'reviewer' ? [editable] : [mine, editable];
      const where = [`(${chosen.map(part => part.sql).join(' OR ')})`];
      const params: unknown[] = [...editable.params, ...chosen.flatMap(part => part.params)];
      if (status !== undefined) {
        where.push('cr.status = ?');
        params.push(status);
      }
      const rows = this._db
        .prepare(
          `SELECT ${CHANGE_REQUEST_COLUMNS}, ${editable.sql} AS callerMayEdit ${CHANGE_REQUEST_FROM}
           WHERE ${where.join(' AND ')} ${NEWEST_FIRST}`
        )
        .all(...params) as (IChangeRequestRecord & { callerMayEdit: number })[];
      return rows.map(({ callerMayEdit, ...record }) => ({ record, callerMayEdit: callerMayEdit !== 0 }));
    });
  }

  async countOpen(proposer: string, notebookId: string): Promise<{ onNotebook: number; total: number }> {
    return this._gate.run(() => {
      const row = this._db
        .prepare(
          `SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN notebook_id = ? THEN 1 ELSE 0 END), 0) AS on_notebook
         FROM change_requests WHERE proposer = ? AND status = 'open'`
        )
        .get(notebookId, proposer) as { total: number; on_notebook: number };
      return { onNotebook: row.on_notebook, total: row.total };
    });
  }

  async decide(notebookId: string, requestId: string, decision: IChangeRequestDecision): Promise<boolean> {
    return this._gate.run(() => {
      const result = this._db
        .prepare(
          `UPDATE change_requests SET status = ?, decided_at = ?, decided_by = ?, comment = ?, accepted_revision = ?
         WHERE id = ? AND notebook_id = ? AND status = 'open'`
        )
        .run(
          decision.status,
          decision.decidedAt,
          decision.decidedBy,
          decision.comment,
          decision.acceptedRevision,
          requestId,
          notebookId
        );
      return result.changes === 1;
    });
  }
}
