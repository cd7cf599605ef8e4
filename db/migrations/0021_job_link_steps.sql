CREATE TABLE `job_link_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`job_link_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`kind` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`job_link_id`) REFERENCES `job_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `job_link_steps_link_idx` ON `job_link_steps` (`job_link_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `job_link_steps_ticket_idx` ON `job_link_steps` (`ticket_id`);