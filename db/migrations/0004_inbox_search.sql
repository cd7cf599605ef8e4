-- Staff inbox search by activity (issue 5, bench "search" p95 1,265 ms at 200,000 tickets). 0002
-- kept one FTS5 row per ticket text and per message, so a search produced every matching row,
-- looked up its ticket id and sorted all of them before cutting one page. Now each ticket is one
-- contentless trigram document (number, subject, description and its messages; words never span
-- the separating spaces, so a whitespace-free search word matches exactly as before) whose rowid
-- is `last_activity_at * 65536 + slot` from `ticket_search_keys`: FTS5 reads rowids in order, so
-- "newest activity first" is the index order and a page stops early (db/repositories/staff-inbox.ts).
-- Triggers re-key a ticket whenever its activity moves and rebuild its document on any text change.
-- `contentless_delete` (SQLite ≥ 3.43) lets a contentless table delete rows by rowid.
CREATE INDEX `tickets_status_sla_idx` ON `tickets` (`status`,`first_responded_at`,`first_response_due_at`,`resolution_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_resolution_idx` ON `tickets` (`status`,`resolution_due_at`);--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_ticket_delete`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_insert`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_update`;--> statement-breakpoint
DROP TRIGGER `ticket_search_message_delete`;--> statement-breakpoint
DROP TABLE `ticket_search`;--> statement-breakpoint
CREATE TABLE `ticket_search_keys` (
  `key` integer PRIMARY KEY NOT NULL,
  `ticket_id` text NOT NULL UNIQUE
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `ticket_search_docs` USING fts5(
  `text`,
  content = '',
  contentless_delete = 1,
  tokenize = 'trigram remove_diacritics 1'
);
--> statement-breakpoint
INSERT INTO `ticket_search_keys` (`key`, `ticket_id`)
  SELECT `last_activity_at` * 65536 + row_number() OVER (PARTITION BY `last_activity_at` ORDER BY `id`) - 1, `id`
  FROM `tickets`;
--> statement-breakpoint
INSERT INTO `ticket_search_docs` (`rowid`, `text`)
  SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
    SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
  ), '')
  FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` ORDER BY k.`key`;
--> statement-breakpoint
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
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = new.`id` AND m.`kind` = 'message'
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
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = new.`id` AND m.`kind` = 'message'
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
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = new.`ticket_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_update` AFTER UPDATE OF `body`, `kind`, `ticket_id` ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = old.`ticket_id`;
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = new.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = new.`ticket_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_message_delete` AFTER DELETE ON `ticket_messages` WHEN old.`kind` = 'message' BEGIN
  DELETE FROM `ticket_search_docs` WHERE `rowid` = (SELECT `key` FROM `ticket_search_keys` WHERE `ticket_id` = old.`ticket_id`);
  INSERT INTO `ticket_search_docs` (`rowid`, `text`)
    SELECT k.`key`, t.`number` || ' ' || t.`subject` || ' ' || t.`description` || coalesce(' ' || (
      SELECT group_concat(m.`body`, ' ') FROM `ticket_messages` m WHERE m.`ticket_id` = t.`id` AND m.`kind` = 'message'
    ), '')
    FROM `ticket_search_keys` k JOIN `tickets` t ON t.`id` = k.`ticket_id` WHERE k.`ticket_id` = old.`ticket_id`;
END;
