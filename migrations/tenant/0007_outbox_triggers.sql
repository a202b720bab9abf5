-- Every change others must hear about writes its outbox event in the same statement (and so the
-- same transaction) as the change: a step of a request is a row in request_events, a redemption
-- or a voiding a row in ledger_transfers. A change rolled back takes its event with it.
CREATE TRIGGER `outbox_request_step` AFTER INSERT ON `request_events`
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `occurred_at`, `reference`, `request_id`, `data`)
  SELECT 'evt_' || lower(hex(randomblob(13))),
    CASE WHEN NEW.`from_status` IS NULL THEN 'request.created' ELSE 'request.status_changed' END,
    NEW.`at`, r.`reference`, r.`id`,
    json_object('reference', r.`reference`, 'status', NEW.`to_status`, 'previousStatus', NEW.`from_status`,
      'category', r.`category`, 'teamId', r.`team_id`, 'tier', r.`tier`, 'providerId', r.`provider_id`,
      'reason', NEW.`reason`, 'at', NEW.`at`)
  FROM `requests` r WHERE r.`id` = NEW.`request_id`;
  INSERT INTO `outbox_events` (`id`, `type`, `occurred_at`, `reference`, `request_id`, `data`)
  SELECT 'evt_' || lower(hex(randomblob(13))), 'offer.created', NEW.`at`, r.`reference`, r.`id`,
    json_object('reference', r.`reference`, 'category', r.`category`, 'teamId', r.`team_id`,
      'tier', r.`tier`, 'providerId', r.`provider_id`, 'offeredAt', NEW.`at`)
  FROM `requests` r WHERE r.`id` = NEW.`request_id` AND NEW.`to_status` = 'offered';
  INSERT INTO `outbox_events` (`id`, `type`, `occurred_at`, `reference`, `request_id`, `data`)
  SELECT 'evt_' || lower(hex(randomblob(13))), 'offer.answered', NEW.`at`, r.`reference`, r.`id`,
    json_object('reference', r.`reference`, 'category', r.`category`, 'teamId', r.`team_id`,
      'tier', NEW.`tier`, 'providerId', NEW.`provider_id`,
      'answer', CASE
        WHEN NEW.`to_status` = 'accepted' THEN 'accepted'
        WHEN NEW.`reason` LIKE 'offer-expired%' THEN 'expired'
        WHEN NEW.`reason` LIKE 'declined%' THEN 'declined'
        ELSE 'withdrawn' END,
      'status', NEW.`to_status`, 'at', NEW.`at`)
  FROM `requests` r WHERE r.`id` = NEW.`request_id` AND NEW.`from_status` = 'offered';
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_voucher_settled` AFTER INSERT ON `ledger_transfers`
WHEN NEW.`code` IN ('redeem', 'void')
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `occurred_at`, `reference`, `data`)
  SELECT 'evt_' || lower(hex(randomblob(13))),
    CASE NEW.`code` WHEN 'redeem' THEN 'voucher.redeemed' ELSE 'voucher.voided' END,
    NEW.`created_at`, NEW.`reference`,
    json_object('code', NEW.`reference`, 'amountCents', NEW.`amount_cents`, 'transferId', NEW.`id`,
      'holderAccountId', NEW.`debit_account_id`,
      'providerAccountId', CASE NEW.`code` WHEN 'redeem' THEN NEW.`credit_account_id` END,
      'provider', CASE NEW.`code` WHEN 'redeem' THEN a.`reference` END,
      'requestReference', NEW.`external_reference`, 'at', NEW.`created_at`)
  FROM `ledger_accounts` a WHERE a.`id` = NEW.`credit_account_id`;
END;
