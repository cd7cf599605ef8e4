CREATE TABLE `ticket_number_counters` (
	`year` integer PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
-- Existing tickets: each year's counter starts at the highest number of that year ("2026-000123"
-- → 123), so the next ticket takes the one after it. Numbers of another form (fixtures) are skipped.
INSERT INTO `ticket_number_counters` (`year`, `last`)
SELECT CAST(substr(`number`, 1, 4) AS integer), max(CAST(substr(`number`, 6) AS integer))
FROM `tickets`
WHERE `number` GLOB '[0-9][0-9][0-9][0-9]-[0-9]*' AND substr(`number`, 6) NOT GLOB '*[^0-9]*'
GROUP BY substr(`number`, 1, 4);
