import { dutchDay } from '@wijkteams/time';

/** `months` calendar months later in UTC, clamped to the end of a shorter month (31 Jan + 1 → 28 Feb). */
export function addMonths(date: Date, months: number): Date {
  const day = date.getUTCDate();
  const shifted = new Date(date.getTime());
  shifted.setUTCDate(1);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(day, lastDay));
  return shifted;
}

/** The budget year a moment falls in: New Year is midnight in the Netherlands, not in UTC. */
export function budgetYearOf(date: Date): number {
  return Number(dutchDay(date).slice(0, 4));
}
