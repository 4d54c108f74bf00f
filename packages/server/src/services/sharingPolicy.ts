import type { IPrincipal, IShare, IUser, Visibility } from '@notebook-gallery/core';
import { ForbiddenError } from '../errors/ForbiddenError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { INotebookOwnership } from '../repositories/notebookRepository';
import { hasGroupRole, type ICaller } from '../auth/permissions';

/** What the sharing checks need to know of users: whether an enabled one has this name. */
export interface IUserLookup {
  find(username: string): Promise<IUser | undefined>;
}
/** What they need to know of groups. */
export interface IGroupLookup {
  exists(name: string): Promise<boolean>;
}

/*
 * Checks the *values* of ownership and sharing changes: that named users and groups exist and that the caller may
 * hand a notebook to a group or publish into one. Whether the caller may change the notebook at all is
 * permissions.ts's call, made before these run.
 */

/** A requested visibility; `group` undefined means "keep the current one". */
export interface IRequestedAccess {
  visibility: Visibility;
  group: string | null | undefined;
}

/**
 * The stored visibility and group for a notebook owned as `ownership` says.
 * @throws {InvalidRequestError} for a missing, unknown or pointless group.
 * @throws {ForbiddenError} when publishing to a group the caller is not a member of.
 */
export async function resolveAccess(
  groups: IGroupLookup,
  caller: ICaller,
  ownership: Pick<INotebookOwnership, 'ownerKind' | 'group'>,
  requested: IRequestedAccess
): Promise<{ visibility: Visibility; group: string | null }> {
  if (ownership.ownerKind === 'group') {
    if (requested.group !== undefined && requested.group !== null && requested.group !== ownership.group) {
      throw new InvalidRequestError(
        `A group-owned notebook is published to its owning group "${ownership.group}"; transfer it to change that`
      );
    }
    return { visibility: requested.visibility, group: ownership.group };
  }
  if (requested.visibility !== 'group') {
    if (requested.group !== undefined && requested.group !== null) {
      throw new InvalidRequestError(`"group" is only used with "group" visibility, not "${requested.visibility}"`);
    }
    return { visibility: requested.visibility, group: null };
  }
  const group = requested.group === undefined ? ownership.group : requested.group;
  if (group === null) {
    throw new InvalidRequestError('"group" visibility needs a "group" to publish to');
  }
  await assertGroupExists(groups, group);
  if (!hasGroupRole(caller, group, 'member')) {
    throw new ForbiddenError(`You can only publish to groups you belong to, and you are not in "${group}"`);
  }
  return { visibility: 'group', group };
}

/**
 * Checks explicit shares: each user or group exists and appears once.
 * @throws {InvalidRequestError} naming the first unknown or repeated principal.
 */
export async function checkShares(
  users: IUserLookup,
  groups: IGroupLookup,
  shares: readonly IShare[]
): Promise<IShare[]> {
  const seen = new Set<string>();
  for (const share of shares) {
    const key = `${share.kind}:${share.name}`;
    if (seen.has(key)) {
      throw new InvalidRequestError(`shares: ${share.kind} "${share.name}" is listed twice`);
    }
    seen.add(key);
    await assertPrincipalExists(users, groups, share, 'shares');
  }
  return shares.map(share => ({ kind: share.kind, name: share.name, role: share.role }));
}

/**
 * The stored ownership after handing a notebook to `target`.
 * @throws {InvalidRequestError} for an unknown user or group.
 * @throws {ForbiddenError} when giving it to a group the caller is not an owner or editor of.
 */
export async function resolveTransfer(
  users: IUserLookup,
  groups: IGroupLookup,
  caller: ICaller & { user: { username: string } },
  current: Pick<INotebookOwnership, 'visibility' | 'group'>,
  target: IPrincipal
): Promise<INotebookOwnership> {
  await assertPrincipalExists(users, groups, target, 'owner');
  if (target.kind === 'group') {
    if (!hasGroupRole(caller, target.name, 'editor')) {
      throw new ForbiddenError(`You can only give notebooks to groups you own or edit, not to "${target.name}"`);
    }
    return { ownerKind: 'group', owner: caller.user.username, visibility: current.visibility, group: target.name };
  }
  // A notebook leaving its group stays published there only if it was visible to the group anyway.
  const keepGroup = current.visibility === 'group' ? current.group : null;
  return { ownerKind: 'user', owner: target.name, visibility: current.visibility, group: keepGroup };
}

/** @throws {InvalidRequestError} when `name` is not a group. */
export async function assertGroupExists(groups: IGroupLookup, name: string): Promise<void> {
  if (!(await groups.exists(name))) {
    throw new InvalidRequestError(`group: there is no group "${name}"`);
  }
}

async function assertPrincipalExists(
  users: IUserLookup,
  groups: IGroupLookup,
  principal: IPrincipal,
  field: string
): Promise<void> {
  const exists =
    principal.kind === 'user' ? (await users.find(principal.name)) !== undefined : await groups.exists(principal.name);
  if (!exists) {
    throw new InvalidRequestError(`${field}: there is no ${principal.kind} "${principal.name}"`);
  }
}
