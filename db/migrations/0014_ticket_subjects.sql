ALTER TABLE `tickets` ADD `subjects` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `title` text;