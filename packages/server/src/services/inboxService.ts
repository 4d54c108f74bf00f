import type {
  IInboxEvent,
  IInboxQuery,
  IInboxResponse,
  IMarkReadRequest,
  IMuteResponse,
  InboxEventKind,
  IUnreadCountResponse
} from '@notebook-gallery/core';
import { INBOX_PAGE_DEFAULT_LIMIT } from '@notebook-gallery/core';
import { notebookAccess, type ICaller } from '../auth/permissions';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { ILogger } from '../logger';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IGroupRepository } from '../repositories/groupRepository';
import type { IInboxRepository } from '../repositories/inboxRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { IUserRepository } from '../repositories/userRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { loadAuthorized, userOf } from './authorizedNotebook';
import type { WebhookDispatcher } from './webhookDispatcher';

/** What the service needs; built by the composition root. */
export interface IInboxServiceParts {
  inbox: IInboxRepository;
  users: Pick<IUserRepository, 'find'>;
  groups: Pick<IGroupRepository, 'rolesOf' | 'members'>;
  store: Pick<NotebookStore, 'get' | 'find'>;
  audit: Pick<IAuditLogRepository, 'record'>;
  webhooks: Pick<WebhookDispatcher, 'enqueue'>;
  log: ILogger;
}

/** Someone who may hear of an event, and why; earlier candidates win when a user is named twice. */
export interface IRecipientCandidate {
  username: string;
  kind: InboxEventKind;
}

/** What an event is about, beyond its kind and recipient. */
export interface IEventSubject {
  notebook: INotebookRecord;
  actor: string;
  commentId?: string;
  changeRequestId?: string;
  revision?: string;
  /** A further rule a recipient must pass (a review comment: may see the change request); read access always. */
  visibleTo?: (caller: ICaller) => boolean;
}

/**
 * Each user's inbox: events that concern them, read and unread, and the notebooks they muted. Services report what
 * happened (a comment, a change request, a new revision); this decides who hears of it: never the actor, nobody who
 * cannot read the notebook (or does not exist, or is disabled), nobody who muted it, and each user once. Events are
 * then queued for webhooks.
 */
export class InboxService {
  constructor(private readonly _parts: IInboxServiceParts) {}

