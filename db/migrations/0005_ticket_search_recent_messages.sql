-- The search document of a ticket (0004) holds its number, subject, description and, from now on,
-- its newest 100 messages instead of all of them. Every message rebuilds the document (its trigram
-- index is keyed by the ticket's last activity, so the key moves), and with all messages that cost
-- grew with the length of the dialog: a ticket with a thousand messages took milliseconds per new
-- message, on the live path. Documents already built keep their text until the ticket next changes.
DROP TRIGGER `ticket_search_ticket_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_delete`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_delete`;--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_insert` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO `ticket_search_keys` (`key`, `ticket_id`) VALUES (
    coalesce(
      (SELECT max(`key`) FROM `ticket_search_keys`
        WHERE `key` BETWEEN new.`last_activity_at` * 65536 AND new.`last_activity_at` * 65536 + 65535),
      new.`last_activity_at` * 65536 - 1
    ) + 1,
    new.`id`
  );
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, new.`number` || ' ' || new.`subject` || ' ' || new.`description` || coalesce(' ' || (
      SELECT group_concat(r.`body`, ' ') FROM (
      SELECT m.`body` FROM `ticket_messages` m WHERE m.`ticket_id` = new.`id` AND m.`kind` = 'message'
      ORDER BY m.`created_at` DESC LIMIT 100
    ) r
    ), '')
    FROM `ticket_search_keys` k WHERE k.`ticket_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_update` AFTER UPDATE OF `last_activity_at`, `number`, `subject`, `description` ON `tickets` BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`);
  DELETE FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`;
  INSERT INTO `ticket_search_keys` (`key`, `ticket_id`) VALUES (
    coalesce(
      (SELECT max(`key`) FROM `ticket_search_keys`
        WHERE `key` BETWEEN new.`last_activity_at` * 65536 AND new.`last_activity_at` * 65536 + 65535),
      new.`last_activity_at` * 65536 - 1
    ) + 1,
    new.`id`
  );
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, new.`number` || ' ' || new.`subject` || ' ' || new.`description` || coalesce(' ' || (
      SELECT group_concat(r.`body`, ' ') FROM (
      SELECT m.`body` FROM `ticket_messages` m WHERE m.`ticket_id` = new.`id` AND m.`kind` = 'message'
      ORDER BY m.`created_at` DESC LIMIT 100
    ) r
    ), '')
    FROM `ticket_search_keys` k WHERE k.`ticket_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_delete` AFTER DELETE ON `tickets` BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`);
  DELETE FROM `ticket_search_keys` WHERE `ticket_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_insert` AFTER INSERT ON `ticket_messages` WHEN new.`kind` = 'message' BEGIN
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
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_update` AFTER UPDATE OF `body`, `kind`, `ticket_id` ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(r.`body`, ' ') FROM (
      SELECT m.`body` FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
      ORDER BY m.`created_at` DESC LIMIT 100
    ) r
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = old.`ticket_id`;
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
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_delete` AFTER DELETE ON `ticket_messages` WHEN old.`kind` = 'message' BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(r.`body`, ' ') FROM (
      SELECT m.`body` FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
      ORDER BY m.`created_at` DESC LIMIT 100
    ) r
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = old.`ticket_id`;
END;
