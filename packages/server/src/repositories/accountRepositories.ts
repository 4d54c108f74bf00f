import type { IApiTokenRepository } from './apiTokenRepository';
import type { IAuditLogRepository } from './auditLogRepository';
import type { IGroupRepository } from './groupRepository';
import type { IUnitOfWork } from './unitOfWork';
import type { IUserRepository } from './userRepository';

/**
 * Every account-side repository, as the account and group services take them, with the unit of work that makes
 * several of their calls one change (a role check and the change it allows).
 */
export interface IAccountRepositories {
  users: IUserRepository;
  groups: IGroupRepository;
  tokens: IApiTokenRepository;
  audit: IAuditLogRepository;
  unitOfWork: IUnitOfWork;
}
