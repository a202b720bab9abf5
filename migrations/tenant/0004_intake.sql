CREATE TABLE `request_audit` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`reference` text NOT NULL,
	`result` text NOT NULL,
	`origin` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `request_audit_reference_idx` ON `request_audit` (`reference`,`at`);--> statement-breakpoint
CREATE TABLE `request_categories` (
	`slug` text PRIMARY KEY NOT NULL,
	`name_nl` text NOT NULL,
	`name_en` text NOT NULL,
	`sla_days` integer NOT NULL,
	`needs_schedule` integer DEFAULT false NOT NULL,
	`lead_time_hours` integer DEFAULT 0 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	CONSTRAINT "request_categories_sla" CHECK("request_categories"."sla_days" > 0),
	CONSTRAINT "request_categories_lead_time" CHECK("request_categories"."lead_time_hours" >= 0)
);
--> statement-breakpoint
CREATE TABLE `request_counters` (
	`year` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`tier` text,
	`provider_id` text,
	`reason` text,
	`note_ct` text,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_events_request_idx` ON `request_events` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` text PRIMARY KEY NOT NULL,
	`reference` text NOT NULL,
	`year` integer NOT NULL,
	`sequence` integer NOT NULL,
	`category` text NOT NULL,
	`team_id` text NOT NULL,
	`routed_to_default` integer NOT NULL,
	`match_level` text NOT NULL,
	`pc4` text NOT NULL,
	`submitter_kind` text NOT NULL,
	`submitter_key_id` text,
	`status` text DEFAULT 'received' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`tier` text,
	`provider_id` text,
	`offered_at` text,
	`preferred_at` text,
	`description_ct` text,
	`contact_ct` text,
	`status_token_hash` text,
	`received_at` text NOT NULL,
	`received_on` text NOT NULL,
	`status_changed_at` text NOT NULL,
	`sla_due_at` text NOT NULL,
	`triaged_at` text,
	`resolved_at` text,
	`closed_at` text,
	`cancelled_at` text,
	`anonymised_at` text,
	FOREIGN KEY (`category`) REFERENCES `request_categories`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "requests_status" CHECK("requests"."status" IN ('received', 'triaged', 'offered', 'accepted', 'in_progress', 'resolved', 'closed', 'cancelled', 'referred')),
	CONSTRAINT "requests_submitter" CHECK(("requests"."submitter_kind" = 'resident' AND "requests"."submitter_key_id" IS NULL) OR ("requests"."submitter_kind" = 'partner' AND "requests"."submitter_key_id" IS NOT NULL)),
	CONSTRAINT "requests_anonymised_has_no_personal_data" CHECK("requests"."anonymised_at" IS NULL OR ("requests"."description_ct" IS NULL AND "requests"."contact_ct" IS NULL AND "requests"."status_token_hash" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_reference_unique` ON `requests` (`reference`);--> statement-breakpoint
CREATE INDEX `requests_status_due_idx` ON `requests` (`status`,`sla_due_at`);--> statement-breakpoint
CREATE INDEX `requests_team_idx` ON `requests` (`team_id`);--> statement-breakpoint
CREATE INDEX `requests_category_idx` ON `requests` (`category`);--> statement-breakpoint
CREATE INDEX `requests_received_on_idx` ON `requests` (`received_on`);--> statement-breakpoint
CREATE TABLE `triage_provider_categories` (
	`provider_id` text NOT NULL,
	`category` text NOT NULL,
	PRIMARY KEY(`provider_id`, `category`),
	FOREIGN KEY (`provider_id`) REFERENCES `triage_providers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category`) REFERENCES `request_categories`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `triage_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`tier` text NOT NULL,
	`key_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `triage_providers_tier_idx` ON `triage_providers` (`tier`);--> statement-breakpoint
CREATE TABLE `triage_tiers` (
	`slug` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`name_nl` text NOT NULL,
	`name_en` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `triage_tiers_position_unique` ON `triage_tiers` (`position`);