ALTER TABLE `contracts` ADD `mandate_reference` text;--> statement-breakpoint
ALTER TABLE `contracts` ADD `mandate_signed_on` text;