import { easter } from 'date-easter';
import { addCalendarDays, isDay, weekdayOf } from './clock.ts';

/**
 * Which days a municipality does not count as working days, besides Saturdays, Sundays and the
 * public holidays of the Algemene termijnenwet. Per tenant (`settings.slaCalendar`).
 */
export interface WorkingDayCalendar {
  /**
   * Bevrijdingsdag (5 May): a holiday every year under the Algemene termijnenwet and in the cao
   * Gemeenten (`every-year`); many employers give it only every fifth year (`lustrum`: 2025, 2030).
   */
  liberationDay: 'every-year' | 'lustrum' | 'never';
  /** Goede Vrijdag: not a public holiday, but many offices close. */
  goodFriday: boolean;
  /** Further days the municipality is closed (`YYYY-MM-DD`), e.g. a bridge day after Ascension. */
  closedDays: readonly string[];
}

export const DEFAULT_WORKING_DAY_CALENDAR: WorkingDayCalendar = Object.freeze({
  liberationDay: 'every-year',
  goodFriday: false,
  closedDays: Object.freeze([]) as readonly string[],
});

export interface DutchHoliday {
  /** `YYYY-MM-DD` */
  day: string;
  name: { nl: string; en: string };
}

/** The rules hold from 2014 (Koningsdag on 27 April) on; earlier years are not needed. */
export const FIRST_HOLIDAY_YEAR = 2014;

/** Dutch public holidays of a year, as `calendar` counts them (the default counts 5 May every year). */
export function dutchHolidays(year: number, calendar: WorkingDayCalendar = DEFAULT_WORKING_DAY_CALENDAR) {
  if (!Number.isInteger(year) || year < FIRST_HOLIDAY_YEAR || year > 9999)
    throw new RangeError(`No holiday rules for ${year}`);
  const e = easter(year);
  const easterDay = `${year}-${String(e.month).padStart(2, '0')}-${String(e.day).padStart(2, '0')}`;
  const afterEaster = (days: number) => addCalendarDays(easterDay, days);
  const kingsDay = `${year}-04-27`;
  const holidays: DutchHoliday[] = [
    { day: `${year}-01-01`, name: { nl: 'Nieuwjaarsdag', en: "New Year's Day" } },
    ...(calendar.goodFriday
      ? [{ day: afterEaster(-2), name: { nl: 'Goede Vrijdag', en: 'Good Friday' } }]
      : []),
    { day: easterDay, name: { nl: 'Eerste paasdag', en: 'Easter Sunday' } },
    { day: afterEaster(1), name: { nl: 'Tweede paasdag', en: 'Easter Monday' } },
    {
      // On a Sunday, Koningsdag moves to the Saturday before.
      day: weekdayOf(kingsDay) === 'sun' ? `${year}-04-26` : kingsDay,
      name: { nl: 'Koningsdag', en: "King's Day" },
    },
    ...(calendar.liberationDay === 'every-year' || (calendar.liberationDay === 'lustrum' && year % 5 === 0)
      ? [{ day: `${year}-05-05`, name: { nl: 'Bevrijdingsdag', en: 'Liberation Day' } }]
      : []),
    { day: afterEaster(39), name: { nl: 'Hemelvaartsdag', en: 'Ascension Day' } },
    { day: afterEaster(49), name: { nl: 'Eerste pinksterdag', en: 'Whit Sunday' } },
    { day: afterEaster(50), name: { nl: 'Tweede pinksterdag', en: 'Whit Monday' } },
    { day: `${year}-12-25`, name: { nl: 'Eerste kerstdag', en: 'Christmas Day' } },
    { day: `${year}-12-26`, name: { nl: 'Tweede kerstdag', en: 'Boxing Day' } },
  ];
  return holidays.sort((a, b) => a.day.localeCompare(b.day));
}

/** Holidays per year and calendar; a handful of years is ever asked for, so the map stays small. */
const cache = new Map<string, Set<string>>();
const MAX_CACHED = 256;

function holidaySet(year: number, calendar: WorkingDayCalendar): Set<string> {
  const key = `${year}:${calendar.liberationDay}:${calendar.goodFriday}`;
  let set = cache.get(key);
  if (!set) {
    if (cache.size >= MAX_CACHED) cache.clear();
    set = new Set(dutchHolidays(year, calendar).map((h) => h.day));
    cache.set(key, set);
  }
  return set;
}

/** Monday to Friday, not a public holiday as the calendar counts them, not a day the municipality closed. */
export function isWorkingDay(
  day: string,
  calendar: WorkingDayCalendar = DEFAULT_WORKING_DAY_CALENDAR,
): boolean {
  if (!isDay(day)) throw new RangeError(`Not a day: ${day}`);
  const weekday = weekdayOf(day);
  if (weekday === 'sat' || weekday === 'sun') return false;
  if (holidaySet(Number(day.slice(0, 4)), calendar).has(day)) return false;
  return !calendar.closedDays.includes(day);
}

/** The `n`th working day after `day` (n ≥ 1); the day itself does not count. */
export function addWorkingDaysToDay(
  day: string,
  n: number,
  calendar: WorkingDayCalendar = DEFAULT_WORKING_DAY_CALENDAR,
): string {
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new RangeError(`Not a number of working days: ${n}`);
  let current = day;
  for (let counted = 0; counted < n; ) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current, calendar)) counted++;
  }
  return current;
}
