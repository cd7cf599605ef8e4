CREATE TABLE `contractor_buildings` (
	`contractor_id` text NOT NULL,
	`building_id` text NOT NULL,
	PRIMARY KEY(`contractor_id`, `building_id`),
	FOREIGN KEY (`contractor_id`) REFERENCES `contractors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`building_id`) REFERENCES `buildings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contractor_buildings_building_idx` ON `contractor_buildings` (`building_id`);--> statement-breakpoint
CREATE TABLE `contractor_trades` (
	`contractor_id` text NOT NULL,
	`trade` text NOT NULL,
	PRIMARY KEY(`contractor_id`, `trade`),
	FOREIGN KEY (`contractor_id`) REFERENCES `contractors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contractor_trades_trade_idx` ON `contractor_trades` (`trade`);--> statement-breakpoint
CREATE TABLE `contractors` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`contact_person` text,
	`phone` text,
	`email` text,
	`language` text DEFAULT 'de' NOT NULL,
	`external_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contractors_external_id_uq` ON `contractors` (`external_id`);--> statement-breakpoint
CREATE TABLE `job_links` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`contractor_id` text NOT NULL,
	`created_by_user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contractor_id`) REFERENCES `contractors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `job_links_ticket_idx` ON `job_links` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `job_links_contractor_idx` ON `job_links` (`contractor_id`);