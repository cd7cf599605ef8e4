CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`secret_hash` blob NOT NULL,
	`created_by_user_id` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `import_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`mode` text NOT NULL,
	`dry_run` integer NOT NULL,
	`status` text NOT NULL,
	`api_key_id` text,
	`user_id` text,
	`label` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`counts` text,
	`problem_count` integer DEFAULT 0 NOT NULL,
	`problems` text,
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_runs_started_idx` ON `import_runs` (`started_at`);--> statement-breakpoint
ALTER TABLE `buildings` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `buildings_external_id_uq` ON `buildings` (`external_id`);--> statement-breakpoint
ALTER TABLE `estates` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `estates_external_id_uq` ON `estates` (`external_id`);--> statement-breakpoint
ALTER TABLE `units` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `units_external_id_uq` ON `units` (`external_id`);--> statement-breakpoint
ALTER TABLE `persons` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `persons_external_id_uq` ON `persons` (`external_id`);--> statement-breakpoint
ALTER TABLE `contract_parties` ADD `source` text;--> statement-breakpoint
ALTER TABLE `contracts` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_external_id_uq` ON `contracts` (`external_id`);--> statement-breakpoint
ALTER TABLE `invoices` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_external_id_uq` ON `invoices` (`external_id`);--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_external_id_uq` ON `ledger_entries` (`external_id`);