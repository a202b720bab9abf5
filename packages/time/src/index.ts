export * from './clock.ts';
export * from './holidays.ts';
export * from './working-days.ts';

const HOUR_MS = 3_600_000;

/** A span of elapsed time (an offer's timeout, a retention period in hours): not calendar days. */
export function addHours(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * HOUR_MS);
}
