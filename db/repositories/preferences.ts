import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { notificationPreferences } from '../schema/index.ts';

export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;

/** The stored choices; a missing (category, channel) means the default applies. */
export async function listNotificationPreferences(
  db: DbOrTx,
  userId: string,
): Promise<NotificationPreferenceRow[]> {
  return db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId)).all();
}

/** Replaces every stored choice of the user: call inside a transaction. */
export async function replaceNotificationPreferences(
  db: DbOrTx,
  userId: string,
  rows: Omit<NotificationPreferenceRow, 'userId'>[],
): Promise<void> {
  db.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId)).run();
  if (rows.length > 0)
    db.insert(notificationPreferences)
      .values(rows.map((row) => ({ ...row, userId })))
      .run();
}

/** Stores one choice (insert or overwrite): the one-click unsubscribe turns a category's e-mail off. */
export async function setNotificationPreference(db: DbOrTx, row: NotificationPreferenceRow): Promise<void> {
  db.insert(notificationPreferences)
    .values(row)
    .onConflictDoUpdate({
      target: [
        notificationPreferences.userId,
        notificationPreferences.category,
        notificationPreferences.channel,
      ],
      set: { enabled: row.enabled },
    })
    .run();
}
