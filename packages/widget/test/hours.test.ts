import { describe, expect, it } from 'vitest';
import { dutchTime, type OpeningHours, openState } from '../src/hours.ts';

const OFFICE: OpeningHours = {
  mon: [{ opens: '09:00', closes: '17:00' }],
  wed: [
    { opens: '13:30', closes: '16:30' },
    { opens: '09:00', closes: '12:00' },
  ],
  fri: [{ opens: '09:00', closes: '12:30' }],
};

describe('open now, in Dutch time', () => {
  it('reads the clock in Europe/Amsterdam, summer and winter', () => {
    // 2026-07-06 is a Monday; 07:30 UTC is 09:30 in summer time.
    expect(dutchTime(new Date('2026-07-06T07:30:00Z'))).toEqual({ day: 'mon', time: '09:30' });
    // 2026-01-05 is a Monday; 23:30 UTC is already Tuesday 00:30 in winter time.
    expect(dutchTime(new Date('2026-01-05T23:30:00Z'))).toEqual({ day: 'tue', time: '00:30' });
  });

  it('is open within a slot and says until when', () => {
    expect(openState(OFFICE, new Date('2026-07-06T07:00:00Z'))).toEqual({ open: true, closes: '17:00' });
    expect(openState(OFFICE, new Date('2026-07-08T12:00:00Z'))).toEqual({ open: true, closes: '16:30' });
  });

  it('is closed at closing time and names the next opening', () => {
    expect(openState(OFFICE, new Date('2026-07-06T15:00:00Z'))).toEqual({
      open: false,
      next: { day: 'wed', opens: '09:00', today: false },
    });
    expect(openState(OFFICE, new Date('2026-07-08T10:45:00Z'))).toEqual({
      open: false,
      next: { day: 'wed', opens: '13:30', today: true },
    });
    expect(openState(OFFICE, new Date('2026-07-10T11:00:00Z'))).toEqual({
      open: false,
      next: { day: 'mon', opens: '09:00', today: false },
    });
  });

  it('is closed with no next opening when there are no hours', () => {
    expect(openState({}, new Date())).toEqual({ open: false, next: null });
  });
});
