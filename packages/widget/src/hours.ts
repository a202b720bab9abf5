import { dutchClock, dutchTimeOfDay, WEEKDAYS, type Weekday } from '@wijkteams/time/clock';

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
