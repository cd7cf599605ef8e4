ALTER TABLE `documents` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `documents_external_id_uq` ON `documents` (`external_id`);