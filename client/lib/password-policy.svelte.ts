import type { PasswordPolicyDto } from '../../shared/api/auth.ts';
import { api } from './api.ts';

/** The landlord's password policy (GET /api/auth/password-policy), fetched once and shared by every form. */
class PasswordPolicy {
  current = $state<PasswordPolicyDto | null>(null);
  #loading: Promise<void> | null = null;

  /** Safe to call from every form; a failed fetch is retried by the next caller. */
  load(): Promise<void> {
    this.#loading ??= api
      .get<PasswordPolicyDto>('/auth/password-policy')
      .then((policy) => {
        this.current = policy;
      })
      .catch(() => {
        this.#loading = null; // the forms still work: the server checks the policy anyway
      });
    return this.#loading;
  }
}

export const passwordPolicy = new PasswordPolicy();
