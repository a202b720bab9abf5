import { z } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { TEAM_KINDS, WEEKDAYS } from '@wijkteams/db';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A slot may run to midnight: `24:00`. */
const CLOSING_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const text = (max: number) => z.string().trim().min(1).max(max);

/** Slots of one day: each closes after it opens, the same day, and none overlaps another. */
const DaySlots = z
  .array(
    z
      .strictObject({
        opens: z.string().regex(TIME, 'HH:MM, from 00:00 to 23:59'),
        closes: z.string().regex(CLOSING_TIME, 'HH:MM, from 00:01 to 24:00'),
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
  name: text(100),
  description: text(1000).nullable(),
  street: text(200).nullable(),
  postcode: text(10).nullable(),
  city: text(100).nullable(),
  phone: text(30)
    .regex(PHONE, 'A number to dial, e.g. 050 367 91 00 or +31 (0)50 367 91 00; notes go in the description')
    .nullable(),
  email: z.email().nullable(),
  website: z.url().nullable(),
  openingHours: z.partialRecord(z.enum(WEEKDAYS), DaySlots),
  accessibility: text(1000).nullable(),
  closureMessage: text(500).nullable().openapi({
    example: 'Vandaag gesloten vanwege code oranje. Bel bij spoed 14 050.',
    description: 'Shown to residents while set; null reopens the team',
  }),
  isDefaultIntake: z.boolean().openapi({
    description:
      'Takes requests (and answers lookups) in the municipality’s own postcode areas that no rule assigns. One team at a time: marking a team moves the mark from the team that had it',
  }),
};

export const TeamKindSchema = z.enum(TEAM_KINDS);

/** After a team was created or changed: this isolate's lookups see it at once, and it is audited. */
export async function recordTeamChange(
  c: Context<AppEnv>,
  teamId: string,
  action: 'team.created' | 'team.updated',
): Promise<void> {
  const tenant = c.get('tenant');
  const runtime = c.get('runtime');
  runtime.coverage.forget(tenant.id);
  await recordAudit(c.get('control')(), {
    actor: actorId(c.get('actor')),
    origin: runtime.clientIp(c),
    tenantId: tenant.id,
    action,
    objectType: 'team',
    objectId: teamId,
    result: 'success',
  });
}
