import type { Interval } from './model.js';

// Billing periods as Stripe counts them: calendar months or years from the billing cycle anchor,
// the day clamped to the month's length (an anchor on the 31st bills on Feb 28/29, then the 31st).

/** The end of the period starting at `start` (Unix seconds), on the anchor's day and time. */
export function periodEnd(start: number, interval: Interval, anchor: number): number {
  const s = new Date(start * 1000);
  const a = new Date(anchor * 1000);
  const month = s.getUTCMonth() + (interval === 'month' ? 1 : 12);
  const year = s.getUTCFullYear() + Math.floor(month / 12);
  const m = month % 12;
  const daysInMonth = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
  const day = Math.min(a.getUTCDate(), daysInMonth);
  return Date.UTC(year, m, day, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds()) / 1000;
}

export const DAY_SECONDS = 86_400;
