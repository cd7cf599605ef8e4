import { findAccountByUserId, updateUser } from '../../../db/repositories/users.ts';
import { unauthorized } from '../../lib/http-error.ts';
import type { UpdateMeRequest, UserDto } from '../../../shared/api/auth.ts';
import { userDtoOf, type AccountDeps } from './common.ts';

export function getMe(deps: AccountDeps, userId: string): UserDto {
  const account = findAccountByUserId(deps.db, userId);
  if (!account) throw unauthorized();
  return userDtoOf(deps, account, deps.now());
}

/** Language now; contact data (seeds 002, 003) joins here in a later issue. */
export function updateMe(deps: AccountDeps, userId: string, input: UpdateMeRequest): UserDto {
  if (input.language) updateUser(deps.db, userId, { language: input.language });
  return getMe(deps, userId);
}
