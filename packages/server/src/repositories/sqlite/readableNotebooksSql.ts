import type { NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';

/*
 * permissions.ts (notebookAccess) is the one authority on who may read or edit a notebook; this file states the same
 * rules in SQL for the listing queries (list, search, snippets, pagination, forks, change requests). The two must agree: the permission matrix test
 * (test/permissions/permissionMatrix.test.ts) checks every caller against both, through the API.
 */

/** A SQL boolean expression over the notebook row aliased `n`, with its bound parameters in order. */
export interface ISqlPredicate {
  sql: string;
  params: unknown[];
}

/**
 * "n is public". Unary `+` keeps SQLite from answering it through the visibility index: half the gallery is public,
 * so walking the sort order's index and skipping the rest is far cheaper than sorting every public notebook (at
 * 100,000 notebooks an anonymous first page took 50 ms that way, 0.4 ms this way).
 */
const PUBLIC_SQL = "+n.visibility = 'public'";

/** The SQL form of "`caller` may read n" (see notebookAccess); every listing query must AND it in. */
export function readableNotebooksSql(caller: ICaller): ISqlPredicate {
  if (caller.user === null) {
    return { sql: PUBLIC_SQL, params: [] };
  }
  if (caller.user.isAdmin) {
    return { sql: '1', params: [] };
  }
  const me = caller.user.username;
  return {
    sql: `(n.visibility = 'public'
      OR (n.owner_kind = 'user' AND n.owner = ?)
      OR ((n.owner_kind = 'group' OR n.visibility = 'group')
        AND n.group_name IN (SELECT gm.group_name FROM group_members gm WHERE gm.username = ?))
      OR ${sharedWithSql()})`,
    params: [me, me, me, me]
  };
}

/**
 * The SQL form of "`caller` may save revisions of n" (see canEdit in permissions.ts): the owning user; owners and
 * editors of the owning or publishing group; editor shares. Change-request queries use it for the review queue and
 * `canDecide`.
 */
export function editableNotebooksSql(caller: ICaller): ISqlPredicate {
  if (caller.user === null) {
    return { sql: '0', params: [] };
  }
  if (caller.user.isAdmin) {
    return { sql: '1', params: [] };
  }
  const me = caller.user.username;
  return {
    sql: `((n.owner_kind = 'user' AND n.owner = ?)
      OR ((n.owner_kind = 'group' OR n.visibility = 'group')
        AND n.group_name IN (SELECT gm.group_name FROM group_members gm
          WHERE gm.username = ? AND gm.role IN ('owner', 'editor')))
      OR ${sharedWithSql("s.role = 'editor' AND ")})`,
    params: [me, me, me, me]
  };
}

/** The SQL form of a list `scope` for `caller`; ANDed with {@link readableNotebooksSql}, never instead of it. */
export function scopeSql(caller: ICaller, scope: NotebookScope): ISqlPredicate {
  const me = caller.user?.username;
  if (scope === 'public') {
    return { sql: PUBLIC_SQL, params: [] };
  }
  if (me === undefined) {
    return { sql: '0', params: [] };
  }
  switch (scope) {
    case 'mine':
      return { sql: "(n.owner_kind = 'user' AND n.owner = ?)", params: [me] };
    case 'shared':
      return { sql: sharedWithSql(), params: [me, me] };
    case 'group':
      return {
        sql: `((n.owner_kind = 'group' OR n.visibility = 'group')
          AND n.group_name IN (SELECT gm.group_name FROM group_members gm WHERE gm.username = ?))`,
        params: [me]
      };
  }
}

/**
 * Explicitly shared with the user (2 params: username twice) or with one of their groups; `role` narrows the shares
 * (a condition on `s` ending in AND).
 */
function sharedWithSql(role = ''): string {
  return `EXISTS (SELECT 1 FROM notebook_shares s WHERE s.notebook_id = n.id
    AND ${role}((s.principal_kind = 'user' AND s.principal = ?)
      OR (s.principal_kind = 'group'
        AND s.principal IN (SELECT gm.group_name FROM group_members gm WHERE gm.username = ?))))`;
}
