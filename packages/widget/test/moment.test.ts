import { describe, expect, it } from 'vitest';
import { displayDate, dutchMoment, parseDutchDate, parseTime } from '../src/hours.ts';

describe('the help form’s date and time', () => {
  it('reads a date day first, as people type it, and only days that exist', () => {
    for (const typed of ['3-3-2026', '03-03-2026', '3/3/2026', '3.3.2026', ' 2026-03-03 ', '３-３-２０２６'])
      expect(parseDutchDate(typed), typed).toBe('2026-03-03');
    for (const typed of ['30-2-2026', '3-13-2026', '2026-3', '03032026', 'morgen', ''])
      expect(parseDutchDate(typed), typed).toBeNull();
    expect(displayDate('2026-03-03')).toBe('3-3-2026');
  });

  it('reads a time as 10:30, 10.30, 1030 or 10', () => {
    for (const [typed, time] of [
      ['10:30', '10:30'],
      ['10.30', '10:30'],
      ['1030', '10:30'],
      ['9:05', '09:05'],
      ['10', '10:00'],
      ['10 uur', '10:00'],
    ])
      expect(parseTime(typed as string), typed).toBe(time);
    for (const typed of ['24:00', '10:60', 'half elf', '']) expect(parseTime(typed), typed).toBeNull();
  });

  it('sends the Dutch moment as an instant, in winter time and in summer time', () => {
    expect(dutchMoment('2026-03-03', '10:00')).toBe('2026-03-03T09:00:00.000Z');
    expect(dutchMoment('2026-07-03', '10:00')).toBe('2026-07-03T08:00:00.000Z');
    expect(dutchMoment('2026-02-30', '10:00')).toBeNull();
    expect(dutchMoment('2026-03-03', '25:00')).toBeNull();
  });
});
