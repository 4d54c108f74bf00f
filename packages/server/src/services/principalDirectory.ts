import type { IPrincipalSearchResponse } from '@notebook-gallery/core';
import type { IAccountRepositories } from '../repositories/accountRepositories';

/**
 * Finds whom a notebook can be shared with by the start of a name. Any signed-in user may look: sharing with a
 * group you are not in is allowed, so its name is no secret; who is in it stays visible to members only.
 */
export class PrincipalDirectory {
  constructor(private readonly _repos: Pick<IAccountRepositories, 'users' | 'groups'>) {}

  /**
   * Enabled users and groups whose names start with `prefix` in any case, at most `limit` of each, the name equal
   * to `prefix` first in each list.
   */
  async search(prefix: string, limit: number): Promise<IPrincipalSearchResponse> {
    return {
      users: (await this._repos.users.searchEnabled(prefix, limit)).map(username => ({ username })),
      groups: await this._repos.groups.search(prefix, limit)
    };
  }
}
