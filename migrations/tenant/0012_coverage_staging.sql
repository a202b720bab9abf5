CREATE TABLE `coverage_rules_staging` (
	`import_id` text NOT NULL,
	`id` text NOT NULL,
	`team_id` text NOT NULL,
	`level` text NOT NULL,
	`pc4` text NOT NULL,
	`letters` text,
	`house_from` integer,
	`house_to` integer,
	`parity` text DEFAULT 'all' NOT NULL,
	`valid_from` text DEFAULT '1970-01-01' NOT NULL,
	`valid_to` text,
	`is_example` integer DEFAULT false NOT NULL,
	`staged_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `coverage_rules_staging_import_idx` ON `coverage_rules_staging` (`import_id`);--> statement-breakpoint
-- The coverage version moves once per import, not once per row: while an import swaps its rules in
-- (one batch, which sets and clears the `coverage_import` marker and bumps the version itself), the
-- per-row triggers stand aside. Every other change, by any path, still bumps it.
DROP TRIGGER `coverage_rules_bump_insert`;
--> statement-breakpoint
DROP TRIGGER `coverage_rules_bump_update`;
--> statement-breakpoint
DROP TRIGGER `coverage_rules_bump_delete`;
--> statement-breakpoint
CREATE TRIGGER `coverage_rules_bump_insert` AFTER INSERT ON `coverage_rules`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `coverage_rules_bump_update` AFTER UPDATE ON `coverage_rules`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `coverage_rules_bump_delete` AFTER DELETE ON `coverage_rules`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
-- The municipality's PC4 areas decide where the default team answers: a change to them moves the
-- version too.
CREATE TRIGGER `areas_bump_insert` AFTER INSERT ON `areas`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `areas_bump_update` AFTER UPDATE ON `areas`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `areas_bump_delete` AFTER DELETE ON `areas`
WHEN NOT EXISTS (SELECT 1 FROM `meta` WHERE `key` = 'coverage_import')
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
