import { z } from '@hono/zod-openapi';
import { SlaCalendarSchema, TENANT_SETTINGS_FIELDS } from '@wijkteams/db';
import { REFERENCE_PREFIX_PATTERN } from '@wijkteams/tenants';

const ReferencePrefix = z
  .string()
  .regex(REFERENCE_PREFIX_PATTERN, 'Three capital letters, such as AMF')
  .openapi({
    example: 'AMF',
    description: 'Starts every reference (`AMF-2026-000001`); fixed after the first request',
  });

const SETTINGS_EXAMPLE = {
  referencePrefix: 'AMF',
  corsOrigins: ['https://www.amersfoort.nl'],
  keyRateLimitPerMinute: 600,
  publicRateLimitPerMinute: 120,
  rateLimitCaps: { keyRateLimitPerMinute: 600, publicRateLimitPerMinute: 120 },
  offerTimeoutHours: 48,
  slaCalendar: { liberationDay: 'every-year', goodFriday: false, closedDays: ['2026-05-15'] },
} as const;

const SlaCalendar = z.strictObject(SlaCalendarSchema.shape).openapi('SlaCalendar', {
  description:
    'Working days for SLAs: Monday to Friday except the Dutch public holidays, 5 May as `liberationDay` says (every year, every fifth year or never), Good Friday if `goodFriday`, and the `closedDays`',
});

/** The settings with every default filled in. */
export const SettingsSchema = z
  .object({
    referencePrefix: ReferencePrefix,
    corsOrigins: z
      .array(z.string())
      .openapi({ description: 'Origins allowed to call the non-public routes from a browser' }),
    keyRateLimitPerMinute: z.number().int().openapi({ description: 'Requests per minute per API key' }),
    publicRateLimitPerMinute: z
      .number()
      .int()
      .openapi({ description: 'Requests per minute per client IP on the public routes' }),
    rateLimitCaps: z
      .object({ keyRateLimitPerMinute: z.number().int(), publicRateLimitPerMinute: z.number().int() })
      .openapi({
        description: 'The highest rate limits the municipality may set itself; set by the platform',
      }),
    offerTimeoutHours: z.number().int().openapi({
      description: 'Hours a provider has to answer an offer before the request moves down the ladder',
    }),
    slaCalendar: SlaCalendar,
  })
  .openapi('TenantAdminSettings', { example: SETTINGS_EXAMPLE });

/** Each key given replaces that setting whole; what GET answers is a valid PATCH body. */
export const SettingsPatchSchema = z
  .strictObject({ referencePrefix: ReferencePrefix, ...TENANT_SETTINGS_FIELDS })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one setting')
  .openapi('TenantAdminSettingsPatch', {
    example: { corsOrigins: ['https://www.amersfoort.nl'], offerTimeoutHours: 72 },
  });
