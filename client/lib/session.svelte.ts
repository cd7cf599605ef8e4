import type { Locale, LoginRequest, UserDto } from '../../shared/api/auth.ts';
import { api, ApiError, setUnauthenticatedHandler } from './api.ts';
import { i18n } from './i18n.svelte.ts';

type SessionStatus = 'loading' | 'ready' | 'unreachable';

/** The signed-in user (GET /api/me) and the actions that change who is signed in. */
class Session {
  user = $state<UserDto | null>(null);
  status = $state<SessionStatus>('loading');
  signedIn = $derived(this.user !== null);
  isStaff = $derived(this.user?.role === 'staff' || this.user?.role === 'admin');
  /** Set when a call answered 401 while signed in, so the login page can say why. */
  expired = $state(false);
  /** Set by an explicit logout: the shell then sends the user to the login page without a `next`. */
  endedByUser = $state(false);

  constructor() {
    setUnauthenticatedHandler(() => {
      if (this.user) this.expired = true;
      this.user = null;
    });
  }

  /** Restores the session from the cookie on start-up. */
  async load(): Promise<void> {
    this.status = 'loading';
    try {
      const { user } = await api.get<{ user: UserDto }>('/me');
      this.#adopt(user, false);
      this.status = 'ready';
    } catch (error) {
      this.user = null;
      this.status = error instanceof ApiError && error.status === 401 ? 'ready' : 'unreachable';
    }
  }

  async login(credentials: LoginRequest): Promise<UserDto> {
    const { user } = await api.post<{ user: UserDto }>('/auth/login', credentials);
    this.expired = false;
    this.endedByUser = false;
    this.status = 'ready';
    this.#adopt(user, true);
    return user;
  }

  async logout(): Promise<void> {
    try {
      await api.post('/auth/logout');
    } finally {
      // Even if the call failed, this tab forgets the user; the cookie expires on its own.
      this.endedByUser = true;
      this.user = null;
    }
  }

  /** Ends every session of this account (e.g. a lost phone), this tab's too. */
  async logoutEverywhere(): Promise<void> {
    await api.post('/auth/logout-everywhere');
    this.endedByUser = true;
    this.user = null;
  }

  /** Re-reads the user after a change made elsewhere (e.g. a confirmed e-mail address). */
  async refresh(): Promise<void> {
    try {
      const { user } = await api.get<{ user: UserDto }>('/me');
      this.user = user;
    } catch {
      // keep what we have; a real 401 already cleared the user through the handler
    }
  }

  setUser(user: UserDto): void {
    this.user = user;
  }

  /** Language picker: switch now, and save it to the account so mails come in the same language. */
  async changeLanguage(locale: Locale): Promise<void> {
    i18n.set(locale);
    if (this.user && this.user.language !== locale) {
      const { user } = await api.patch<{ user: UserDto }>('/me', { language: locale });
      this.user = user;
    }
  }

  /**
   * The UI language belongs to this browser (Paraglide strategy: picked → browser language → German) and
   * never switches by itself on sign-in. A language the user explicitly picked here is saved to the account
   * on sign-in, so mails follow the language the user actually reads; the picker saves it right away.
   */
  #adopt(user: UserDto, justSignedIn: boolean): void {
    this.user = user;
    if (justSignedIn && i18n.explicit && user.language !== i18n.locale) {
      api
        .patch<{ user: UserDto }>('/me', { language: i18n.locale })
        .then(({ user: updated }) => (this.user = updated))
        .catch(() => undefined); // not worth an error message: the UI already speaks the right language
    }
  }
}

export const session = new Session();
