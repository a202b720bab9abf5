import {
  DUTCH_TIME_ZONE,
  dutchClock,
  dutchInstant,
  dutchTimeOfDay,
  isDay,
  WEEKDAYS,
  type Weekday,
} from '@wijkteams/time/clock';

/** Opening hours as the API gives them, and whether a team is open now in Dutch time. */
export { WEEKDAYS, type Weekday };
export interface OpeningSlot {
  /** `HH:MM`, Dutch local time. */
  opens: string;
  closes: string;
}
/** A day that is missing (or empty) is a day the team is closed. */
export type OpeningHours = Partial<Record<Weekday, OpeningSlot[]>>;

export type OpenState =
  | { open: true; closes: string }
  | { open: false; next: { day: Weekday; opens: string; today: boolean } | null };

/** The weekday and `HH:MM` in the Netherlands, wherever the resident's device thinks it is. */
export function dutchTime(now: Date): { day: Weekday; time: string } {
  return { day: dutchClock(now).weekday, time: dutchTimeOfDay(now) };
}

export function openState(hours: OpeningHours, now: Date): OpenState {
  const { day, time } = dutchTime(now);
  const slotsOf = (d: Weekday) => [...(hours[d] ?? [])].sort((a, b) => a.opens.localeCompare(b.opens));
  const current = slotsOf(day).find((slot) => slot.opens <= time && time < slot.closes);
  if (current) return { open: true, closes: current.closes };
  const start = WEEKDAYS.indexOf(day);
  for (let offset = 0; offset <= 7; offset++) {
    const next = WEEKDAYS[(start + offset) % 7] ?? day;
    const slot = slotsOf(next).find((s) => offset > 0 || s.opens > time);
    if (slot) return { open: false, next: { day: next, opens: slot.opens, today: offset === 0 } };
  }
  return { open: false, next: null };
}

/**
 * A Dutch date and time as the instant the API takes (ISO 8601): `2026-03-03`, `10:00` →
 * `2026-03-03T09:00:00.000Z`. Null for a day or time that is not one.
 */
export function dutchMoment(day: string, time: string): string | null {
  const clock = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(time);
  if (!isDay(day) || !clock) return null;
  return dutchInstant(day, { hour: Number(clock[1]), minute: Number(clock[2]) }).toISOString();
}

/**
 * A date as people type it, day first: `3-3-2026`, `03-03-2026`, `3/3/2026`, `3.3.2026`, and the
 * ISO `2026-03-03`. `YYYY-MM-DD`, or null for anything that is not a day of the calendar.
 */
export function parseDutchDate(input: string): string | null {
  const text = input.normalize('NFKC').trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dutch = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : [];
  if (!y || !m || !d) return null;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isDay(date) ? date : null;
}

/** A time as people type it: `10:30`, `10.30`, `1030`, `9:05`, `10` (on the hour). `HH:MM`, or null. */
export function parseTime(input: string): string | null {
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(
    input
      .normalize('NFKC')
      .trim()
      .replace(/\s*uur$/i, ''),
  );
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2] ?? 0)];
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** `3-3-2026`: a `YYYY-MM-DD` day as the form shows it, day first. */
export const displayDate = (date: string) =>
  date
    .split('-')
    .reverse()
    .map((part) => part.replace(/^0(?=\d$)/, ''))
    .join('-');

/** `2 maart 2026 om 10:15` / `2 March 2026 at 10:15`: a moment as people read it, in Dutch time. */
export function displayMoment(iso: string, language: 'nl' | 'en', withTime = true): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: DUTCH_TIME_ZONE,
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(at);
}
