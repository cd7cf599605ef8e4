-- One rebuild of a ticket's search document per message instead of two. A public message with a
-- client id is written by addMessage (server/services/tickets/messages.ts), which moves the ticket's
-- last activity in the same transaction; the ticket's update trigger then rebuilds the document under
-- its new activity key anyway, so rebuilding on the insert as well doubled the cost of every message
-- on the live path. Every other message still rebuilds here: internal notes (they do not move the
-- activity), and rows written without a client id (the demo seed, imports).
DROP TRIGGER `ticket_search_message_insert`;--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_insert` AFTER INSERT ON `ticket_messages`
WHEN new.`kind` = 'message' AND NOT (new.`visibility` = 'public' AND new.`client_id` IS NOT NULL) BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = new.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(r.`body`, ' ') FROM (
      SELECT m.`body` FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
      ORDER BY m.`created_at` DESC LIMIT 100
    ) r
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = new.`ticket_id`;
END;
