import { z } from '@hono/zod-openapi';
import { SlaCalendarSchema, TENANT_SETTINGS_FIELDS } from '@wijkteams/db';
import { checkTemplates, LANGUAGES, MESSAGE_KINDS } from '@wijkteams/events';
import { REFERENCE_PREFIX_PATTERN } from '@wijkteams/tenants';
import { TemplateSchema } from '../message-templates/index.ts';

/** A template as the settings list it, and as PATCH takes it back (`custom: false` resets it). */
const TemplateChangeSchema = z
  .strictObject({
    kind: z.enum(MESSAGE_KINDS),
    language: z.enum(LANGUAGES),
    channel: z.enum(['email', 'sms']),
    subject: z.string().max(200).nullable(),
    body: z.string().min(1).max(5_000),
    custom: z.boolean().optional().openapi({ description: 'false: back to the built-in wording' }),
  })
  // The outbox's own rules (placeholders, a subject for e-mail only), in the same 400 as the rest.
  .superRefine((template, ctx) => {
    for (const problem of checkTemplates([template]))
      ctx.addIssue({ code: 'custom', path: [problem.name.replace(/^0\./, '')], message: problem.reason });
  });

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
  payoutAccount: { name: 'Gemeente Amersfoort', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
  messageTemplates: [
    {
      kind: 'request.created',
      language: 'nl',
      channel: 'sms',
      subject: null,
      body: '((municipality)): uw hulpvraag is ontvangen, kenmerk ((reference)). Status: ((statusLink))',
      custom: true,
    },
  ],
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
    payoutAccount: z
      .object({ name: z.string(), iban: z.string(), bic: z.string().optional() })
      .nullable()
      .openapi({
        description:
          'The municipality’s own account that payout batches are paid from (the SEPA debtor); null until set. The IBAN is checked with its mod-97 check digits',
      }),
    messageTemplates: z.array(TemplateSchema).openapi({
      description:
        'Every message to residents with the wording in force (as `GET …/message-templates` lists them)',
    }),
  })
  .openapi('TenantAdminSettings', { example: SETTINGS_EXAMPLE });

/** Each key given replaces that setting whole; what GET answers is a valid PATCH body. */
export const SettingsPatchSchema = z
  .strictObject({
    referencePrefix: ReferencePrefix,
    ...TENANT_SETTINGS_FIELDS,
    // Stored in the tenant's own database (`message_templates`), not in the control database.
    messageTemplates: z.array(TemplateChangeSchema).max(64),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one setting')
  .openapi('TenantAdminSettingsPatch', {
    example: { corsOrigins: ['https://www.amersfoort.nl'], offerTimeoutHours: 72 },
  });
