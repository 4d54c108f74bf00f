import type { IInboxEvent } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  inboxEvent,
  INBOX_EVENT_COLUMNS,
  insertedInboxEvent,
  notebookFollowers,
  type IFollowerRow,
  type IInboxEventRow
} from '../inboxRecords';
import type { IInboxPageRequest, IInboxRepository, INewInboxEvent, INotebookFollowers } from '../inboxRepository';
import { PgParams } from './pgParams';
import { pgReadableNotebooks } from './pgReadableNotebooks';

/** Inbox events and mutes in PostgreSQL, the twin of SqliteInboxRepository; an event's id is its seq as text. */
export class PgInboxRepository implements IInboxRepository {
  constructor(private readonly _db: PgDatabase) {}

  /**
   * Two statements whatever the number of events (a popular notebook's new revision tells every starrer): one insert
   * of them all, in the order given, and one read of the titles. Sequence values are taken in that order, so the
   * returned seqs, sorted, belong to the events in turn.
   */
  async insert(events: readonly INewInboxEvent[]): Promise<IInboxEvent[]> {
    if (events.length === 0) {
      return [];
    }
    const column = <K extends keyof INewInboxEvent>(key: K): INewInboxEvent[K][] => events.map(event => event[key]);
    return this._db.transaction(async () => {
      const inserted = await this._db.query<{ seq: number }>(
        `INSERT INTO inbox_events (recipient, kind, notebook_id, comment_id, change_request_id, revision, actor,
           created_at)
         SELECT e.recipient, e.kind, e.notebook_id, e.comment_id, e.change_request_id, e.revision, e.actor, e.created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           WITH ORDINALITY AS e (recipient, kind, notebook_id, comment_id, change_request_id, revision, actor,
             created_at, n)
         ORDER BY e.n
         RETURNING seq`,
        [
          column('recipient'),
          column('kind'),
          column('notebookId'),
          column('commentId'),
          column('changeRequestId'),
          column('revision'),
          column('actor'),
          column('createdAt')
        ]
      );
      const seqs = inserted.map(row => row.seq).sort((a, b) => a - b);
      const titles = new Map(
        (
          await this._db.query<{ id: string; title: string }>('SELECT id, title FROM notebooks WHERE id = ANY($1)', [
            [...new Set(column('notebookId'))]
          ])
        ).map(row => [row.id, row.title])
      );
      return events.map((event, index) => insertedInboxEvent(event, seqs[index], titles.get(event.notebookId)));
    });
  }

  async page(caller: ICaller, request: IInboxPageRequest): Promise<{ event: IInboxEvent; seq: number }[]> {
    const params = new PgParams();
    const where = [`e.recipient = ${params.add(caller.user?.username ?? null)}`, pgReadableNotebooks(caller, params)];
    if (request.unread) {
      where.push('e.read_at IS NULL');
    }
    if (request.before !== null) {
      where.push(`e.seq < ${params.add(request.before)}`);
    }
    const rows = await this._db.query<IInboxEventRow>(
      `SELECT ${INBOX_EVENT_COLUMNS}
       FROM inbox_events e JOIN notebooks n ON n.id = e.notebook_id
       WHERE ${where.join(' AND ')}
       ORDER BY e.seq DESC LIMIT ${params.add(request.limit + 1)}`,
      params.values
    );
    return rows.map(row => ({ seq: row.seq, event: inboxEvent(row) }));
  }

  async unreadCount(caller: ICaller): Promise<number> {
    const params = new PgParams();
    const recipient = params.add(caller.user?.username ?? null);
    const row = await this._db.queryOne<{ unread: number }>(
      `SELECT count(*) AS unread FROM inbox_events e JOIN notebooks n ON n.id = e.notebook_id
       WHERE e.recipient = ${recipient} AND e.read_at IS NULL AND ${pgReadableNotebooks(caller, params)}`,
      params.values
    );
    return row?.unread ?? 0;
  }

  async markRead(username: string, ids: readonly string[] | null, at: string): Promise<void> {
    if (ids === null) {
      await this._db.execute('UPDATE inbox_events SET read_at = $1 WHERE recipient = $2 AND read_at IS NULL', [
        at,
        username
      ]);
      return;
    }
    const seqs = ids.map(Number).filter(Number.isSafeInteger);
    if (seqs.length === 0) {
      return;
    }
    await this._db.execute(
      `UPDATE inbox_events SET read_at = $1 WHERE recipient = $2 AND read_at IS NULL AND seq = ANY($3::bigint[])`,
      [at, username, seqs]
    );
  }

  async setMuted(username: string, notebookId: string, muted: boolean, at: string): Promise<void> {
    if (muted) {
      await this._db.execute(
        'INSERT INTO notebook_mutes (username, notebook_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [username, notebookId, at]
      );
    } else {
      await this._db.execute('DELETE FROM notebook_mutes WHERE username = $1 AND notebook_id = $2', [
        username,
        notebookId
      ]);
    }
  }

  async mutedAmong(notebookId: string, usernames: readonly string[]): Promise<Set<string>> {
    if (usernames.length === 0) {
      return new Set();
    }
    const rows = await this._db.query<{ username: string }>(
      'SELECT username FROM notebook_mutes WHERE notebook_id = $1 AND username = ANY($2)',
      [notebookId, usernames]
    );
    return new Set(rows.map(row => row.username));
  }

  /**
   * One statement, as on SQLite (it runs on every save). SQLite's UNION hands its rows back sorted; PostgreSQL's
   * may come in any order, so the order is named: each list by name in byte order, the order SQLite gives.
   */
  async followers(notebookId: string): Promise<INotebookFollowers> {
    const rows = await this._db.query<IFollowerRow>(
      `SELECT via, username FROM (
         SELECT 'starred' AS via, username FROM notebook_stars WHERE notebook_id = $1
         UNION SELECT 'copied', owner FROM notebooks WHERE parent_id = $1 AND owner_kind = 'user'
         UNION SELECT 'copied', username FROM notebook_opens WHERE notebook_id = $1
       ) f ORDER BY username COLLATE "C"`,
      [notebookId]
    );
    return notebookFollowers(rows);
  }
}
