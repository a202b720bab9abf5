import { z } from '@hono/zod-openapi';
import { textLine } from '@wijkteams/db';
import { TenantParam } from '../schemas.ts';

const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const label = textLine(100, 2);

export const CategorySlug = z
  .string()
  .max(64)
  .regex(SLUG, 'Lowercase letters and digits, words joined by dashes (samen-koken)');

export const CategoryPathSchema = z.object({
  tenant: TenantParam,
  slug: CategorySlug.openapi({ param: { name: 'slug', in: 'path' }, example: 'samen-koken' }),
});

export const CATEGORY_EXAMPLE = {
  slug: 'samen-koken',
  name: { nl: 'Samen koken', en: 'Cooking together' },
  slaDays: 10,
  needsSchedule: true,
  leadTimeHours: 48,
  position: 8,
  active: true,
};

export const CategorySchema = z
  .object({
    slug: z.string().openapi({ example: 'transport' }),
    name: z.object({ nl: z.string(), en: z.string() }),
    slaDays: z.number().int().openapi({
      description: 'Working days within which a request should be resolved (the tenant’s SLA calendar)',
    }),
    needsSchedule: z.boolean().openapi({ description: 'Intake then needs preferredAt' }),
    leadTimeHours: z.number().int().openapi({ description: 'How far ahead preferredAt must be' }),
    position: z.number().int().openapi({ description: 'Place in the list' }),
    active: z.boolean().openapi({ description: 'Residents see and choose only active categories' }),
  })
  .openapi('Category', { example: CATEGORY_EXAMPLE });

/** What a municipality may set on a category; creating and changing one check the same rules. */
export const CATEGORY_FIELDS = {
  name: z.strictObject({ nl: label, en: label }),
  slaDays: z.number().int().min(1).max(250),
  needsSchedule: z.boolean(),
  leadTimeHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365),
  position: z.number().int().min(0).max(10_000),
  active: z.boolean(),
};

export const NewCategorySchema = z
  .strictObject({ slug: CategorySlug, ...CATEGORY_FIELDS })
  .partial({ needsSchedule: true, leadTimeHours: true, position: true, active: true })
  .openapi('NewCategory', {
    example: { slug: 'samen-koken', name: { nl: 'Samen koken', en: 'Cooking together' }, slaDays: 10 },
  });

export const CategoryPatchSchema = z
  .strictObject(CATEGORY_FIELDS)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field')
  .openapi('CategoryPatch', { example: { active: false } });
