import { findAccountByUserId, updateUser } from '../../../db/repositories/users.ts';
import { unauthorized } from '../../lib/http-error.ts';
import type { UpdateMeRequest, UserDto } from '../../../shared/api/auth.ts';
import { userDtoOf, type AccountDeps } from './common.ts';

export async function getMe(deps: AccountDeps, userId: string): Promise<UserDto> {
  const account = await findAccountByUserId(deps.db, userId);
  if (!account) throw unauthorized();
  return await userDtoOf(deps, account, deps.now());
}

/** Language now; contact data (seeds 002, 003) joins here in a later issue. */
export async function updateMe(deps: AccountDeps, userId: string, input: UpdateMeRequest): Promise<UserDto> {
  if (input.language) await updateUser(deps.db, userId, { language: input.language });
  return await getMe(deps, userId);
}
