CREATE TABLE `repair_confirmations` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`job_link_id` text NOT NULL,
	`contractor_id` text NOT NULL,
	`state` text DEFAULT 'asked' NOT NULL,
	`rating` integer,
	`comment` text,
	`asked_at` integer NOT NULL,
	`answered_at` integer,
	`answered_by_user_id` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_link_id`) REFERENCES `job_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contractor_id`) REFERENCES `contractors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repair_confirmations_link_idx` ON `repair_confirmations` (`job_link_id`);--> statement-breakpoint
CREATE INDEX `repair_confirmations_ticket_idx` ON `repair_confirmations` (`ticket_id`,`asked_at`);--> statement-breakpoint
CREATE INDEX `repair_confirmations_contractor_idx` ON `repair_confirmations` (`contractor_id`,`state`);