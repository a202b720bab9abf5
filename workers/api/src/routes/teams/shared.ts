import { z } from '@hono/zod-openapi';
import { TEAM_KIND_PATTERN, teamKinds, textLine, textLines, WEEKDAYS } from '@wijkteams/db';
import { parsePostcode } from '@wijkteams/lookup';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { auditTenantChange } from '../audit.ts';
import { jsonBodyOf } from '../register.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A slot may run to midnight: `24:00`. */
const CLOSING_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A kind of team of the municipality's own: a slug, named in `kindName` where it is new. */
export const TeamKindSchema = z
  .string()
  .max(40)
  .regex(TEAM_KIND_PATTERN, 'Lowercase letters and digits, words joined by dashes (buurtteam)')
  .openapi({ example: 'sociaal-team' });

/** The address in the shape every team answer has; in a PATCH only the keys given change. */
const AddressSchema = z
  .strictObject({
    street: textLine(200).nullable(),
    houseNumber: z.number().int().min(1).max(99_999).nullable(),
    houseLetter: z
      .string()
      .regex(/^[A-Za-z]$/, 'One letter')
      .transform((letter) => letter.toUpperCase())
      .nullable(),
    houseNumberAddition: z
      .string()
      .regex(/^[A-Za-z0-9]{1,4}$/, 'One to four letters or digits')
      .nullable(),
    postcode: z
      .string()
      .max(32)
      .transform((value, ctx) => {
        const parsed = parsePostcode(value);
        if (parsed.ok && parsed.postcode.letters) return parsed.postcode.canonical;
        ctx.addIssue({
          code: 'custom',
          message: parsed.ok ? 'A full postcode, like 9712 CP' : parsed.reason,
        });
        return z.NEVER;
      })
      .nullable()
      .openapi({
        example: '9712CP',
        description: 'Read forgivingly (`9712 cp`), stored canonically (`9712CP`)',
      }),
    city: textLine(100).nullable(),
  })
  .partial()
  .openapi('TeamAddressInput');

/** Slots of one day: each closes after it opens, the same day, and none overlaps another. */
const DaySlots = z
  .array(
    z
      .strictObject({
        opens: z.string().regex(TIME, 'HH:MM, from 00:00 to 23:59').openapi({ example: '09:00' }),
        closes: z.string().regex(CLOSING_TIME, 'HH:MM, from 00:01 to 24:00').openapi({ example: '17:00' }),
      })
      .refine((slot) => slot.closes > slot.opens, {
        message: 'Closes after it opens, on the same day (24:00 for midnight)',
        path: ['closes'],
      }),
  )
  .max(6)
  .refine(
    (slots) => {
      const sorted = [...slots].sort((a, b) => a.opens.localeCompare(b.opens));
      return sorted.every((slot, i) => i === 0 || (sorted[i - 1]?.closes ?? '') <= slot.opens);
    },
    { message: 'The slots of a day overlap' },
  );

/**
 * A number a phone can dial: digits, spaces, `- .`, a leading `+`, and at most one group of digits in
 * brackets (an area code, or the trunk `(0)` after a country code), ending in a digit, with at least
 * three digits. A note (`keuze 2`, `(24/7)`) belongs in the description.
 */
const PHONE = /^(?=(?:\D*\d){3})\+?[\d .-]*(?:\(\d{1,4}\)[\d .-]*)?\d$/;

/** A team's details as a municipality writes them; creating and changing a team check the same rules. */
export const TEAM_FIELDS = {
  name: textLine(100).openapi({ example: 'WIJ Centrum' }),
  kind: TeamKindSchema,
  kindName: z.strictObject({ nl: textLine(100), en: textLine(100) }).openapi({
    description: 'Names the kind: adds a kind the municipality does not have yet, or renames it',
  }),
  description: textLines(1000).nullable(),
  address: AddressSchema,
  phone: z
    .string()
    .trim()
    .min(1)
    .max(30)
    .regex(PHONE, 'A number to dial, e.g. 050 367 91 00 or +31 (0)50 367 91 00; notes go in the description')
    .nullable(),
  email: z.email().nullable(),
  website: z.url().nullable(),
  openingHours: z.partialRecord(z.enum(WEEKDAYS), DaySlots).openapi({
    additionalProperties: false,
    description: 'Per weekday (`mon` … `sun`); a day left out is closed',
  }),
  accessibility: textLines(1000).nullable(),
  closureMessage: textLines(500).nullable().openapi({
    example: 'Vandaag gesloten vanwege code oranje. Bel bij spoed 14 050.',
    description: 'Shown to residents while set; null reopens the team',
  }),
  isDefaultIntake: z.boolean().openapi({
    description:
      'Takes requests (and answers lookups) in the municipality’s own postcode areas that no rule assigns. One team at a time: marking a team moves the mark from the team that had it',
  }),
  isExample: z.boolean().openapi({ description: 'False once the municipality has confirmed the details' }),
  active: z.boolean().openapi({
    description:
      'False takes the team out of lists, lookups and routing (its coverage rules stop applying); true restores it',
  }),
};

/** After a team was created or changed: this isolate's lookups see it at once, and it is audited. */
export async function recordTeamChange(
  c: Context<AppEnv>,
  teamId: string,
  action: 'team.created' | 'team.updated' | 'team.deactivated' | 'team.reactivated' | 'team.deleted',
): Promise<void> {
  c.get('runtime').coverage.forget(c.get('tenant').id);
  await auditTenantChange(c, { action, objectType: 'team', objectId: teamId });
}

/** A kind that does not exist yet needs its names. */
export function unknownKind(kind: string): ApiError {
  return new ApiError('validation-failed', `The municipality has no team kind '${kind}'`, {
    invalidParams: [
      { name: 'body.kind', reason: `Unknown kind '${kind}': send kindName { nl, en } to add it` },
    ],
  });
}

/**
 * Reads and checks a team body in one go: the schema's findings and an unknown kind (which needs
 * the tenant's kinds) in the same 400, so one answer names every bad field.
 */
export async function checkTeamBody<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
): Promise<z.output<T>> {
  const body = await jsonBodyOf(c, true);
  const parsed = schema.safeParse(body);
  const invalidParams = parsed.success
    ? []
    : (ApiError.fromZod(parsed.error, 'json').extra.invalidParams ?? []);
  const { kind, kindName } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof kind === 'string' && kindName === undefined && TeamKindSchema.safeParse(kind).success) {
    const known = await c
      .get('db')()
      .select({ slug: teamKinds.slug })
      .from(teamKinds)
      .where(eq(teamKinds.slug, kind))
      .get();
    if (!known) invalidParams.push(...(unknownKind(kind).extra.invalidParams ?? []));
  }
  if (!parsed.success || invalidParams.length > 0) {
    throw new ApiError('validation-failed', `${invalidParams.length} invalid field(s); nothing was stored`, {
      invalidParams,
    });
  }
  return parsed.data;
}
