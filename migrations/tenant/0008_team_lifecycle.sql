CREATE TABLE `team_kinds` (
	`slug` text PRIMARY KEY NOT NULL,
	`name_nl` text NOT NULL,
	`name_en` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `teams` ADD `house_number` integer;--> statement-breakpoint
ALTER TABLE `teams` ADD `house_letter` text;--> statement-breakpoint
ALTER TABLE `teams` ADD `house_number_addition` text;--> statement-breakpoint
ALTER TABLE `teams` ADD `active` integer DEFAULT true NOT NULL;--> statement-breakpoint
INSERT INTO `team_kinds` (`slug`, `name_nl`, `name_en`) VALUES
  ('wij-team', 'WIJ-team', 'WIJ team'),
  ('wijkservicepunt', 'Wijkservicepunt', 'Neighbourhood service point'),
  ('sociaal-team', 'Sociaal team', 'Social team'),
  ('wijkcentrum', 'Wijkcentrum', 'Community centre'),
  ('informatiepunt', 'Informatiepunt', 'Information point'),
  ('doen-team', 'Doen!-team', 'Doen! team'),
  ('woonzorgservice', 'WoonZorgService', 'Housing and care service');
--> statement-breakpoint
-- Kind names are part of every team answer, so a change to them is a change to the teams.
CREATE TRIGGER `team_kinds_bump_insert` AFTER INSERT ON `team_kinds`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `team_kinds_bump_update` AFTER UPDATE ON `team_kinds`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
--> statement-breakpoint
CREATE TRIGGER `team_kinds_bump_delete` AFTER DELETE ON `team_kinds`
BEGIN UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'coverage_version'; END;
