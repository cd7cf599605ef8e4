CREATE TABLE `ticket_type_slas` (
	`type_id` text NOT NULL,
	`priority` text NOT NULL,
	`first_response_hours` integer NOT NULL,
	`resolution_hours` integer NOT NULL,
	`clock` text DEFAULT 'business' NOT NULL,
	PRIMARY KEY(`type_id`, `priority`),
	FOREIGN KEY (`type_id`) REFERENCES `ticket_types`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `emergency_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`team_id` text,
	`audience` text NOT NULL,
	`recipient_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emergency_alerts_ticket_uq` ON `emergency_alerts` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `on_call_shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`weekday` integer,
	`start_time` text,
	`end_time` text,
	`start_date` text,
	`end_date` text,
	`sort` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `on_call_shifts_team_idx` ON `on_call_shifts` (`team_id`);--> statement-breakpoint
CREATE INDEX `tickets_priority_status_idx` ON `tickets` (`priority`,`status`,`last_activity_at`,`id`);