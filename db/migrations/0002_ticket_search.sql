-- Staff inbox full-text search (issue 5): one FTS5 row per ticket (number, subject, description)
-- and one per message, kept current by triggers so no code path can forget it. The trigram
-- tokenizer matches inside German compounds ("beleuchtung" finds "Treppenhausbeleuchtung"),
-- which a word tokenizer would not (sqlite.org/fts5.html#the_trigram_tokenizer).
CREATE VIRTUAL TABLE `ticket_search` USING fts5(
  `ticket_id` UNINDEXED,
  `message_id` UNINDEXED,
  `text`,
  tokenize = 'trigram remove_diacritics 1'
);
--> statement-breakpoint
INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`)
  SELECT `id`, NULL, `number` || ' ' || `subject` || ' ' || `description` FROM `tickets`;
--> statement-breakpoint
INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`)
  SELECT `ticket_id`, `id`, `body` FROM `ticket_messages` WHERE `kind` = 'message';
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_insert` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`)
    VALUES (new.`id`, NULL, new.`number` || ' ' || new.`subject` || ' ' || new.`description`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_update` AFTER UPDATE OF `number`, `subject`, `description` ON `tickets` BEGIN
  DELETE FROM `ticket_search` WHERE `ticket_id` = old.`id` AND `message_id` IS NULL;
  INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`)
    VALUES (new.`id`, NULL, new.`number` || ' ' || new.`subject` || ' ' || new.`description`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_ticket_delete` AFTER DELETE ON `tickets` BEGIN
  DELETE FROM `ticket_search` WHERE `ticket_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_insert` AFTER INSERT ON `ticket_messages` WHEN new.`kind` = 'message' BEGIN
  INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`) VALUES (new.`ticket_id`, new.`id`, new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_update` AFTER UPDATE OF `body` ON `ticket_messages` WHEN new.`kind` = 'message' BEGIN
  DELETE FROM `ticket_search` WHERE `message_id` = old.`id`;
  INSERT INTO `ticket_search` (`ticket_id`, `message_id`, `text`) VALUES (new.`ticket_id`, new.`id`, new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_delete` AFTER DELETE ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search` WHERE `message_id` = old.`id`;
END;
