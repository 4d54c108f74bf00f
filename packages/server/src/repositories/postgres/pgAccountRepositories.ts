import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IAccountRepositories } from '../accountRepositories';
import { PgApiTokenRepository } from './pgApiTokenRepository';
import { PgAuditLogRepository } from './pgAuditLogRepository';
import { PgGroupRepository } from './pgGroupRepository';
import { PgUserRepository } from './pgUserRepository';

/**
 * The account-side repositories over one PostgreSQL pool: the twin of sqliteAccountRepositories. Their unit of work
 * is the group repository's transaction, which holds one advisory lock across replicas: a role check and the change
 * it allows (the last owner leaving, two owners demoting each other) run one at a time everywhere, as they do on
 * SQLite's one connection; READ COMMITTED alone would let both pass their checks.
 */
export function pgAccountRepositories(db: PgDatabase): IAccountRepositories {
  const groups = new PgGroupRepository(db);
  return {
    users: new PgUserRepository(db),
    groups,
    tokens: new PgApiTokenRepository(db),
    audit: new PgAuditLogRepository(db),
    unitOfWork: { transaction: work => groups.transaction(work) }
  };
}
