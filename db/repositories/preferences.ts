import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { notificationPreferences } from '../schema/index.ts';
import { tablesOf } from '../dialect.ts';

export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;

/** The stored choices; a missing (category, channel) means the default applies. */
export async function listNotificationPreferences(
  db: DbOrTx,
  userId: string,
): Promise<NotificationPreferenceRow[]> {
  const { notificationPreferences } = tablesOf(db);
  return await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
}

/** Replaces every stored choice of the user: call inside a transaction. */
export async function replaceNotificationPreferences(
  db: DbOrTx,
  userId: string,
  rows: Omit<NotificationPreferenceRow, 'userId'>[],
): Promise<void> {
  const { notificationPreferences } = tablesOf(db);
  await db.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  if (rows.length > 0)
    await db.insert(notificationPreferences).values(rows.map((row) => ({ ...row, userId })));
}

/** Stores one choice (insert or overwrite): the one-click unsubscribe turns a category's e-mail off. */
export async function setNotificationPreference(db: DbOrTx, row: NotificationPreferenceRow): Promise<void> {
  const { notificationPreferences } = tablesOf(db);
  await db
    .insert(notificationPreferences)
    .values(row)
    .onConflictDoUpdate({
      target: [
        notificationPreferences.userId,
        notificationPreferences.category,
        notificationPreferences.channel,
      ],
      set: { enabled: row.enabled },
    });
}
