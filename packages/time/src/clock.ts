/**
 * The clock in the Netherlands (Europe/Amsterdam), for the server and the widget alike: no
 * dependencies, so the widget can bundle it. A day is `YYYY-MM-DD`; an instant is a `Date`.
 */

export const DUTCH_TIME_ZONE = 'Europe/Amsterdam';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What a clock on the wall in Amsterdam shows at an instant. */
export interface DutchClock {
  /** `YYYY-MM-DD` */
  day: string;
  weekday: Weekday;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes ahead of UTC: 60 in winter (CET), 120 in summer (CEST). */
  offsetMinutes: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

// One formatter, made once: creating one costs far more than formatting with it.
const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: DUTCH_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Offset and day change only on whole minutes, so one formatting serves a whole minute. The last
 * minutes asked for are kept (at most `WALL_MINUTES_KEPT`, then forgotten all at once): an export
 * that writes a row's issue, validity and settlement moments asks for a few minutes in turn, and
 * formatting each again costs far more than the rest of its row.
 */
const WALL_MINUTES_KEPT = 256;
interface WallMinute {
  day: string;
  hour: number;
  minuteOfHour: number;
  offset: number;
}
const wallMinutes = new Map<number, WallMinute>();

function wallMinute(at: Date): WallMinute {
  const minute = Math.floor(at.getTime() / MINUTE_MS);
  const kept = wallMinutes.get(minute);
  if (kept) return kept;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(minute * MINUTE_MS))) parts[part.type] = part.value;
  const [year, month, dayOfMonth, hour, minuteOfHour] = [
    Number(parts.year),
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  ];
  const wallAsUtc = Date.UTC(year, month - 1, dayOfMonth, hour, minuteOfHour);
  const wall = {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour,
    minuteOfHour,
    offset: Math.round((wallAsUtc - minute * MINUTE_MS) / MINUTE_MS),
  };
  if (wallMinutes.size >= WALL_MINUTES_KEPT) wallMinutes.clear();
  wallMinutes.set(minute, wall);
  return wall;
}

/** The clock in Amsterdam at `at`. */
export function dutchClock(at: Date): DutchClock {
  const wall = wallMinute(at);
  const withinMinute = at.getTime() - Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  return {
    day: wall.day,
    weekday: weekdayOf(wall.day),
    hour: wall.hour,
    minute: wall.minuteOfHour,
    second: Math.floor(withinMinute / 1000),
    millisecond: withinMinute % 1000,
    offsetMinutes: wall.offset,
  };
}

/** The calendar day in the Netherlands at `at`, `YYYY-MM-DD`: what a Dutch report or deadline counts. */
export function dutchDay(at: Date): string {
  return wallMinute(at).day;
}

/** `HH:MM` in the Netherlands at `at`. */
export function dutchTimeOfDay(at: Date): string {
  const { hour, minuteOfHour } = wallMinute(at);
  return `${String(hour).padStart(2, '0')}:${String(minuteOfHour).padStart(2, '0')}`;
}

/**
 * `at` as an ISO 8601 instant on the clock in Amsterdam, to the second, with its offset:
 * `2026-03-01T10:15:00+01:00` (winter) or `2026-07-01T11:15:00+02:00` (summer). The same instant
 * as the UTC `…Z` form, as a Dutch reader expects to see it.
 */
export function dutchIsoInstant(at: Date): string {
  const { day, hour, minuteOfHour, offset } = wallMinute(at);
  const second = Math.floor((at.getTime() - Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS) / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const ahead = Math.abs(offset);
  return `${day}T${two(hour)}:${two(minuteOfHour)}:${two(second)}${offset < 0 ? '-' : '+'}${two(Math.floor(ahead / 60))}:${two(ahead % 60)}`;
}

/** True for a day that exists on the calendar (`2026-02-30` does not). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function partsOf(day: string): [number, number, number] {
  const m = DAY.exec(day);
  if (!m || !isDay(day)) throw new RangeError(`Not a day: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** `day` plus `days` calendar days (negative goes back); no clock involved. */
export function addCalendarDays(day: string, days: number): string {
  const [y, m, d] = partsOf(day);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(day: string): Weekday {
  const [y, m, d] = partsOf(day);
  // getUTCDay: 0 is Sunday.
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7] as Weekday;
}

/**
 * The instant the clock in Amsterdam shows `time` on `day`. A time that does not exist (02:30 on
 * the last Sunday of March) is read as the same time in winter time, an hour later on the clock;
 * a time that exists twice (02:30 on the last Sunday of October) is the first of the two.
 */
export function dutchInstant(
  day: string,
  time: { hour: number; minute: number; second?: number; millisecond?: number },
): Date {
  const [y, m, d] = partsOf(day);
  const wall = Date.UTC(y, m - 1, d, time.hour, time.minute, time.second ?? 0, time.millisecond ?? 0);
  // The offset is one of two values; try summer time first, so that a repeated hour gives the first.
  for (const offset of [120, 60]) {
    const candidate = new Date(wall - offset * MINUTE_MS);
    if (wallMinute(candidate).offset === offset) return candidate;
  }
  return new Date(wall - 60 * MINUTE_MS); // in the spring gap: neither offset shows this time
}

/** Midnight at the start of a Dutch day, as an instant (22:00 or 23:00 UTC the day before). */
export function dutchMidnight(day: string): Date {
  return dutchInstant(day, { hour: 0, minute: 0 });
}

/**
 * `days` Dutch calendar days later at the same clock time in Amsterdam: across a daylight-saving
 * change that is 23 or 25 hours for one of the days, not 24.
 */
export function addDutchDays(at: Date, days: number): Date {
  const clock = dutchClock(at);
  return dutchInstant(addCalendarDays(clock.day, days), clock);
}

/** Whole Dutch calendar days from `from` to `to` (days, not instants). */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = partsOf(from);
  const [ty, tm, td] = partsOf(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS);
}
