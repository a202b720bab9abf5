import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addDutchDays,
  addWorkingDays,
  daysBetween,
  dutchClock,
  dutchDay,
  dutchHolidays,
  dutchInstant,
  dutchIsoInstant,
  dutchMidnight,
  isWorkingDay,
} from '../src/index.ts';

const HOUR = 3_600_000;
/** 1 January 2026 to 31 December 2030, as instants: five springs and five autumns of DST. */
const from2026to2030 = fc
  .integer({ min: Date.UTC(2025, 11, 31, 23), max: Date.UTC(2030, 11, 31, 22) })
  .map((ms) => new Date(ms));
const clockOf = (at: Date) => {
  const { hour, minute, second, millisecond } = dutchClock(at);
  return { hour, minute, second, millisecond };
};

describe('the day in Amsterdam', () => {
  it('is the Dutch calendar day, not the UTC one', () => {
    expect(dutchDay(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01'); // 00:30 CEST on 1 April
    expect(dutchDay(new Date('2026-03-31T21:59:59Z'))).toBe('2026-03-31');
    expect(dutchDay(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01'); // midnight CET
  });

  it('starts at local midnight: 22:00 UTC in summer, 23:00 UTC in winter', () => {
    expect(dutchMidnight('2026-04-01').toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(dutchMidnight('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    // The days of the change are 23 and 25 hours long.
    expect(dutchMidnight('2026-03-30').getTime() - dutchMidnight('2026-03-29').getTime()).toBe(23 * HOUR);
    expect(dutchMidnight('2026-10-26').getTime() - dutchMidnight('2026-10-25').getTime()).toBe(25 * HOUR);
  });

  it('reads a clock time that does not exist as winter time, and a repeated one as its first', () => {
    expect(dutchInstant('2026-03-29', { hour: 2, minute: 30 }).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(dutchInstant('2026-10-25', { hour: 2, minute: 30 }).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('property: every instant lies within its Dutch day, which starts at its own midnight (2026–2030)', () => {
    fc.assert(
      fc.property(from2026to2030, (at) => {
        const day = dutchDay(at);
        const start = dutchMidnight(day).getTime();
        const end = dutchMidnight(addCalendarDays(day, 1)).getTime();
        expect(start).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(end);
        expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(end - start);
        expect(dutchDay(new Date(start - 1))).toBe(addCalendarDays(day, -1));
        expect([60, 120]).toContain(dutchClock(at).offsetMinutes);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: adding Dutch days keeps the clock time, whatever DST does in between', () => {
    fc.assert(
      fc.property(from2026to2030, fc.integer({ min: -400, max: 400 }), (at, days) => {
        const later = addDutchDays(at, days);
        expect(dutchDay(later)).toBe(addCalendarDays(dutchDay(at), days));
        const target = dutchInstant(dutchDay(later), clockOf(at));
        // Only a time in the spring gap (02:00–03:00 on the last Sunday of March) cannot be kept.
        expect(later.getTime()).toBe(target.getTime());
        if (dutchClock(later).hour === dutchClock(at).hour) expect(clockOf(later)).toEqual(clockOf(at));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('an instant as a Dutch reader sees it', () => {
  it('writes the clock in Amsterdam with its offset, in winter and in summer', () => {
    expect(dutchIsoInstant(new Date('2026-03-01T09:15:00.400Z'))).toBe('2026-03-01T10:15:00+01:00');
    expect(dutchIsoInstant(new Date('2026-07-01T09:15:07Z'))).toBe('2026-07-01T11:15:07+02:00');
    expect(dutchIsoInstant(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01T00:30:00+02:00');
  });

  it('property: reads back as the same instant, to the second (2026–2030)', () => {
    fc.assert(
      fc.property(from2026to2030, (at) => {
        const written = dutchIsoInstant(at);
        expect(written).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
        expect(new Date(written).getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
      }),
    );
  });
});

describe('working days', () => {
  it('an SLA across the end of March keeps its clock time and skips Easter Monday', () => {
    // Wednesday 25 March 2026, 10:15 winter time; the clocks go forward on Sunday 29 March.
    const received = new Date('2026-03-25T09:15:00Z');
    const due = addWorkingDays(received, 10);
    // 26, 27, 30, 31 March, 1, 2, 3 April (Good Friday counts by default), not 6 April (Easter
    // Monday), 7, 8, 9 April: due Thursday 9 April at 10:15 summer time.
    expect(due.toISOString()).toBe('2026-04-09T08:15:00.000Z');
    expect(dutchClock(due)).toMatchObject({ day: '2026-04-09', hour: 10, minute: 15 });
    expect(due.getTime() - received.getTime()).not.toBe(15 * 24 * HOUR); // not a multiple of 24 h
  });

  it('counts 5 May and Good Friday as the tenant says', () => {
    expect(isWorkingDay('2026-05-05')).toBe(false);
    expect(isWorkingDay('2026-05-05', { liberationDay: 'lustrum', goodFriday: false, closedDays: [] })).toBe(
      true,
    );
    expect(isWorkingDay('2030-05-06', { liberationDay: 'lustrum', goodFriday: false, closedDays: [] })).toBe(
      true,
    );
    expect(isWorkingDay('2026-05-05', { liberationDay: 'never', goodFriday: false, closedDays: [] })).toBe(
      true,
    );
    expect(isWorkingDay('2026-04-03')).toBe(true);
    expect(isWorkingDay('2026-04-03', { liberationDay: 'never', goodFriday: true, closedDays: [] })).toBe(
      false,
    );
    expect(
      isWorkingDay('2026-05-15', { liberationDay: 'never', goodFriday: false, closedDays: ['2026-05-15'] }),
    ).toBe(false);
  });

  it('moves Koningsdag to Saturday when 27 April is a Sunday', () => {
    expect(dutchHolidays(2025).find((h) => h.name.nl === 'Koningsdag')?.day).toBe('2025-04-26');
    expect(dutchHolidays(2026).find((h) => h.name.nl === 'Koningsdag')?.day).toBe('2026-04-27');
  });

  it('agrees with date-holidays on every Dutch public holiday from 2014 to 2100', () => {
    const reference = new Holidays('NL');
    const publicNames = new Set([
      'Nieuwjaar',
      'Pasen',
      'Tweede paasdag',
      'Koningsdag',
      'Hemelvaartsdag',
      'Pinksteren',
      'Tweede pinksterdag',
      'Kerstmis',
      'Tweede kerstdag',
      'Bevrijdingsdag',
      'Goede Vrijdag',
    ]);
    const all = { liberationDay: 'every-year', goodFriday: true, closedDays: [] } as const;
    for (let year = 2014; year <= 2100; year++) {
      const theirs = reference
        .getHolidays(year)
        .filter((h) => publicNames.has(h.name))
        .map((h) => h.date.slice(0, 10))
        .sort();
      expect(dutchHolidays(year, all).map((h) => h.day)).toEqual(theirs);
    }
  });

  it('property: n working days later is a working day at the same clock time, with n working days between (2026–2030)', () => {
    const calendars = fc.record({
      liberationDay: fc.constantFrom('every-year', 'lustrum', 'never' as const),
      goodFriday: fc.boolean(),
      closedDays: fc.constant([] as string[]),
    });
    fc.assert(
      fc.property(from2026to2030, fc.integer({ min: 0, max: 40 }), calendars, (at, n, calendar) => {
        const due = addWorkingDays(at, n, calendar);
        const [start, end] = [dutchDay(at), dutchDay(due)];
        if (n > 0) expect(isWorkingDay(end, calendar)).toBe(true);
        let between = 0;
        for (let i = 1; i <= daysBetween(start, end); i++)
          if (isWorkingDay(addCalendarDays(start, i), calendar)) between++;
        expect(between).toBe(n);
        if (n > 0) expect(clockOf(due)).toEqual(clockOf(at));
      }),
      { numRuns: 1000 },
    );
  });
});
