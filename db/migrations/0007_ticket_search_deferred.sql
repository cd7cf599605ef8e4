-- A ticket's search document (0004, 0005) is no longer rebuilt inside the transaction that changed
-- it. Rebuilding re-tokenised up to 100 messages and rewrote the trigram index under the ticket's new
-- activity key in every message's commit: about half of a message's cost and half the pages its
-- commit wrote, on the live path (issue 4). The triggers now only note the ticket in
-- `ticket_search_pending`; db/repositories/ticket-search.ts `indexPendingTickets` re-keys and
-- rebuilds the noted tickets in batches — in the background shortly after the write
-- (server/services/tickets/search-index.ts) and, always, before a search reads the index, so a search
-- still finds a message the moment it is written. A deleted ticket leaves the index at once (its
-- rows must not outlive it). Documents built so far are current: nothing is pending yet.
CREATE TABLE `ticket_search_pending` (
  `ticket_id` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_delete`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_delete`;--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_insert` AFTER INSERT ON `tickets` BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_update` AFTER UPDATE OF `last_activity_at`, `number`, `subject`, `description` ON `tickets` BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_delete` AFTER DELETE ON `tickets` BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`);
  DELETE FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`;
  DELETE FROM `ticket_search_pending` WHERE `ticket_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_insert` AFTER INSERT ON `ticket_messages` WHEN new.`kind` = 'message' BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (new.`ticket_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_update` AFTER UPDATE OF `body`, `kind`, `ticket_id` ON `ticket_messages` BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (old.`ticket_id`);
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (new.`ticket_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_delete` AFTER DELETE ON `ticket_messages` WHEN old.`kind` = 'message' BEGIN
  INSERT OR IGNORE INTO `ticket_search_pending` (`ticket_id`) VALUES (old.`ticket_id`);
END;
