CREATE TABLE `offers` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`answered_at` text,
	`answered_via` text,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "offers_status" CHECK("offers"."status" IN ('open', 'accepted', 'declined', 'expired', 'withdrawn'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `offers_token_hash_unique` ON `offers` (`token_hash`);--> statement-breakpoint
CREATE INDEX `offers_request_idx` ON `offers` (`request_id`,`status`);--> statement-breakpoint
ALTER TABLE `triage_providers` ADD `contact_ct` text;--> statement-breakpoint
ALTER TABLE `triage_providers` ADD `language` text DEFAULT 'nl' NOT NULL;--> statement-breakpoint
ALTER TABLE `triage_providers` ADD `area` text;--> statement-breakpoint
ALTER TABLE `triage_providers` ADD `updated_at` text;