ALTER TABLE `tenants` ADD `reference_prefix` text;--> statement-breakpoint
-- Existing tenants keep the prefix their references had (the slug's first three letters); where two
-- shared one, the older keeps it and the other stays NULL, which the code reads as those letters.
UPDATE `tenants` SET `reference_prefix` = upper(substr(`slug`, 1, 3))
WHERE `id` IN (
  SELECT `id` FROM (
    SELECT `id`, row_number() OVER (PARTITION BY upper(substr(`slug`, 1, 3)) ORDER BY `created_at`, `id`) AS `n`
    FROM `tenants`
  ) WHERE `n` = 1
);--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_reference_prefix_unique` ON `tenants` (`reference_prefix`);
