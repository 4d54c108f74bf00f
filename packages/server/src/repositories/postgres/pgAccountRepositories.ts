import type { AsyncOf } from '../../db/postgres/asyncOf';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IAccountRepositories } from '../accountRepositories';
import { PgApiTokenRepository } from './pgApiTokenRepository';
import { PgAuditLogRepository } from './pgAuditLogRepository';
import { PgGroupRepository } from './pgGroupRepository';
import { PgUserRepository } from './pgUserRepository';

/** {@link IAccountRepositories} with each repository asynchronous, as the PostgreSQL ones are. */
export type AsyncAccountRepositories = { [K in keyof IAccountRepositories]: AsyncOf<IAccountRepositories[K]> };

/** The account-side repositories over one PostgreSQL pool: the twin of sqliteAccountRepositories. */
export function pgAccountRepositories(db: PgDatabase): AsyncAccountRepositories {
  return {
    users: new PgUserRepository(db),
    groups: new PgGroupRepository(db),
    tokens: new PgApiTokenRepository(db),
    audit: new PgAuditLogRepository(db)
  };
}
