CREATE TABLE `request_idempotency_keys` (
	`scope` text NOT NULL,
	`key_hash` text NOT NULL,
	`body_hash` text NOT NULL,
	`request_id` text NOT NULL,
	`status_token_ct` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`scope`, `key_hash`)
);
--> statement-breakpoint
CREATE INDEX `request_idempotency_keys_created_idx` ON `request_idempotency_keys` (`created_at`);--> statement-breakpoint
ALTER TABLE `requests` ADD `share_with_provider` integer DEFAULT false NOT NULL;