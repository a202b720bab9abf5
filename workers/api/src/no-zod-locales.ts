/**
 * Stands in for zod's `locales` namespace in the Worker bundle (wrangler.toml `[alias]`): zod
 * re-exports all of its 60-odd translations of error messages from its namespace object, so a
 * bundler keeps them all (about 260 KB minified), while this API answers in English only (zod's
 * English messages are imported on their own and stay). Nothing here calls `z.locales`.
 */
export {};
