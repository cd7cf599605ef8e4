DROP INDEX `tickets_activity_idx`;--> statement-breakpoint
CREATE INDEX `tickets_assignee_activity_idx` ON `tickets` (`assignee_id`,`last_activity_at`,`id`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_activity_idx` ON `tickets` (`last_activity_at`,`id`,`status`,`first_responded_at`,`first_response_due_at`,`resolution_due_at`);