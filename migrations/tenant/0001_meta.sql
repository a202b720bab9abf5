CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `meta` (`key`, `value`) VALUES ('coverage_version', '1');
--> statement-breakpoint
-- Every change to teams or coverage, by any path, bumps the version that lookup caches compare.
CREATE TRIGGER `coverage_rules_bump_insert` AFTER INSERT ON `coverage_rules`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `coverage_rules_bump_update` AFTER UPDATE ON `coverage_rules`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `coverage_rules_bump_delete` AFTER DELETE ON `coverage_rules`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `teams_bump_insert` AFTER INSERT ON `teams`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `teams_bump_update` AFTER UPDATE ON `teams`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `teams_bump_delete` AFTER DELETE ON `teams`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
