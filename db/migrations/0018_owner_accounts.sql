-- Owners (seed 003): the monthly Hausgeld an ownership owes under the economic plan, the owner's
-- account (Hausgeldkonto) kept like the rent account, and documents filed to one ownership only.
CREATE TABLE `hausgeld_advances` (
	`id` text PRIMARY KEY NOT NULL,
	`ownership_id` text NOT NULL,
	`amount` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ownership_id`) REFERENCES `ownerships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hausgeld_advances_ownership_idx` ON `hausgeld_advances` (`ownership_id`,`valid_from`);--> statement-breakpoint
CREATE TABLE `owner_account_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`ownership_id` text NOT NULL,
	`booked_on` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`amount` integer NOT NULL,
	`external_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ownership_id`) REFERENCES `ownerships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `owner_account_ownership_idx` ON `owner_account_entries` (`ownership_id`,`booked_on`);--> statement-breakpoint
CREATE UNIQUE INDEX `owner_account_external_id_uq` ON `owner_account_entries` (`external_id`);--> statement-breakpoint
ALTER TABLE `documents` ADD `ownership_id` text REFERENCES ownerships(id);--> statement-breakpoint
CREATE INDEX `documents_ownership_idx` ON `documents` (`ownership_id`);