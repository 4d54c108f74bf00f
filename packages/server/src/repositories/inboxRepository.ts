import type { IInboxEvent, InboxEventKind } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';

/** An event for one recipient, before it is stored. */
export interface INewInboxEvent {
  recipient: string;
  kind: InboxEventKind;
  notebookId: string;
  actor: string;
  commentId: string | null;
  changeRequestId: string | null;
  revision: string | null;
  createdAt: string;
}

/** A page of a user's inbox. */
export interface IInboxPageRequest {
  /** Only unread events. */
  unread: boolean;
  limit: number;
  /** Only events older than this one (its seq), for the next page. */
  before: number | null;
}

/** Who hears about a notebook's changes: its starrers and the users who copied it. */
export interface INotebookFollowers {
  starred: string[];
  /** Owners of saved copies (forks) and users who opened a copy in JupyterLab. */
  copied: string[];
}

/** Inbox events and notebook mutes. */
export interface IInboxRepository {
  /** Stores the events; returns them as listed, ids included. */
  insert(events: readonly INewInboxEvent[]): Promise<IInboxEvent[]>;
  /**
   * Newest first, `caller`'s own events on notebooks they may still read (the rule is applied in the query), at
   * most `limit + 1` so the caller knows whether there is a next page; `seq` is each event's cursor.
   */
  page(caller: ICaller, request: IInboxPageRequest): Promise<{ event: IInboxEvent; seq: number }[]>;
  /** How many unread events `caller` has on notebooks they may still read. */
  unreadCount(caller: ICaller): Promise<number>;
  /** Marks `username`'s events read: those with these ids, or all when `ids` is null. */
  markRead(username: string, ids: readonly string[] | null, at: string): Promise<void>;
  /** Mutes or unmutes a notebook for `username`; idempotent. */
  setMuted(username: string, notebookId: string, muted: boolean, at: string): Promise<void>;
  /** Which of `usernames` muted the notebook. */
  mutedAmong(notebookId: string, usernames: readonly string[]): Promise<Set<string>>;
  /** Who starred and who copied the notebook. */
  followers(notebookId: string): Promise<INotebookFollowers>;
}
