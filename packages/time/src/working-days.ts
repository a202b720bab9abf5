import { dutchClock, dutchInstant } from './clock.ts';
import { addWorkingDaysToDay, DEFAULT_WORKING_DAY_CALENDAR, type WorkingDayCalendar } from './holidays.ts';

/**
 * `n` working days after `at`, at the same clock time in Amsterdam: a request received on Friday
 * at 14:05 with an SLA of 2 working days is due on Tuesday at 14:05, an hour more or less in UTC
 * if the clocks changed in between. Weekends and holidays are never a due day, so the clock time
 * always exists there (the clocks change on Sundays).
 */
export function addWorkingDays(
  at: Date,
  n: number,
  calendar: WorkingDayCalendar = DEFAULT_WORKING_DAY_CALENDAR,
): Date {
  const clock = dutchClock(at);
  return dutchInstant(addWorkingDaysToDay(clock.day, n, calendar), clock);
}
