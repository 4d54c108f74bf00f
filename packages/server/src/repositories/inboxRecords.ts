import type { IInboxEvent, InboxEventKind } from '@notebook-gallery/core';
import type { INewInboxEvent, INotebookFollowers } from './inboxRepository';

/** A row of `inbox_events` joined with its notebook's title, as both backends select it for a page. */
export interface IInboxEventRow {
  seq: number;
  kind: InboxEventKind;
  notebook_id: string;
  title: string;
  actor: string;
  comment_id: string | null;
  change_request_id: string | null;
  revision: string | null;
  created_at: string;
  read_at: string | null;
}

/** The columns of {@link IInboxEventRow}, of `inbox_events` aliased `e` joined with `notebooks` aliased `n`. */
export const INBOX_EVENT_COLUMNS = `e.seq, e.kind, e.notebook_id, n.title, e.actor, e.comment_id, e.change_request_id,
  e.revision, e.created_at, e.read_at`;

/** The event a row holds; its id is its seq as text. */
export function inboxEvent(row: IInboxEventRow): IInboxEvent {
  return {
    id: String(row.seq),
    kind: row.kind,
    notebookId: row.notebook_id,
    notebookTitle: row.title,
    actor: row.actor,
    commentId: row.comment_id,
    changeRequestId: row.change_request_id,
    revision: row.revision,
    createdAt: row.created_at,
    read: row.read_at !== null
  };
}

/** A new event as listed once stored as `seq`, unread; a notebook gone meanwhile lists with an empty title. */
export function insertedInboxEvent(event: INewInboxEvent, seq: number, title: string | undefined): IInboxEvent {
  return inboxEvent({
    seq,
    kind: event.kind,
    notebook_id: event.notebookId,
    title: title ?? '',
    actor: event.actor,
    comment_id: event.commentId,
    change_request_id: event.changeRequestId,
    revision: event.revision,
    created_at: event.createdAt,
    read_at: null
  });
}

/** A follower of a notebook and how: a row of the union both backends select for {@link notebookFollowers}. */
export interface IFollowerRow {
  via: 'starred' | 'copied';
  username: string;
}

/** The followers the rows name, each list in the rows' order. */
export function notebookFollowers(rows: readonly IFollowerRow[]): INotebookFollowers {
  return {
    starred: rows.filter(row => row.via === 'starred').map(row => row.username),
    copied: rows.filter(row => row.via === 'copied').map(row => row.username)
  };
}
