-- The ledger keeps its own rules, whoever writes to it. Transfers are facts: never changed, never
-- removed; a correction is a new transfer.
CREATE TRIGGER `ledger_transfers_no_update` BEFORE UPDATE ON `ledger_transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_transfers_no_delete` BEFORE DELETE ON `ledger_transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers is append-only');
END;
--> statement-breakpoint
-- One linear hash chain: a transfer appends at the tail (next sequence, the tail's hash as its
-- prev_hash, not older than the tail) or not at all. Writers compute the hash from the tail they
-- read; if another write got there first this aborts the whole batch with `ledger_chain_moved`,
-- and the writer reads the new tail and tries again.
CREATE TRIGGER `ledger_transfers_chain` BEFORE INSERT ON `ledger_transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_chain_moved')
  WHERE NEW.`sequence` IS NOT (SELECT COALESCE(MAX(`sequence`), 0) + 1 FROM `ledger_transfers`)
     OR NEW.`prev_hash` IS NOT COALESCE(
          (SELECT `hash` FROM `ledger_transfers` WHERE `sequence` = NEW.`sequence` - 1),
          '0000000000000000000000000000000000000000000000000000000000000000')
     OR NEW.`created_at` < COALESCE(
          (SELECT `created_at` FROM `ledger_transfers` WHERE `sequence` = NEW.`sequence` - 1), '');
