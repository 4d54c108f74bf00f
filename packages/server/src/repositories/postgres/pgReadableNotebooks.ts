import type { NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgParams } from './pgParams';

/*
 * The read and edit rules of permissions.ts (notebookAccess) in PostgreSQL's SQL, twin of sqlite/readableNotebooksSql.ts:
 * every listing query ANDs them in, so permissions are applied inside the query (a page holds the best notebooks the
 * caller may read, never a filtered remainder). The contract tests (test/contract/notebookListing.contract.test.ts)
 * run the same callers against both backends.
 */

/** "n is public". */
const PUBLIC_SQL = "n.visibility = 'public'";

/** The SQL form of "`caller` may read n" over the notebook row aliased `n`, its values bound in `params`. */
export function pgReadableNotebooks(caller: ICaller, params: PgParams): string {
  if (caller.user === null) {
    return PUBLIC_SQL;
  }
  if (caller.user.isAdmin) {
    return 'TRUE';
  }
  const me = params.add(caller.user.username);
  return `(${PUBLIC_SQL}
    OR (n.owner_kind = 'user' AND n.owner = ${me})
    OR ((n.owner_kind = 'group' OR n.visibility = 'group') AND n.group_name IN (${Private.groupsOf(me)}))
    OR ${Private.sharedWith(me)})`;
}

/**
 * The SQL form of "`caller` may save revisions of n" (canEdit in permissions.ts): the owning user; owners and editors
 * of the owning or publishing group; editor shares.
 */
export function pgEditableNotebooks(caller: ICaller, params: PgParams): string {
  if (caller.user === null) {
    return 'FALSE';
  }
  if (caller.user.isAdmin) {
    return 'TRUE';
  }
  const me = params.add(caller.user.username);
  return `((n.owner_kind = 'user' AND n.owner = ${me})
    OR ((n.owner_kind = 'group' OR n.visibility = 'group')
      AND n.group_name IN (${Private.groupsOf(me, "AND gm.role IN ('owner', 'editor')")}))
    OR ${Private.sharedWith(me, "s.role = 'editor' AND ")})`;
}

/** The SQL form of a list `scope` for `caller`; ANDed with {@link pgReadableNotebooks}, never instead of it. */
export function pgScope(caller: ICaller, scope: NotebookScope, params: PgParams): string {
  if (scope === 'public') {
    return PUBLIC_SQL;
  }
  if (caller.user === null) {
    return 'FALSE';
  }
  const me = params.add(caller.user.username);
  switch (scope) {
    case 'mine':
      return `(n.owner_kind = 'user' AND n.owner = ${me})`;
    case 'shared':
      return Private.sharedWith(me);
    case 'group':
      return `((n.owner_kind = 'group' OR n.visibility = 'group') AND n.group_name IN (${Private.groupsOf(me)}))`;
  }
}

namespace Private {
  /** The groups user `me` (a placeholder) belongs to, with `role` narrowing the membership. */
  export function groupsOf(me: string, role = ''): string {
    return `SELECT gm.group_name FROM group_members gm WHERE gm.username = ${me} ${role}`;
  }

  /** Explicitly shared with user `me` or one of their groups; `role` narrows the shares (a condition ending in AND). */
  export function sharedWith(me: string, role = ''): string {
    return `EXISTS (SELECT 1 FROM notebook_shares s WHERE s.notebook_id = n.id
      AND ${role}((s.principal_kind = 'user' AND s.principal = ${me})
        OR (s.principal_kind = 'group' AND s.principal IN (${groupsOf(me)}))))`;
  }
}
