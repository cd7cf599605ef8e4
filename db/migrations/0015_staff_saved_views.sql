CREATE TABLE `staff_saved_views` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_saved_views_user_idx` ON `staff_saved_views` (`user_id`,`created_at`);
--> statement-breakpoint
-- The search documents now carry the tenant's name, customer and contract number and the address
-- (db/repositories/ticket-search.ts): every ticket is noted for a rebuild, done in the background
-- and before the next search.
INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) SELECT `id` FROM `tickets`;