END;
--> statement-breakpoint
-- Both accounts exist and keep the same ledger (TigerBeetle: accounts_must_have_the_same_ledger).
CREATE TRIGGER `ledger_transfers_accounts` BEFORE INSERT ON `ledger_transfers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: both accounts must exist on the same ledger')
  WHERE NOT EXISTS (SELECT 1 FROM `ledger_accounts` WHERE `id` = NEW.`debit_account_id`)
     OR (SELECT `ledger` FROM `ledger_accounts` WHERE `id` = NEW.`debit_account_id`)
        IS NOT (SELECT `ledger` FROM `ledger_accounts` WHERE `id` = NEW.`credit_account_id`);
END;
--> statement-breakpoint
-- A voucher's issue transfer credits its holder with exactly its face value.
CREATE TRIGGER `ledger_transfers_voucher_issue` BEFORE INSERT ON `ledger_transfers`
WHEN NEW.`code` = 'issue'
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: an issue transfer must match its voucher')
  WHERE NOT EXISTS (
    SELECT 1 FROM `ledger_vouchers`
    WHERE `code` = NEW.`reference` AND `status` = 'issued' AND `issue_transfer_id` = NEW.`id`
      AND `holder_account_id` = NEW.`credit_account_id` AND `face_value_cents` = NEW.`amount_cents`
  );
END;
--> statement-breakpoint
-- Redeeming, expiring or voiding takes exactly the face value of an issued voucher from its holder.
CREATE TRIGGER `ledger_transfers_voucher_settle` BEFORE INSERT ON `ledger_transfers`
WHEN NEW.`code` IN ('redeem', 'expire', 'void')
BEGIN
  SELECT RAISE(ABORT, 'ledger_transfers: the voucher is not open')
  WHERE NOT EXISTS (
    SELECT 1 FROM `ledger_vouchers`
    WHERE `code` = NEW.`reference` AND `status` = 'issued'
      AND `holder_account_id` = NEW.`debit_account_id` AND `face_value_cents` = NEW.`amount_cents`
  );
END;
--> statement-breakpoint
-- Cached balances (credits minus debits) move in the statement that inserts the transfer, so an
-- overdraft fails the CHECK on ledger_accounts and aborts the whole batch.
CREATE TRIGGER `ledger_transfers_post` AFTER INSERT ON `ledger_transfers`
BEGIN
  UPDATE `ledger_accounts` SET `balance_cents` = `balance_cents` - NEW.`amount_cents`
  WHERE `id` = NEW.`debit_account_id`;
  UPDATE `ledger_accounts` SET `balance_cents` = `balance_cents` + NEW.`amount_cents`
  WHERE `id` = NEW.`credit_account_id`;
END;
--> statement-breakpoint
-- A voucher's status follows from the transfer that settled it.
CREATE TRIGGER `ledger_transfers_voucher_settled` AFTER INSERT ON `ledger_transfers`
WHEN NEW.`code` IN ('redeem', 'expire', 'void')
BEGIN
  UPDATE `ledger_vouchers`
  SET `status` = CASE NEW.`code` WHEN 'redeem' THEN 'redeemed' WHEN 'expire' THEN 'expired' ELSE 'voided' END,
      `settled_at` = NEW.`created_at`,
      `settle_transfer_id` = NEW.`id`
  WHERE `code` = NEW.`reference`;
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_vouchers_born_issued` BEFORE INSERT ON `ledger_vouchers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_vouchers: a voucher starts issued and unsettled')
  WHERE NEW.`status` <> 'issued' OR NEW.`settled_at` IS NOT NULL OR NEW.`settle_transfer_id` IS NOT NULL;
END;
--> statement-breakpoint
-- A voucher leaves `issued` once, through its settling transfer; what it is and is worth never changes.
CREATE TRIGGER `ledger_vouchers_settle_once` BEFORE UPDATE ON `ledger_vouchers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_vouchers: a voucher is settled once, by its settling transfer')
  WHERE OLD.`status` <> 'issued'
     OR NEW.`id` IS NOT OLD.`id` OR NEW.`code` IS NOT OLD.`code`
     OR NEW.`holder_account_id` IS NOT OLD.`holder_account_id`
     OR NEW.`face_value_cents` IS NOT OLD.`face_value_cents` OR NEW.`valid_until` IS NOT OLD.`valid_until`
     OR NEW.`issued_at` IS NOT OLD.`issued_at` OR NEW.`issue_transfer_id` IS NOT OLD.`issue_transfer_id`
     OR NEW.`replaces_voucher_id` IS NOT OLD.`replaces_voucher_id`
     OR NEW.`replace_reason` IS NOT OLD.`replace_reason`
     OR NOT EXISTS (
       SELECT 1 FROM `ledger_transfers` AS t
       WHERE t.`id` = NEW.`settle_transfer_id` AND t.`reference` = OLD.`code`
         AND t.`created_at` IS NEW.`settled_at`
         AND NEW.`status` IS CASE t.`code` WHEN 'redeem' THEN 'redeemed' WHEN 'expire' THEN 'expired'
                                 WHEN 'void' THEN 'voided' END
     );
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_vouchers_no_delete` BEFORE DELETE ON `ledger_vouchers`
BEGIN
  SELECT RAISE(ABORT, 'ledger_vouchers: vouchers are never removed');
END;
--> statement-breakpoint
-- Balances arise from transfers only, which keeps the sum over all accounts at 0.
CREATE TRIGGER `ledger_accounts_open_empty` BEFORE INSERT ON `ledger_accounts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_accounts: an account opens with a zero balance')
  WHERE NEW.`balance_cents` <> 0;
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_fixed_identity` BEFORE UPDATE ON `ledger_accounts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_accounts: only the balance of an account changes')
  WHERE NEW.`id` IS NOT OLD.`id` OR NEW.`ledger` IS NOT OLD.`ledger` OR NEW.`kind` IS NOT OLD.`kind`
     OR NEW.`reference` IS NOT OLD.`reference`
     OR NEW.`debits_must_not_exceed_credits` IS NOT OLD.`debits_must_not_exceed_credits`
     OR NEW.`created_at` IS NOT OLD.`created_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_no_delete` BEFORE DELETE ON `ledger_accounts`
BEGIN
  SELECT RAISE(ABORT, 'ledger_accounts: accounts are never removed');
END;
--> statement-breakpoint
-- The first answer under a key is final: a retry can never turn a refusal into a success.
CREATE TRIGGER `ledger_idempotency_keys_no_update` BEFORE UPDATE ON `ledger_idempotency_keys`
BEGIN
  SELECT RAISE(ABORT, 'ledger_idempotency_keys: the first answer is final');
END;
--> statement-breakpoint
-- A write decides its outcome inside the batch; `stale` means the state it planned from has moved
-- (a voucher it did not find now exists), so the batch aborts and the writer plans again.
CREATE TRIGGER `ledger_idempotency_keys_plan_stale` BEFORE INSERT ON `ledger_idempotency_keys`
WHEN NEW.`status` = 'stale'
BEGIN
  SELECT RAISE(ABORT, 'ledger_plan_stale');
END;
