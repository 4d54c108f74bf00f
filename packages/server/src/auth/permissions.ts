import type { GroupRole, IShare, IUser, PrincipalKind, Visibility } from '@notebook-gallery/core';
import { ChangeRequestNotFoundError } from '../errors/ChangeRequestNotFoundError';
import { ForbiddenError } from '../errors/ForbiddenError';
import { NotebookNotFoundError } from '../errors/NotebookNotFoundError';

/*
 * The one authority on who may do what to a notebook. The notebook service asks notebookAccess/authorizeNotebook
 * for one notebook; the listing query (list, search, snippets, pagination) embeds readableNotebooksSql
 * (repositories/sqlite/readableNotebooksSql.ts), which states the same rules in SQL. The two must agree; the
 * permission matrix test checks them against each other. A notebook the caller may not read is answered as if it
 * did not exist (404), never 403.
 */

/** Who is asking: a user (or nobody, when anonymous reading is on) and their role in each of their groups. */
export interface ICaller {
  user: IUser | null;
  groups: ReadonlyMap<string, GroupRole>;
}

/** What a caller may do to a notebook, each level including the ones before it. */
export type NotebookAccess = 'none' | 'read' | 'edit' | 'manage';

/** What an action needs: read it, save a revision, or change metadata, visibility, shares, owner, or delete. */
export type NotebookAction = Exclude<NotebookAccess, 'none'>;

/** The notebook fields permissions depend on. */
export interface INotebookAccessFields {
  id: string;
  /** The owning user's name, or for a group-owned notebook the owning group's. */
  owner: string;
  ownerKind: PrincipalKind;
  visibility: Visibility;
  group: string | null;
  shares: readonly IShare[];
}

const RANK: Record<NotebookAccess, number> = { none: 0, read: 1, edit: 2, manage: 3 };

/** The anonymous caller, who exists only when the admin turned anonymous reading on. */
export const ANONYMOUS: ICaller = { user: null, groups: new Map() };

/**
 * What `caller` may do to `notebook`: admins everything; the owning user, or an owner of the owning group,
 * manages; group editors and editor shares save revisions; group members, reader shares and, for public
 * notebooks, everyone read.
 */
export function notebookAccess(caller: ICaller, notebook: INotebookAccessFields): NotebookAccess {
  return caller.user?.isAdmin ? 'manage' : accessAsUser(caller, notebook);
}

/**
 * Checks that `caller` may do `action` to `notebook`.
 * @returns asAdmin: true when only the caller's admin role allows it (the route must audit it).
 * @throws {NotebookNotFoundError} when the caller may not read the notebook.
 * @throws {ForbiddenError} when they may read it but not do `action`.
 */
export function authorizeNotebook(
  caller: ICaller,
  notebook: INotebookAccessFields,
  action: NotebookAction
): { asAdmin: boolean } {
  const access = notebookAccess(caller, notebook);
  if (access === 'none') {
    throw new NotebookNotFoundError(notebook.id);
  }
  if (RANK[access] < RANK[action]) {
    const owner =
      notebook.ownerKind === 'group' ? `the owners of group ${notebook.owner}` : `${notebook.owner} (the owner)`;
    throw new ForbiddenError(
      action === 'edit'
        ? `Notebook "${notebook.id}" belongs to ${notebook.owner}; you may read it but not save revisions, so save a copy instead`
        : `Only ${owner} or an admin may change the settings, sharing or owner of notebook "${notebook.id}", or delete it`
    );
  }
  return { asAdmin: RANK[accessAsUser(caller, notebook)] < RANK[action] };
}

/** Whether `caller` may save revisions of `notebook`. */
export function canEdit(caller: ICaller, notebook: INotebookAccessFields): boolean {
  return RANK[notebookAccess(caller, notebook)] >= RANK.edit;
}

/** Whether `caller` may change the settings of, transfer or delete `notebook`. */
export function canManage(caller: ICaller, notebook: INotebookAccessFields): boolean {
  return notebookAccess(caller, notebook) === 'manage';
}

/** What a caller does with a change request: see it (and its diff and content), accept or decline it, withdraw it. */
export type ChangeRequestAction = 'view' | 'decide' | 'withdraw';

/**
 * Checks that `caller` may do `action` to the change request `request` of `notebook`. Whoever may edit the notebook
 * sees all its change requests and decides them; any other reader sees only their own. Only the proposer withdraws.
 * @returns asAdmin: true when only the caller's admin role lets them decide it (the service must audit it).
 * @throws {NotebookNotFoundError} when the caller may not read the notebook.
 * @throws {ChangeRequestNotFoundError} when they may read it but not see this change request.
 * @throws {ForbiddenError} when they see it but may not do `action`.
 */
export function authorizeChangeRequest(
  caller: ICaller,
  notebook: INotebookAccessFields,
  request: { id: string; proposer: string },
  action: ChangeRequestAction
): { asAdmin: boolean } {
  authorizeNotebook(caller, notebook, 'read');
  const isProposer = caller.user !== null && caller.user.username === request.proposer;
  const editor = canEdit(caller, notebook);
  if (!isProposer && !editor) {
    throw new ChangeRequestNotFoundError(notebook.id, request.id);
  }
  if (action === 'withdraw' && !isProposer) {
    throw new ForbiddenError(`Only ${request.proposer}, who proposed change request "${request.id}", may withdraw it`);
  }
  if (action === 'decide' && !editor) {
    throw new ForbiddenError(
      `Only those who may edit notebook "${notebook.id}" may accept or decline change request "${request.id}"`
    );
  }
  return { asAdmin: action === 'decide' && !canEdit(withoutAdmin(caller), notebook) };
}

/** Whether `caller` holds at least `minimum` in `group` (admins always do). */
export function hasGroupRole(caller: ICaller, group: string, minimum: GroupRole): boolean {
  if (caller.user?.isAdmin) {
    return true;
  }
  const role = caller.groups.get(group);
  return role !== undefined && GROUP_RANK[role] >= GROUP_RANK[minimum];
}

/** The same caller without admin powers, to tell what only the admin role allowed (and must be audited). */
export function withoutAdmin(caller: ICaller): ICaller {
  return caller.user?.isAdmin ? { ...caller, user: { ...caller.user, isAdmin: false } } : caller;
}

const GROUP_RANK: Record<GroupRole, number> = { member: 1, editor: 2, owner: 3 };

function accessAsUser(caller: ICaller, notebook: INotebookAccessFields): NotebookAccess {
  let access: NotebookAccess = notebook.visibility === 'public' ? 'read' : 'none';
  const user = caller.user;
  if (user === null) {
    return access;
  }
  if (notebook.ownerKind === 'user' && notebook.owner === user.username) {
    return 'manage';
  }
  const raise = (level: NotebookAccess): void => {
    access = RANK[level] > RANK[access] ? level : access;
  };
  if (notebook.group !== null && (notebook.ownerKind === 'group' || notebook.visibility === 'group')) {
    const role = caller.groups.get(notebook.group);
    if (role === 'owner' && notebook.ownerKind === 'group') {
      raise('manage');
    } else if (role === 'owner' || role === 'editor') {
      raise('edit');
    } else if (role === 'member') {
      raise('read');
    }
  }
  for (const share of notebook.shares) {
    const mine = share.kind === 'user' ? share.name === user.username : caller.groups.has(share.name);
    if (mine) {
      raise(share.role === 'editor' ? 'edit' : 'read');
    }
  }
  return access;
}
