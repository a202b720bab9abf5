CREATE TABLE `areas` (
	`pc4` text PRIMARY KEY NOT NULL,
	`place` text NOT NULL,
	`residents` integer
);
--> statement-breakpoint
CREATE TABLE `coverage_rules` (
	`id` text PRIMARY KEY NOT NULL,
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
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "coverage_rules_level_shape" CHECK(("coverage_rules"."level" = 'pc4' AND "coverage_rules"."letters" IS NULL) OR ("coverage_rules"."level" <> 'pc4' AND "coverage_rules"."letters" IS NOT NULL)),
	CONSTRAINT "coverage_rules_range_shape" CHECK("coverage_rules"."level" <> 'house-range' OR ("coverage_rules"."house_from" IS NOT NULL AND "coverage_rules"."house_to" >= "coverage_rules"."house_from"))
);
--> statement-breakpoint
CREATE INDEX `coverage_rules_pc4_idx` ON `coverage_rules` (`pc4`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text,
	`street` text,
	`postcode` text,
	`city` text,
	`phone` text,
	`email` text,
	`website` text,
	`opening_hours` text DEFAULT '{}' NOT NULL,
	`accessibility` text,
	`closure_message` text,
	`is_default_intake` integer DEFAULT false NOT NULL,
	`is_example` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
