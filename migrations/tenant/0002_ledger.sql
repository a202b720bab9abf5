CREATE TABLE `ledger_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`ledger` text NOT NULL,
	`kind` text NOT NULL,
	`reference` text NOT NULL,
	`debits_must_not_exceed_credits` integer DEFAULT true NOT NULL,
	`balance_cents` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "ledger_accounts_no_overdraft" CHECK("ledger_accounts"."debits_must_not_exceed_credits" = 0 OR "ledger_accounts"."balance_cents" >= 0),
	CONSTRAINT "ledger_accounts_integer_balance" CHECK(typeof("ledger_accounts"."balance_cents") = 'integer')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_identity` ON `ledger_accounts` (`ledger`,`kind`,`reference`);--> statement-breakpoint
CREATE TABLE `ledger_idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`request_hash` text NOT NULL,
	`attempt` text NOT NULL,
	`status` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`sequence` integer NOT NULL,
	`debit_account_id` text NOT NULL,
	`credit_account_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`code` text NOT NULL,
	`reference` text NOT NULL,
	`external_reference` text,
	`idempotency_key` text,
	`leg` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`debit_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_transfers_positive_amount" CHECK(typeof("ledger_transfers"."amount_cents") = 'integer' AND "ledger_transfers"."amount_cents" > 0),
	CONSTRAINT "ledger_transfers_two_accounts" CHECK("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id"),
	CONSTRAINT "ledger_transfers_sequence" CHECK("ledger_transfers"."sequence" >= 1),
	CONSTRAINT "ledger_transfers_hash_shape" CHECK(length("ledger_transfers"."hash") = 64 AND length("ledger_transfers"."prev_hash") = 64)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_sequence_unique` ON `ledger_transfers` (`sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_hash_unique` ON `ledger_transfers` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_idempotency` ON `ledger_transfers` (`idempotency_key`,`leg`) WHERE "ledger_transfers"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_voucher_issued_once` ON `ledger_transfers` (`reference`) WHERE "ledger_transfers"."code" = 'issue';--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_voucher_settled_once` ON `ledger_transfers` (`reference`) WHERE "ledger_transfers"."code" IN ('redeem', 'expire', 'void');--> statement-breakpoint
CREATE INDEX `ledger_transfers_debit_idx` ON `ledger_transfers` (`debit_account_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `ledger_transfers_credit_idx` ON `ledger_transfers` (`credit_account_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `ledger_transfers_code_idx` ON `ledger_transfers` (`code`,`created_at`);--> statement-breakpoint
CREATE TABLE `ledger_vouchers` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`holder_account_id` text NOT NULL,
	`face_value_cents` integer NOT NULL,
	`valid_until` text NOT NULL,
	`status` text DEFAULT 'issued' NOT NULL,
	`issued_at` text NOT NULL,
	`issue_transfer_id` text NOT NULL,
	`settled_at` text,
	`settle_transfer_id` text,
	`replaces_voucher_id` text,
	`replace_reason` text,
	FOREIGN KEY (`holder_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_vouchers_face_value" CHECK("ledger_vouchers"."face_value_cents" > 0),
	CONSTRAINT "ledger_vouchers_status" CHECK("ledger_vouchers"."status" IN ('issued', 'redeemed', 'voided', 'expired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_vouchers_code_unique` ON `ledger_vouchers` (`code`);--> statement-breakpoint
CREATE INDEX `ledger_vouchers_due_idx` ON `ledger_vouchers` (`status`,`valid_until`);--> statement-breakpoint
CREATE INDEX `ledger_vouchers_holder_idx` ON `ledger_vouchers` (`holder_account_id`);--> statement-breakpoint
CREATE INDEX `ledger_vouchers_replaces_idx` ON `ledger_vouchers` (`replaces_voucher_id`);