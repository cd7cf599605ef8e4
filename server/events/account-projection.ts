import type { Tx } from '../../db/transaction.ts';
import { queueMail, queueSmsCode } from '../notify/outbox.ts';
import type { AccountEvent, MailRecipient } from './account-events.ts';

/*
 * The outbox rows of account events (called by projector.ts, inside the unit of work): account
 * mails to an address and sign-up codes by SMS, always sent. No event-log row: the secrets they
 * carry (links with tokens, codes) go into the outbox row only.
 */

const addressing = (to: MailRecipient, at: Date) => ({
  address: to.address,
  userId: to.userId,
  language: to.language,
  now: at,
});

export async function projectAccountEvent(tx: Tx, event: AccountEvent): Promise<void> {
  const { to, at } = event;
  switch (event.type) {
    case 'account.registered':
      if (!event.verification) return;
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'verify_email',
        data: {
          name: to.name,
          link: event.verification.url,
          expiresAt: event.verification.expiresAt.toISOString(),
        },
      });
      return;
    case 'account.password_reset_requested':
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'reset_password',
        data: { name: to.name, link: event.reset.url, expiresAt: event.reset.expiresAt.toISOString() },
      });
      return;
    case 'account.password_changed':
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'password_changed',
        data: { name: to.name, changedAt: at.toISOString() },
      });
      return;
    case 'account.email_change_requested':
      // The confirmation link to the new address first, then the notice to the current login.
      await queueMail(tx, {
        ...addressing({ ...to, address: event.newAddress }, at),
        template: 'change_email',
        data: {
          name: to.name,
          link: event.confirmation.url,
          expiresAt: event.confirmation.expiresAt.toISOString(),
          email: event.newAddress,
        },
      });
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'email_change_requested',
        data: {
          name: to.name,
          email: event.newAddress,
          requestedAt: at.toISOString(),
          link: event.settingsUrl,
        },
      });
      return;
    case 'account.email_changed':
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'email_changed',
        data: { name: to.name, email: event.newAddress },
      });
      return;
    case 'account.signup_code_requested':
      if (event.channel === 'sms') {
        await queueSmsCode(tx, { phone: to.address, code: event.code, language: to.language, now: at });
        return;
      }
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'signup_code',
        data: { name: to.name, code: event.code, expiresAt: event.expiresAt.toISOString() },
      });
      return;
    case 'household.member_invited':
      await queueMail(
        tx,
        event.invitation
          ? {
              ...addressing(to, at),
              template: 'household_invitation',
              data: {
                name: to.name,
                inviter: event.inviter,
                address: event.address,
                code: event.invitation.code,
                link: event.invitation.link,
                expiresAt: event.invitation.expiresAt.toISOString(),
              },
            }
          : {
              ...addressing(to, at),
              template: 'household_invitation_existing',
              data: { name: null, inviter: event.inviter, address: event.address },
            },
      );
      return;
    case 'staff.account_created':
      await queueMail(tx, {
        ...addressing(to, at),
        template: 'staff_welcome',
        data: {
          name: to.name,
          portal: event.portal,
          admin: event.admin,
          link: event.setPassword.url,
          expiresAt: event.setPassword.expiresAt.toISOString(),
        },
      });
      return;
  }
}
