import type { ChangeRequestStatus } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
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
import { PgParams } from './pgParams';
import { pgEditableNotebooks, pgReadableNotebooks } from './pgReadableNotebooks';

/** Newest first, ties by id in byte order, as SQLite's default collation sorts. */
const NEWEST_FIRST = 'ORDER BY cr.created_at COLLATE "C" DESC, cr.id COLLATE "C" DESC';

/**
 * Change requests in PostgreSQL, the twin of SqliteChangeRequestRepository. A decision is one conditional UPDATE, so
 * of two replicas deciding the same open request at once exactly one wins (the other's row no longer matches
 * `status = 'open'` once it gets the row lock).
 */
export class PgChangeRequestRepository implements IChangeRequestRepository {
  constructor(private readonly _db: PgDatabase) {}

  async insert(request: INewChangeRequest): Promise<void> {
    await this._db.execute(
      `INSERT INTO change_requests (${NEW_CHANGE_REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      newChangeRequestValues(request)
    );
  }

  async find(notebookId: string, requestId: string): Promise<IChangeRequestRecord | undefined> {
    return this._db.queryOne<IChangeRequestRecord>(
      `SELECT ${CHANGE_REQUEST_COLUMNS} ${CHANGE_REQUEST_FROM} WHERE cr.notebook_id = $1 AND cr.id = $2`,
      [notebookId, requestId]
    );
  }

  async listForNotebook(
    notebookId: string,
    filter: { status?: ChangeRequestStatus; proposer?: string }
  ): Promise<IChangeRequestRecord[]> {
    const params = new PgParams();
    const where = [`cr.notebook_id = ${params.add(notebookId)}`];
    if (filter.status !== undefined) {
      where.push(`cr.status = ${params.add(filter.status)}`);
    }
    if (filter.proposer !== undefined) {
      where.push(`cr.proposer = ${params.add(filter.proposer)}`);
    }
    return this._db.query<IChangeRequestRecord>(
      `SELECT ${CHANGE_REQUEST_COLUMNS} ${CHANGE_REQUEST_FROM} WHERE ${where.join(' AND ')} ${NEWEST_FIRST}`,
      params.values
    );
  }

  async listForCaller(
    caller: ICaller,
    role: ChangeRequestRole,
    status?: ChangeRequestStatus
  ): Promise<IListedChangeRequest[]> {
    const params = new PgParams();
    const editable = pgEditableNotebooks(caller, params);
    // Built only when chosen: every `$n` bound must appear in the statement.
    const mine = (): string =>
      `(cr.proposer = ${params.add(caller.user?.username ?? null)} AND ${pgReadableNotebooks(caller, params)})`;
    const chosen = role === 'proposer' ? [mine()] : role === 'reviewer' ? [editable] : [mine(), editable];
    const where = [`(${chosen.join(' OR ')})`];
    if (status !== undefined) {
      where.push(`cr.status = ${params.add(status)}`);
    }
    const rows = await this._db.query<IChangeRequestRecord & { callerMayEdit: boolean }>(
      `SELECT ${CHANGE_REQUEST_COLUMNS}, ${editable} AS "callerMayEdit" ${CHANGE_REQUEST_FROM}
       WHERE ${where.join(' AND ')} ${NEWEST_FIRST}`,
      params.values
    );
    return rows.map(({ callerMayEdit, ...record }) => ({ record, callerMayEdit }));
  }

  async countOpen(proposer: string, notebookId: string): Promise<{ onNotebook: number; total: number }> {
    const row = await this._db.queryOne<{ total: number; on_notebook: number }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE notebook_id = $1) AS on_notebook
       FROM change_requests WHERE proposer = $2 AND status = 'open'`,
      [notebookId, proposer]
    );
    return { onNotebook: row?.on_notebook ?? 0, total: row?.total ?? 0 };
  }

  async decide(notebookId: string, requestId: string, decision: IChangeRequestDecision): Promise<boolean> {
    const changed = await this._db.execute(
      `UPDATE change_requests SET status = $1, decided_at = $2, decided_by = $3, comment = $4, accepted_revision = $5
       WHERE id = $6 AND notebook_id = $7 AND status = 'open'`,
      [
        decision.status,
        decision.decidedAt,
        decision.decidedBy,
        decision.comment,
        decision.acceptedRevision,
        requestId,
        notebookId
      ]
    );
    return changed === 1;
  }
}
