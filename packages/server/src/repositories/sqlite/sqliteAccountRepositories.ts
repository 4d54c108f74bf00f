import type { GalleryDatabase } from '../../db/database';
import type { IAccountRepositories } from '../accountRepositories';
import { SqliteApiTokenRepository } from './sqliteApiTokenRepository';
import { SqliteAuditLogRepository } from './sqliteAuditLogRepository';
import { SqliteGroupRepository } from './sqliteGroupRepository';
import { SqliteUnitOfWork } from './sqliteUnitOfWork';
import { SqliteUserRepository } from './sqliteUserRepository';

/** The account-side repositories over one SQLite connection. */
export function sqliteAccountRepositories(db: GalleryDatabase): IAccountRepositories {
  return {
    users: new SqliteUserRepository(db),
    groups: new SqliteGroupRepository(db),
    tokens: new SqliteApiTokenRepository(db),
    audit: new SqliteAuditLogRepository(db),
    unitOfWork: new SqliteUnitOfWork(db)
  };
}
