CREATE TABLE `appointment_slots` (
	`id` text PRIMARY KEY NOT NULL,
	`appointment_id` text NOT NULL,
	`position` integer NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appointment_slots_appointment_idx` ON `appointment_slots` (`appointment_id`,`position`);--> statement-breakpoint
CREATE TABLE `appointments` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`series_id` text NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`state` text DEFAULT 'proposed' NOT NULL,
	`proposed_by_user_id` text,
	`proposed_by_job_link_id` text,
	`contractor_id` text,
	`outside_windows` integer DEFAULT false NOT NULL,
	`confirmed_slot_id` text,
	`confirmed_start_at` integer,
	`confirmed_end_at` integer,
	`confirmed_by_user_id` text,
	`confirmed_at` integer,
	`move_reason` text,
	`move_requested_by_user_id` text,
	`move_requested_at` integer,
	`cancel_reason` text,
	`cancelled_by_user_id` text,
	`cancelled_by_job_link_id` text,
	`cancelled_at` integer,
	`reminder_sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposed_by_job_link_id`) REFERENCES `job_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contractor_id`) REFERENCES `contractors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`move_requested_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by_job_link_id`) REFERENCES `job_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appointments_ticket_idx` ON `appointments` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `appointments_reminder_idx` ON `appointments` (`state`,`confirmed_start_at`);