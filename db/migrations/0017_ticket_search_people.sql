-- Search by who and where (issue 15): a renumbered unit finds its tickets by this index.
CREATE INDEX `tickets_unit_idx` ON `tickets` (`unit_id`);--> statement-breakpoint
-- Besides the ticket's own text, its search document holds who filed it and where (the person's
-- names and customer number, the contract and unit numbers, the building's address). A change of
-- one of those now notes the person's, contract's, unit's or building's tickets in
-- `ticket_search_pending` (0007), whichever path wrote it: the ERP import, the console, a script.
-- One INSERT … SELECT per changed row through an index (tickets_unit_idx above for units), only when
-- a searched column really changed: an import that re-sends unchanged names notes nothing. The
-- background indexer and every search rebuild the noted documents in batches.
CREATE TRIGGER `ticket_search_person_update`
AFTER UPDATE OF `first_name`, `last_name`, `organisation_name`, `customer_number` ON `persons`
WHEN new.`first_name` IS NOT old.`first_name` OR new.`last_name` IS NOT old.`last_name`
  OR new.`organisation_name` IS NOT old.`organisation_name` OR new.`customer_number` IS NOT old.`customer_number`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`)
    SELECT t.`id` FROM `users` u JOIN `tickets` t ON t.`created_by_user_id` = u.`id` WHERE u.`person_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_user_person_update` AFTER UPDATE OF `person_id` ON `users`
WHEN new.`person_id` IS NOT old.`person_id`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`)
    SELECT `id` FROM `tickets` WHERE `created_by_user_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_contract_update` AFTER UPDATE OF `number` ON `contracts`
WHEN new.`number` IS NOT old.`number`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`)
    SELECT `id` FROM `tickets` WHERE `contract_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_unit_update` AFTER UPDATE OF `number` ON `units`
WHEN new.`number` IS NOT old.`number`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`)
    SELECT `id` FROM `tickets` WHERE `unit_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_building_update`
AFTER UPDATE OF `street`, `house_number`, `postal_code`, `city` ON `buildings`
WHEN new.`street` IS NOT old.`street` OR new.`house_number` IS NOT old.`house_number`
  OR new.`postal_code` IS NOT old.`postal_code` OR new.`city` IS NOT old.`city`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`)
    SELECT `id` FROM `tickets` WHERE `building_id` = new.`id`;
END;
--> statement-breakpoint
-- A ticket moved to another person, contract, unit or building gets that one's words.
DROP TRIGGER `ticket_search_ticket_update`;--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_update`
AFTER UPDATE OF `last_activity_at`, `number`, `subject`, `subjects`, `description`,
  `created_by_user_id`, `contract_id`, `unit_id`, `building_id` ON `tickets`
BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (new.`id`);
END;
