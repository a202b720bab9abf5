CREATE TABLE `ledger_payout_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`execution_date` text NOT NULL,
	`total_cents` integer NOT NULL,
	`payments` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_payouts` (
	`transfer_id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`name` text NOT NULL,
	`iban_ct` text NOT NULL,
	`amount_cents` integer NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `ledger_payout_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_payouts_batch_idx` ON `ledger_payouts` (`batch_id`);--> statement-breakpoint
CREATE INDEX `ledger_payouts_provider_idx` ON `ledger_payouts` (`provider_id`);--> statement-breakpoint
CREATE TABLE `ledger_reversals` (
	`transfer_id` text PRIMARY KEY NOT NULL,
	`redemption_transfer_id` text NOT NULL,
	`voucher_code` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_reversals_redemption_transfer_id_unique` ON `ledger_reversals` (`redemption_transfer_id`);--> statement-breakpoint
DROP INDEX `ledger_transfers_voucher_settled_once`;--> statement-breakpoint
CREATE INDEX `ledger_transfers_reference_idx` ON `ledger_transfers` (`reference`,`sequence`);--> statement-breakpoint
ALTER TABLE `triage_providers` ADD `iban_ct` text;--> statement-breakpoint
ALTER TABLE `ledger_vouchers` ADD `batch_id` text;--> statement-breakpoint
CREATE INDEX `ledger_vouchers_batch_idx` ON `ledger_vouchers` (`batch_id`);--> statement-breakpoint
-- Every voucher belongs to a batch, what is printed together: the vouchers issued by one command
-- (the command's first issue transfer names it); a replacement is a batch of its own. The rule that
-- keeps the rest of a voucher fixed is made again below, with the batch in it.
DROP TRIGGER `ledger_vouchers_settle_once`;
--> statement-breakpoint
UPDATE `ledger_vouchers` SET `batch_id` = (
  SELECT 'vb_' || lower(substr(COALESCE(f.`hash`, i.`hash`), 1, 26))
  FROM `ledger_transfers` AS i
  LEFT JOIN `ledger_transfers` AS f ON f.`idempotency_key` = i.`idempotency_key` AND f.`code` = 'issue'
  WHERE i.`id` = `ledger_vouchers`.`issue_transfer_id`
  ORDER BY f.`sequence` LIMIT 1
);
--> statement-breakpoint
CREATE TRIGGER `ledger_vouchers_in_a_batch` BEFORE INSERT ON `ledger_vouchers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_vouchers: a voucher is issued in a batch')
  WHERE NEW.`batch_id` IS NULL;
END;
--> statement-breakpoint
-- A voucher's state follows its transfers: it leaves `issued` through its settling transfer (as
-- before), and a reversal of its redemption opens it again. What it is and is worth never changes.
CREATE TRIGGER `ledger_vouchers_follow_transfers` BEFORE UPDATE ON `ledger_vouchers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_vouchers: a voucher changes only through its transfers')
  WHERE NEW.`id` IS NOT OLD.`id` OR NEW.`code` IS NOT OLD.`code`
     OR NEW.`holder_account_id` IS NOT OLD.`holder_account_id`
     OR NEW.`face_value_cents` IS NOT OLD.`face_value_cents` OR NEW.`valid_until` IS NOT OLD.`valid_until`
     OR NEW.`issued_at` IS NOT OLD.`issued_at` OR NEW.`issue_transfer_id` IS NOT OLD.`issue_transfer_id`
     OR NEW.`replaces_voucher_id` IS NOT OLD.`replaces_voucher_id`
     OR NEW.`replace_reason` IS NOT OLD.`replace_reason`
     OR NEW.`batch_id` IS NOT OLD.`batch_id`
     OR CASE
       WHEN OLD.`status` = 'issued' THEN NOT EXISTS (
         SELECT 1 FROM `ledger_transfers` AS t
         WHERE t.`id` = NEW.`settle_transfer_id` AND t.`reference` = OLD.`code`
           AND t.`created_at` IS NEW.`settled_at`
           AND NEW.`status` IS CASE t.`code` WHEN 'redeem' THEN 'redeemed' WHEN 'expire' THEN 'expired'
                                   WHEN 'void' THEN 'voided' END)
       WHEN OLD.`status` = 'redeemed' THEN NEW.`status` IS NOT 'issued'
         OR NEW.`settled_at` IS NOT NULL OR NEW.`settle_transfer_id` IS NOT NULL
         OR NOT EXISTS (
           SELECT 1 FROM `ledger_transfers` AS t
           WHERE t.`reference` = OLD.`code` AND t.`code` = 'reverse'
             AND t.`sequence` = (SELECT MAX(`sequence`) FROM `ledger_transfers` WHERE `reference` = OLD.`code`))
       ELSE 1 END;
END;
--> statement-breakpoint
-- A reversal gives a redemption's value back: from the provider it paid to the holder it came from,
-- for exactly the face value, while the voucher is still redeemed by it and the provider has not
-- been paid for it (a payout after it). Not a change of the redemption: a new fact.
CREATE TRIGGER `ledger_transfers_reverse` BEFORE INSERT ON `ledger_transfers`
WHEN NEW.`code` = 'reverse'
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: only an unpaid redemption of a redeemed voucher can be reversed')
  WHERE NOT EXISTS (
    SELECT 1 FROM `ledger_vouchers` AS v
    JOIN `ledger_transfers` AS r ON r.`id` = v.`settle_transfer_id` AND r.`code` = 'redeem'
    WHERE v.`code` = NEW.`reference` AND v.`status` = 'redeemed'
      AND r.`credit_account_id` = NEW.`debit_account_id` AND r.`debit_account_id` = NEW.`credit_account_id`
      AND r.`amount_cents` = NEW.`amount_cents`
      AND NOT EXISTS (
        SELECT 1 FROM `ledger_transfers` AS p
        WHERE p.`code` = 'payout' AND p.`debit_account_id` = r.`credit_account_id` AND p.`sequence` > r.`sequence`)
  );
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_transfers_reversed` AFTER INSERT ON `ledger_transfers`
WHEN NEW.`code` = 'reverse'
BEGIN
  UPDATE `ledger_vouchers` SET `status` = 'issued', `settled_at` = NULL, `settle_transfer_id` = NULL
  WHERE `code` = NEW.`reference`;
END;
--> statement-breakpoint
-- A payout empties a provider's voucher account into the payout account: everything it was owed at
-- that moment, so "paid out" is simply "redeemed before the provider's last payout".
CREATE TRIGGER `ledger_transfers_payout` BEFORE INSERT ON `ledger_transfers`
WHEN NEW.`code` = 'payout'
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: a payout moves a provider''s whole balance to the payout account')
  WHERE NOT EXISTS (
    SELECT 1 FROM `ledger_accounts` AS d, `ledger_accounts` AS c
    WHERE d.`id` = NEW.`debit_account_id` AND d.`kind` = 'provider' AND d.`balance_cents` = NEW.`amount_cents`
      AND c.`id` = NEW.`credit_account_id` AND c.`kind` = 'payout'
  );
END;
--> statement-breakpoint
-- Only a payout fills the payout account, and only these two codes may take from a provider.
CREATE TRIGGER `ledger_transfers_payout_account` BEFORE INSERT ON `ledger_transfers`
WHEN NEW.`code` NOT IN ('payout', 'reverse')
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: only a payout or a reversal takes from a provider or fills the payout account')
  WHERE EXISTS (SELECT 1 FROM `ledger_accounts` WHERE `id` = NEW.`credit_account_id` AND `kind` = 'payout')
     OR EXISTS (SELECT 1 FROM `ledger_accounts` WHERE `id` = NEW.`debit_account_id` AND `kind` = 'provider');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_reversals_no_update` BEFORE UPDATE ON `ledger_reversals`
BEGIN
  SELECT RAISE(ABORT, 'ledger_reversals is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_reversals_no_delete` BEFORE DELETE ON `ledger_reversals`
BEGIN
  SELECT RAISE(ABORT, 'ledger_reversals is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_payout_batches_no_update` BEFORE UPDATE ON `ledger_payout_batches`
BEGIN
  SELECT RAISE(ABORT, 'ledger_payout_batches is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_payout_batches_no_delete` BEFORE DELETE ON `ledger_payout_batches`
BEGIN
  SELECT RAISE(ABORT, 'ledger_payout_batches is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_payouts_no_update` BEFORE UPDATE ON `ledger_payouts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_payouts is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_payouts_no_delete` BEFORE DELETE ON `ledger_payouts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_payouts is append-only');
END;
--> statement-breakpoint
-- Partner systems hear of a reversal like of the redemption it undoes.
CREATE TRIGGER `outbox_voucher_reversed` AFTER INSERT ON `ledger_transfers`
WHEN NEW.`code` = 'reverse'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `occurred_at`, `reference`, `data`)
  SELECT 'evt_' || lower(hex(randomblob(13))), 'voucher.redemption_reversed', NEW.`created_at`, NEW.`reference`,
    json_object('code', NEW.`reference`, 'amountCents', NEW.`amount_cents`, 'transferId', NEW.`id`,
      'holderAccountId', NEW.`credit_account_id`, 'providerAccountId', NEW.`debit_account_id`,
      'provider', a.`reference`, 'at', NEW.`created_at`)
  FROM `ledger_accounts` a WHERE a.`id` = NEW.`debit_account_id`;
END;
