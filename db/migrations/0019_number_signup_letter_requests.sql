-- Sign-up without a letter (seed 004): the login chosen, held until a one-time code to the landlord's
-- contact data confirms it; and the public "request a registration letter" form (seed 002) for staff.
CREATE TABLE `letter_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`unit` text,
	`customer_number` text,
	`email` text,
	`phone` text,
	`message` text,
	`language` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`handled_by_user_id` text,
	`handled_at` integer,
	`ip_address` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `letter_requests_status_idx` ON `letter_requests` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `number_signups` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` blob NOT NULL,
	`person_id` text NOT NULL,
	`login_email` text NOT NULL,
	`password_hash` text NOT NULL,
	`language` text NOT NULL,
	`electronic_delivery` integer DEFAULT false NOT NULL,
	`channel` text,
	`code_hash` text,
	`code_expires_at` integer,
	`codes_sent` integer DEFAULT 0 NOT NULL,
	`wrong_codes` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`completed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `number_signups_person_idx` ON `number_signups` (`person_id`);