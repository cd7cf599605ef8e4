DROP INDEX `tickets_building_status_idx`;--> statement-breakpoint
DROP INDEX `tickets_assignee_status_idx`;--> statement-breakpoint
DROP INDEX `tickets_status_activity_idx`;--> statement-breakpoint
CREATE INDEX `tickets_activity_idx` ON `tickets` (`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_building_status_idx` ON `tickets` (`building_id`,`status`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_idx` ON `tickets` (`assignee_id`,`status`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_status_activity_idx` ON `tickets` (`status`,`last_activity_at`,`id`);