import type { Deps } from '../deps.ts';
import type { Locale, UserRole } from '../../shared/api/auth.ts';

/** The signed-in user as handlers see it (`c.get('user')`). */
export interface SessionUser {
  id: string;
  personId: string;
  role: UserRole;
  loginEmail: string;
  language: Locale;
}

export interface SessionInfo {
  id: string;
  expiresAt: Date;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    /** Set by the session middleware; null when nobody is signed in. */
    user: SessionUser | null;
    session: SessionInfo | null;
  };
}
