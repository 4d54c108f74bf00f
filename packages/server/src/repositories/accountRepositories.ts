import type { IApiTokenRepository } from './apiTokenRepository';
import type { IAuditLogRepository } from './auditLogRepository';
import type { IGroupRepository } from './groupRepository';
import type { IUserRepository } from './userRepository';

/** Every account-side repository, as the account and group services take them. */
export interface IAccountRepositories {
  users: IUserRepository;
  groups: IGroupRepository;
  tokens: IApiTokenRepository;
  audit: IAuditLogRepository;
}
