import type { Locale } from '../../shared/api/auth.ts';

/** Whom an account mail goes to: an address, in a language, greeting a name. */
export interface MailRecipient {
  address: string;
  language: Locale;
  /** The account the mail concerns (its outbox rows go when the account goes); null before there is one. */
  userId: string | null;
  name: string | null;
}

/**
 * A link carrying a one-time secret (a mail token). It travels in the event to the outbox row
 * only: none of the events below becomes an event-log row (account-projection.ts writes outbox
 * rows and nothing else), and the outbox scrubs the secret once the mail is sent.
 */
export interface SecretLink {
  url: string;
  expiresAt: Date;
}

/**
 * What happened to accounts, households and staff logins, in the domain's words: part of
 * DomainEvent (domain-events.ts), projected by account-projection.ts into the account mails and
 * codes of the outbox. Not live events: nothing of them is published.
 */
export type AccountEvent =
  | {
      /** A login was registered (by letter code, invitation or number); `verification` proves the address. */
      type: 'account.registered';
      to: MailRecipient;
      /** Null when the address was proven during the sign-up (no mail). */
      verification: SecretLink | null;
      at: Date;
    }
  | { type: 'account.password_reset_requested'; to: MailRecipient; reset: SecretLink; at: Date }
  /** By the owner or through a reset link: the login address is told. */
  | { type: 'account.password_changed'; to: MailRecipient; at: Date }
  | {
      /** `to` is the current login: the new address confirms, the current one is told at once. */
      type: 'account.email_change_requested';
      to: MailRecipient;
      newAddress: string;
      confirmation: SecretLink;
      /** Where the owner cancels it (the settings). */
      settingsUrl: string;
      at: Date;
    }
  /** `to` is the OLD address: if the change was not theirs, they learn of it there. */
  | { type: 'account.email_changed'; to: MailRecipient; newAddress: string; at: Date }
  | {
      /** A sign-up without a letter asked for its one-time code, to a contact the landlord holds. */
      type: 'account.signup_code_requested';
      channel: 'email' | 'sms';
      to: MailRecipient;
      code: string;
      expiresAt: Date;
      at: Date;
    }
  | {
      /** `to` is the invitee's address, in the inviter's language. */
      type: 'household.member_invited';
      to: MailRecipient;
      inviter: string;
      /** The home's postal address. */
      address: string;
      /** The registration code and its link; null when the address has a login already (no code). */
      invitation: { code: string; link: string; expiresAt: Date } | null;
      at: Date;
    }
  | {
      /** An admin created a staff login: the welcome mail sets the first password. */
      type: 'staff.account_created';
      to: MailRecipient;
      portal: string;
      admin: string;
      setPassword: SecretLink;
      at: Date;
    };

export type AccountEventType = AccountEvent['type'];