  /**
   * Newest first, the caller's events on notebooks they may still read; `unread` keeps only unread ones.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {InvalidRequestError} for a cursor this server did not issue.
   */
  async list(caller: ICaller, query: IInboxQuery): Promise<IInboxResponse> {
    userOf(caller);
    const limit = query.limit ?? INBOX_PAGE_DEFAULT_LIMIT;
    const rows = await this._parts.inbox.page(caller, {
      unread: query.unread === true,
      limit,
      before: query.cursor === undefined ? null : Private.decodeCursor(query.cursor)
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(row => row.event),
      nextCursor: rows.length > limit ? Private.encodeCursor(page[page.length - 1].seq) : null
    };
  }

  /**
   * How many unread events the caller has.
   * @throws {UnauthorizedError} for the anonymous caller.
   */
  async unreadCount(caller: ICaller): Promise<IUnreadCountResponse> {
    userOf(caller);
    return { unread: await this._parts.inbox.unreadCount(caller) };
  }

  /**
   * Marks the caller's events read: the ones named (ids of other users' events are ignored), or all.
   * @throws {UnauthorizedError} for the anonymous caller.
   */
  async markRead(caller: ICaller, request: IMarkReadRequest): Promise<void> {
    const user = userOf(caller);
    await this._parts.inbox.markRead(user.username, 'ids' in request ? request.ids : null, new Date().toISOString());
  }

  /**
   * Mutes or unmutes a notebook for the caller: a muted notebook brings them no events.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   */
  async setMuted(caller: ICaller, id: string, muted: boolean): Promise<IMuteResponse> {
    const user = userOf(caller);
    await loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
    await this._parts.inbox.setMuted(user.username, id, muted, new Date().toISOString());
    return { muted };
  }

  /**
   * Which of `ids` the caller muted (the inbox page offers Unmute for those, Mute for the others).
   * @throws {UnauthorizedError} for the anonymous caller.
   */
  async mutedAmong(caller: ICaller, ids: readonly string[]): Promise<Set<string>> {
    const user = userOf(caller);
    const muted = new Set<string>();
    for (const id of new Set(ids)) {
      if ((await this._parts.inbox.mutedAmong(id, [user.username])).size > 0) {
        muted.add(id);
      }
    }
    return muted;
  }

  /**
   * Records one event for each candidate who should hear of it (see the class comment) and queues them for webhooks.
   * A failure is logged, never thrown: what caused the event has happened already. Call it after the change's
   * transaction, not inside it: it queues webhook deliveries, which must not be sent before that change commits.
   */
  async notify(candidates: readonly IRecipientCandidate[], subject: IEventSubject): Promise<IInboxEvent[]> {
    try {
      return await this._notify(candidates, subject);
    } catch (error) {
      this._parts.log.warn({ err: error, notebook: subject.notebook.id }, 'could not record inbox events');
      return [];
    }
  }

  /** Who owns a notebook: its owning user, or the owners of its owning group. */
  async owners(notebook: INotebookRecord): Promise<string[]> {
    if (notebook.ownerKind === 'user') {
      return [notebook.owner];
    }
    return (await this._parts.groups.members(notebook.group ?? notebook.owner))
      .filter(member => member.role === 'owner')
      .map(member => member.username);
  }

  /** A new revision of a notebook: its starrers and those who copied it hear of it. */
  async revisionSaved(notebook: INotebookRecord, revision: string, actor: string): Promise<void> {
    try {
      const followers = await this._parts.inbox.followers(notebook.id);
      await this.notify(
        [...followers.starred, ...followers.copied].map(username => ({ username, kind: 'revision' as const })),
        { notebook, actor, revision }
      );
    } catch (error) {
      this._parts.log.warn({ err: error, notebook: notebook.id }, 'could not tell followers of a new revision');
    }
  }

  private async _notify(candidates: readonly IRecipientCandidate[], subject: IEventSubject): Promise<IInboxEvent[]> {
    const chosen = new Map<string, InboxEventKind>();
    for (const { username, kind } of candidates) {
      if (username !== subject.actor && !chosen.has(username)) {
        chosen.set(username, kind);
      }
    }
    const muted = await this._parts.inbox.mutedAmong(subject.notebook.id, [...chosen.keys()]);
    const createdAt = new Date().toISOString();
    const hearing: [string, InboxEventKind][] = [];
    for (const [username, kind] of chosen) {
      if (!muted.has(username) && (await this._mayHear(username, subject))) {
        hearing.push([username, kind]);
      }
    }
    const events = hearing.map(([recipient, kind]) => ({
      recipient,
      kind,
      notebookId: subject.notebook.id,
      actor: subject.actor,
      commentId: subject.commentId ?? null,
      changeRequestId: subject.changeRequestId ?? null,
      revision: subject.revision ?? null,
      createdAt
    }));
    if (events.length === 0) {
      return [];
    }
    const stored = await this._parts.inbox.insert(events);
    await this._parts.webhooks.enqueue(
      stored.map((event, index) => ({ ...event, recipient: events[index].recipient }))
    );
    return stored;
  }

  /** Whether `username` exists, is enabled and may read the notebook (and pass the subject's own rule). */
  private async _mayHear(username: string, subject: IEventSubject): Promise<boolean> {
    const user = await this._parts.users.find(username);
    if (!user || user.disabled) {
      return false;
    }
    const caller: ICaller = {
      user: { username: user.username, isAdmin: user.isAdmin },
      groups: await this._parts.groups.rolesOf(user.username)
    };
    return notebookAccess(caller, subject.notebook) !== 'none' && (subject.visibleTo?.(caller) ?? true);
  }
}

namespace Private {
  export function encodeCursor(seq: number): string {
    return Buffer.from(JSON.stringify(['inbox', seq]), 'utf8').toString('base64url');
  }

  /** @throws {InvalidRequestError} */
  export function decodeCursor(cursor: string): number {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (!Array.isArray(decoded) || decoded[0] !== 'inbox' || !Number.isSafeInteger(decoded[1])) {
      throw new InvalidRequestError(
        'cursor is not valid for the inbox; pass back the nextCursor of the previous page',
        'cursor'
      );
    }
    return decoded[1] as number;
  }
}
