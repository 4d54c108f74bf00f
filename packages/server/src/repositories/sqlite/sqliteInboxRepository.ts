import type { IInboxEvent } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import {
  inboxEvent,
  INBOX_EVENT_COLUMNS,
  insertedInboxEvent,
  notebookFollowers,
  type IFollowerRow,
  type IInboxEventRow
} from '../inboxRecords';
import type { IInboxPageRequest, IInboxRepository, INewInboxEvent, INotebookFollowers } from '../inboxRepository';
import { readableNotebooksSql } from './readableNotebooksSql';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** Inbox events and mutes in SQLite; an event's id is its seq as text. */
export class SqliteInboxRepository implements IInboxRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async insert(events: readonly INewInboxEvent[]): Promise<IInboxEvent[]> {
    return this._gate.run(() => {
      const insert = this._db.prepare(
        `INSERT INTO inbox_events (recipient, kind, notebook_id, comment_id, change_request_id, revision, actor, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      );
      const title = this._db.prepare('SELECT title FROM notebooks WHERE id = ?');
      return this._db.transaction(() =>
        events.map(event => {
          const seq = Number(
            insert.run(
              event.recipient,
              event.kind,
              event.notebookId,
              event.commentId,
              event.changeRequestId,
              event.revision,
              event.actor,
              event.createdAt
            ).lastInsertRowid
          );
          const notebook = title.get(event.notebookId) as { title: string } | undefined;
          return insertedInboxEvent(event, seq, notebook?.title);
        })
      )();
    });
  }

  async page(caller: ICaller, request: IInboxPageRequest): Promise<{ event: IInboxEvent; seq: number }[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      const where = ['e.recipient = ?', readable.sql];
      const params: unknown[] = [caller.user?.username ?? null, ...readable.params];
      if (request.unread) {
        where.push('e.read_at IS NULL');
      }
      if (request.before !== null) {
        where.push('e.seq < ?');
        params.push(request.before);
      }
      const rows = this._db
        .prepare(
          `SELECT ${INBOX_EVENT_COLUMNS}
         FROM inbox_events e JOIN notebooks n ON n.id = e.notebook_id
         WHERE ${where.join(' AND ')}
         ORDER BY e.seq DESC LIMIT ?`
        )
        .all(...params, request.limit + 1) as IInboxEventRow[];
      return rows.map(row => ({ seq: row.seq, event: inboxEvent(row) }));
    });
  }

  async unreadCount(caller: ICaller): Promise<number> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      const row = this._db
        .prepare(
          `SELECT count(*) AS unread FROM inbox_events e JOIN notebooks n ON n.id = e.notebook_id
         WHERE e.recipient = ? AND e.read_at IS NULL AND ${readable.sql}`
        )
        .get(caller.user?.username ?? null, ...readable.params) as { unread: number };
      return row.unread;
    });
  }

  async markRead(username: string, ids: readonly string[] | null, at: string): Promise<void> {
    return this._gate.run(() => {
      if (ids === null) {
        this._db
          .prepare('UPDATE inbox_events SET read_at = ? WHERE recipient = ? AND read_at IS NULL')
          .run(at, username);
        return;
      }
      const seqs = ids.map(Number).filter(Number.isSafeInteger);
      if (seqs.length === 0) {
        return;
      }
      this._db
        .prepare(
          `UPDATE inbox_events SET read_at = ? WHERE recipient = ? AND read_at IS NULL
         AND seq IN (${seqs.map(() => '?').join(', ')})`
        )
        .run(at, username, ...seqs);
    });
  }

  async setMuted(username: string, notebookId: string, muted: boolean, at: string): Promise<void> {
    return this._gate.run(() => {
      if (muted) {
        this._db
          .prepare(
            'INSERT INTO notebook_mutes (username, notebook_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
          )
          .run(username, notebookId, at);
      } else {
        this._db.prepare('DELETE FROM notebook_mutes WHERE username = ? AND notebook_id = ?').run(username, notebookId);
      }
    });
  }

  async mutedAmong(notebookId: string, usernames: readonly string[]): Promise<Set<string>> {
    return this._gate.run(() => {
      if (usernames.length === 0) {
        return new Set();
      }
      const rows = this._db
        .prepare(
          `SELECT username FROM notebook_mutes WHERE notebook_id = ?
         AND username IN (${usernames.map(() => '?').join(', ')})`
        )
        .all(notebookId, ...usernames) as { username: string }[];
      return new Set(rows.map(row => row.username));
    });
  }

  async followers(notebookId: string): Promise<INotebookFollowers> {
    return this._gate.run(() => {
      // One statement: it runs on every save of a notebook (queriesPerSave.test.ts counts them).
      const rows = this._db
        .prepare(
          `SELECT 'starred' AS via, username FROM notebook_stars WHERE notebook_id = ?
         UNION SELECT 'copied', owner FROM notebooks WHERE parent_id = ? AND owner_kind = 'user'
         UNION SELECT 'copied', username FROM notebook_opens WHERE notebook_id = ?`
        )
        .all(notebookId, notebookId, notebookId) as IFollowerRow[];
      return notebookFollowers(rows);
    });
  }
}
