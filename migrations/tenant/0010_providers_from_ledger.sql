-- Providers are one thing, used by triage and by the ledger. Every provider account that a
-- redemption or a budget spend opened by name becomes a registered provider under that same name
-- (its id), so its balance stays where it is and the hash chain is not touched; it sits on the last
-- tier of the ladder until the municipality gives it its real tier, categories and contact.
INSERT INTO `triage_providers` (`id`, `name`, `tier`, `active`, `language`, `created_at`)
SELECT a.`reference`, a.`reference`,
  COALESCE((SELECT `slug` FROM `triage_tiers` ORDER BY `position` DESC LIMIT 1), 'company'),
  1, 'nl', min(a.`created_at`)
FROM `ledger_accounts` a
WHERE a.`kind` = 'provider' AND a.`reference` NOT IN (SELECT `id` FROM `triage_providers`)
GROUP BY a.`reference`;
--> statement-breakpoint
-- And every registered provider has its own voucher account from now on.
INSERT INTO `ledger_accounts` (`id`, `ledger`, `kind`, `reference`)
SELECT 'acc_' || lower(hex(randomblob(13))), 'vouchers', 'provider', p.`id`
FROM `triage_providers` p
WHERE NOT EXISTS (
  SELECT 1 FROM `ledger_accounts` a WHERE a.`ledger` = 'vouchers' AND a.`kind` = 'provider' AND a.`reference` = p.`id`
);
